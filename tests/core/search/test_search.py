"""The search interface, end to end against whichever database the suite runs on (SQLite, or PostgreSQL when
DATABASE_URL is set): the same cases must pass on both.

Indexed objects are organisations with made-up project texts, which also shows the index is model-agnostic."""

from __future__ import annotations

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nyskap.core.models import SearchDocument, SearchTerm
from nyskap.core.search import (
    ALL,
    SOME,
    filter_queryset,
    index_object,
    remove_object,
    remove_objects,
    run_search,
    search,
    search_ids,
)
from nyskap.organisations.models import County, Organisation
from tests.organisations.factories import CountyFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

DISTRACTOR = "Sykkelveg langs fjorden med betre belysning og brøyting om vinteren"


def indexed(title: str, need: str = "", body: str = "") -> int:
    organisation = OrganisationFactory()
    index_object(organisation, title=title, a_texts=[need], b_texts=[body])
    return organisation.pk


@pytest.fixture
def distractor() -> int:
    return indexed("Trafikksikring", body=DISTRACTOR)


@pytest.mark.parametrize(
    ("query", "text"),
    [
        pytest.param("kommune", "Tiltaket ble prøvd ut i kommunen i fjor", id="bokmål-inflection"),
        pytest.param("kommunen", "Alle tilsette i kommuna fekk opplæring", id="nynorsk-inflection"),
        pytest.param("helse", "Betre helsa for dei eldste", id="helse-helsa"),
        pytest.param("helsa", "Psykisk helse blant unge", id="helsa-helse"),
        pytest.param("skule", "Skolen tok i bruk nye læremidler", id="skule-skole"),
        pytest.param("skole", "Skulen fekk nye læremiddel", id="skole-skule"),
        pytest.param("teneste", "Nye digitale tjenester for innbyggere", id="teneste-tjenester"),
        pytest.param("tjenester", "Ei ny teneste for innbyggjarane", id="tjenester-teneste"),
        pytest.param("undersøking", "Resultatene fra undersøkelsen", id="undersøking-undersøkelse"),
        pytest.param("innbyggjar", "Dialog med innbyggere i sentrum", id="innbyggjar-innbyggere"),
        pytest.param("sjukeheim", "Nattevakt på sykehjemmet", id="sjukeheim-sykehjem"),
        pytest.param("omsorg for eldre", "Eldreomsorg i distriktet", id="phrase-to-compound"),
        pytest.param("eldreomsorg", "God omsorg for eldre heime", id="compound-to-phrase"),
        pytest.param("medisindispenser", "Felles innkjøp av medisindispensere", id="er-noun-singular-to-plural"),
        pytest.param("medisindispensere", "Hver medisindispenser varsler", id="er-noun-plural-to-singular"),
        pytest.param("lærer", "Lærere og elever laget planen", id="lærer-lærere"),
        pytest.param("barnehgae", "Lekeplass i barnehagen", id="typo-transposition"),
        pytest.param("digitalisring", "Digitalisering av byggesaker", id="typo-missing-letter"),
        pytest.param("velferdsteknologj", "Velferdsteknologi i hjemmetjenesten", id="typo-substitution"),
        # One typo from the base form, whose stem differs from the stem of the inflected form in the text.
        pytest.param("samskapningsarena", "Lokale samskapingsarenaer i bydelene", id="typo-in-an-inflected-compound"),
        pytest.param("Kommune!", "Tiltaket ble prøvd ut i kommunen", id="punctuation-and-case"),
    ],
)
def test_when_the_query_is_another_form_of_a_word_in_the_text_then_the_text_is_found(distractor, query, text):
    target = indexed("Prosjekt", body=text)
    assert search_ids(Organisation, query) == [target]


def test_when_a_word_is_in_the_index_then_it_is_not_typo_corrected_into_another_word():
    helse = indexed("Helse", body="Bedre helse for alle")
    indexed("Ønsker", body="Vi vil helst ha det slik")
    assert search_ids(Organisation, "helse") == [helse]


def test_when_a_document_has_all_words_then_it_ranks_above_one_with_only_some_and_each_says_which():
    one = indexed("Skole", body="Skolen fikk ny gymsal")
    both = indexed("Skole", body="Digitale verktøy i skolen")
    hits = search(Organisation, "skule digitale")
    assert [(hit.object_id, hit.match, hit.missing) for hit in hits] == [(both, ALL, ()), (one, SOME, ("digitale",))]


def test_when_a_word_matches_the_title_then_it_ranks_above_a_body_only_match():
    body_only = indexed("Annet prosjekt", body="Her brukte vi velferdsteknologi i hjemmet")
    in_title = indexed("Velferdsteknologi i hjemmet", body="Sensorer og varsling")
    in_need = indexed("Tredje prosjekt", need="Behovet var mer velferdsteknologi", body="Sensorer")
    hits = search(Organisation, "velferdsteknologi")
    assert [hit.object_id for hit in hits][-1] == body_only
    assert {hit.object_id for hit in hits[:2]} == {in_title, in_need}
    assert hits[0].score == hits[1].score == hits[2].score > 0  # the same word: order by the fields it is in


def test_when_nothing_matches_then_the_result_is_empty(distractor):
    assert search(Organisation, "kvantedatamaskin") == []
    assert list(filter_queryset(Organisation.objects.all(), "kvantedatamaskin")) == []


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   \n\t",
        "?!.,;:«»—",
        "hva er det",
        "x" * 1000,
        '"NEAR(a b)" OR * AND a:b ^c -d',
        "\x00\x01",
        "'; DROP TABLE core_searchdocument; --",
    ],
)
def test_when_the_query_is_empty_odd_or_hostile_then_the_search_is_safe_and_empty(distractor, query):
    assert search_ids(Organisation, query) == []
    assert SearchDocument.objects.count() == 1


def test_when_the_query_is_a_thousand_characters_of_words_then_the_first_words_are_searched(distractor):
    target = indexed("Kommune", body="Nytt i kommunen")
    query = ("kommune " * 125)[:1000]
    assert len(query) == 1000
    assert search_ids(Organisation, query) == [target]


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(query=st.text(max_size=200))
def test_when_any_text_is_searched_then_the_search_does_not_fail(distractor, query):
    assert all(hit == distractor for hit in search_ids(Organisation, query))


def test_when_an_object_is_removed_then_it_is_no_longer_found():
    organisation = OrganisationFactory()
    index_object(organisation, title="Barnehage", b_texts=["Uteområde i barnehagen"])
    remove_object(organisation)
    assert search_ids(Organisation, "barnehage") == []
    assert not SearchDocument.objects.exists()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM core_searchdocument_fts")
            assert cursor.fetchone() == (0,)


def test_when_several_objects_are_removed_then_only_they_go():
    gone = [indexed("Skole"), indexed("Skole")]
    kept = indexed("Skole")
    assert remove_objects(Organisation, gone) == 2
    assert search_ids(Organisation, "skole") == [kept]


def test_when_an_object_is_indexed_again_then_only_its_new_text_is_found():
    organisation = OrganisationFactory()
    index_object(organisation, title="Skole", b_texts=["Ny skole"])
    index_object(organisation, title="Sykehus", b_texts=["Nytt sykehus"])
    assert search_ids(Organisation, "skole") == []
    assert search_ids(Organisation, "sjukehus") == [organisation.pk]
    assert SearchDocument.objects.get().title == "Sykehus"


def test_when_an_object_is_indexed_then_its_words_join_the_vocabulary_with_their_stems():
    indexed("Kommunen", body="Tjenester for eldre og 2024")
    assert dict(SearchTerm.objects.values_list("word", "stem")) == {
        "kommunen": "kommun",
        "tjenester": "tjenest",
        "eldre": "eldr",
    }


def test_when_another_model_has_an_object_with_the_same_id_then_it_is_not_returned():
    organisation = OrganisationFactory()
    county = CountyFactory()
    index_object(county, title="Barnehage i fylket")
    index_object(organisation, title="Barnehage i kommunen")
    assert search_ids(Organisation, "barnehage") == [organisation.pk]
    assert search_ids(County, "barnehage") == [county.pk]


def test_when_many_documents_match_then_results_are_capped_by_candidates_and_limit():
    for _ in range(6):
        indexed("Skole", body="Skolen")
    assert len(search_ids(Organisation, "skole")) == 6
    assert len(search_ids(Organisation, "skole", candidates=3)) == 3
    assert len(search_ids(Organisation, "skole", limit=2)) == 2
    with pytest.raises(ValueError, match="candidates"):
        search(Organisation, "skole", candidates=0)


def test_when_a_queryset_is_filtered_then_only_its_objects_are_searched_in_rank_order():
    body_only = indexed("Annet", body="Skolen")
    in_title = indexed("Skolen")
    hidden = indexed("Skolen", body="Skolen")
    visible = Organisation.objects.exclude(pk=hidden)
    results = list(filter_queryset(visible, "skule"))
    assert [organisation.pk for organisation in results] == [in_title, body_only]
    # The same words found: the same IDF score; the title match is ordered first by the database's own rank.
    assert results[0].search_rank == results[1].search_rank > 0


def test_when_the_caller_filters_then_hidden_objects_take_no_candidate_places():
    hidden = [indexed("Skolen") for _ in range(3)]
    visible = indexed("Annet", body="Skolen")
    queryset = Organisation.objects.exclude(pk__in=hidden)
    assert [organisation.pk for organisation in filter_queryset(queryset, "skole", candidates=1)] == [visible]


def test_when_searching_then_the_number_of_queries_is_fixed(django_assert_num_queries):
    from django.core.cache import cache

    for n in range(20):
        indexed(f"Barnehage {n}", body="Uteområde i barnehagen og skolen")
    search(Organisation, "barnehage")  # warm the ContentType cache
    cache.clear()
    # A query with a page of all-words hits: one count, one lookup.
    with django_assert_num_queries(2):
        assert len(search(Organisation, "barnehage skule", limit=10)) == 10
    # The words' document frequencies are index statistics, kept until the index changes: not counted again.
    with django_assert_num_queries(1):
        assert len(search(Organisation, "skule barnehage", limit=10)) == 10
    indexed("Skole", body="Ny skole")
    with django_assert_num_queries(2):  # the index changed: counted afresh
        assert len(search(Organisation, "barnehage skule", limit=10)) == 10
    # A misspelt word: count, vocabulary lookup for typos, recount, lookup; a word nobody wrote completes the
    # result with the documents that have the others (no all-words lookup, as none can match).
    cache.clear()
    with django_assert_num_queries(4):
        hits = search(Organisation, "barnehgae skule omsorg for eldre", limit=10)
    assert [(hit.match, hit.missing) for hit in hits] == [(SOME, ("omsorg for eldre",))] * 10
    cache.clear()
    with django_assert_num_queries(4):
        assert len(search(Organisation, "barnehgae skule", limit=10)) == 10
    cache.clear()
    with django_assert_num_queries(3):
        assert len(list(filter_queryset(Organisation.objects.all(), "barnehage", limit=10))) == 10


def test_when_an_er_noun_is_searched_in_the_other_number_then_one_lookup_finds_it(django_assert_num_queries):
    from django.core.cache import cache

    target = indexed("Innkjøp", body="Felles innkjøp av medisindispensere for 57 kommuner")
    search(Organisation, "barnehage")  # warm the ContentType cache
    cache.clear()
    with django_assert_num_queries(2):  # a plain hit (count and lookup), not a typo correction
        assert search_ids(Organisation, "medisindispenser") == [target]


def test_when_any_word_may_match_then_documents_sharing_more_words_rank_first():
    both = indexed("Omsorg for eldre hjemme", need="Eldre i hjemmetjenesten trenger trygghet og varm mat.")
    one = indexed("Skolemat", need="Elever trenger varm mat.")
    indexed("Parkering", need="Bilister finner ikke ledig plass.")
    text = "Hjemmeboende eldre får kald mat; vi vil gi trygghet og varm mat i hjemmetjenesten."
    # No document has every word: the result is made of those with some, most and rarest words first.
    hits = search(Organisation, text)
    assert [(hit.object_id, hit.match) for hit in hits] == [(both, SOME), (one, SOME)]
    assert search_ids(Organisation, text, match_any=True) == [both, one]


def test_when_many_objects_are_indexed_at_once_then_they_are_found_like_single_ones():
    from nyskap.core.search import index_many

    county = CountyFactory()
    organisations = [OrganisationFactory(name=f"Bulk {i}", slug=f"bulk-{i}", county=county) for i in range(3)]
    replaced = indexed("Gammel tekst", body="utdatert")
    count = index_many(
        Organisation,
        [
            (organisations[0].pk, "Barnehage i sentrum", ["Foreldre ønsker lengre åpningstid."], ["Kommunen"], "x=1"),
            (organisations[1].pk, "Sykehjem", ["Eldreomsorg med velferdsteknologi."], [], None),
            (organisations[2].pk, "Skule", [], ["Digitale verktøy"], "x=2 y=3"),
            (replaced, "Ny tekst", ["oppdatert"], [], ""),
        ],
        batch_size=2,
    )
    assert count == 4
    assert search_ids(Organisation, "barnehagen") == [organisations[0].pk]
    # The tags come back with each hit, exactly as stored (None where none were given).
    assert run_search(Organisation, "barnehagen").tags == {organisations[0].pk: "x=1"}
    assert run_search(Organisation, "sykehjem").tags == {organisations[1].pk: None}
    assert run_search(Organisation, "ny tekst").tags == {replaced: ""}
    assert search_ids(Organisation, "omsorg for eldre") == [organisations[1].pk]
    assert search_ids(Organisation, "skole digitale") == [organisations[2].pk]
    assert search_ids(Organisation, "barnehgae") == [organisations[0].pk]  # the vocabulary was filled too
    assert search_ids(Organisation, "utdatert") == []
    assert search_ids(Organisation, "oppdatert") == [replaced]
    assert SearchDocument.objects.filter(object_id=replaced).count() == 1


def test_when_tags_are_replaced_then_hits_carry_the_new_tags_and_nothing_else_changes():
    from nyskap.core.search.services import index_version, set_tags

    county = CountyFactory()
    first = OrganisationFactory(name="Tagg en", slug="tagg-en", county=county)
    second = OrganisationFactory(name="Tagg to", slug="tagg-to", county=county)
    index_object(first, title="Barnehage med uteområde", tags="old=1")
    index_object(second, title="Barnehage i byen", tags="old=2")
    unindexed = OrganisationFactory(name="Tagg tre", slug="tagg-tre", county=county)
    version = index_version()

    assert set_tags(Organisation, {first.pk: "new=1 extra=x", unindexed.pk: "never=1"}) == 1

    result = run_search(Organisation, "barnehage")
    assert result.tags == {first.pk: "new=1 extra=x", second.pk: "old=2"}
    assert sorted(hit.object_id for hit in result.hits) == sorted([first.pk, second.pk])
    assert index_version() == version  # no text changed: cached statistics stay valid
    assert not SearchDocument.objects.filter(object_id=unindexed.pk, tags="never=1").exists()
