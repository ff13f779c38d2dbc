"""Finding what people mean, on whichever database the suite runs on (the same cases on SQLite and PostgreSQL):
full sentences and questions, nynorsk against bokmål, compounds both ways, all words before some words, "did you
mean", and a fixed number of queries whatever the number of hits — on the page, in the API and in the library."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache

from nyskap.core.search import compounds
from nyskap.core.visibility import Visibility
from nyskap.projects.search import search_projects

from ..helpers import EN
from .factories import make_project

pytestmark = pytest.mark.django_db

NB = {"HTTP_ACCEPT_LANGUAGE": "nb"}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def cases(innovator, home_municipality):
    def add(title: str, **texts: str) -> str:
        project = make_project(
            actor=innovator, owner=home_municipality, title=title, visibility=Visibility.PUBLIC, **texts
        )
        return project.title

    return {
        "video": add(
            "Videokonsultasjon hos fastlegen",
            need_problem="Pasienter må reise langt for korte samtaler med legen.",
            description="Fastlegene tilbyr konsultasjon på video.",
        ),
        "robot": add(
            "Aktivitetsrobot på sykehjem",
            need_problem="Beboere på sykehjemmet er for lite i aktivitet.",
            description="En robot leder trim og motiverer beboerne.",
        ),
        "velferd": add("Velferdspiloten", need_problem="Innbyggere med sammensatte behov får hjelp fra mange etater."),
        "dispenser": add(
            "Felles innkjøp",
            need_problem="Hjemmetjenesten bruker mye tid på medisiner.",
            description="Vi kjøpte inn medisindispensere.",
        ),
        "ferje": add("Ampere", need_problem="Ferjer gir store utslipp.", description="Den første elektriske ferjen."),
        "vann": add(
            "Nasjonalt senter for vann",
            need_problem="Kommunene må rehabilitere gammelt ledningsnett for vann og avløp.",
        ),
        "barnevern": add(
            "Barnevern i nye kommuner",
            need_problem="Etter sammenslåingen trengte utsatte barn og unge en samordnet teneste.",
        ),
        "skule": add("Programmering i skulen", need_problem="Elevane i skulen lærer lite programmering."),
    }


def search(query: str, user=None) -> list[tuple[str, str]]:
    result = search_projects(user=user or AnonymousUser(), params={"q": query})
    return [(project.title, project.search_match) for project in result.projects]


@pytest.mark.parametrize(
    ("query", "case"),
    [
        pytest.param("kan pasienter snakke med fastlegen på video?", "video", id="question-bokmål"),
        pytest.param("korleis kan vi få bebuarar på sjukeheim i aktivitet med ein robot", "robot", id="question-nn"),
        pytest.param("hvordan kan roboter motivere eldre på sykehjem", "robot", id="sentence-some-words"),
        pytest.param("vi må fornye gamle vannledninger i kommunen", "vann", id="sentence-compound"),
        pytest.param("tenestedesign for utsette born etter kommunesamanslåing", "barnevern", id="nynorsk-to-bokmål"),
        pytest.param("programmering i skolen", "skule", id="bokmål-to-nynorsk"),
    ],
)
def test_when_people_ask_in_sentences_then_the_case_they_mean_is_first(cases, query, case):
    results = search(query)
    assert results, query
    assert results[0][0] == cases[case]


def test_when_question_and_function_words_are_typed_then_they_never_decide_what_is_found(cases):
    assert search("hvordan kan vi få fleire til å bruke videokonsultasjon") == [(cases["video"], "all")]
    assert search("korleis kan me bruke videokonsultasjon") == [(cases["video"], "all")]
    # Only asking words: searched as they are rather than dropped to nothing.
    assert search("hvordan") == []


def test_when_no_project_has_every_word_then_those_with_some_follow_and_say_which_words_they_lack(cases):
    result = search_projects(user=AnonymousUser(), params={"q": "robot sykehjem kvantedatamaskin"})
    assert result.all_words == 0
    first = next(iter(result.projects))
    assert (first.title, first.search_match, first.search_missing) == (cases["robot"], "some", ("kvantedatamaskin",))


def test_when_some_projects_have_every_word_then_they_come_before_those_with_some(cases):
    results = search("konsultasjon video")
    assert results[0] == (cases["video"], "all")
    assert all(match == "some" for _title, match in results[1:])


@pytest.fixture
def lexicon():
    if not compounds.available():
        pytest.fail("The Norwegian Hunspell dictionaries (hunspell-no) are needed: `make install` installs them.")


@pytest.mark.parametrize(
    ("query", "case"),
    [
        pytest.param("velferd", "velferd", id="part-finds-compound"),
        pytest.param("dispenser", "dispenser", id="head-finds-plural-compound"),
        pytest.param("elferje", "ferje", id="compound-finds-elektrisk-ferje"),
        pytest.param("vannledning", "vann", id="compound-finds-parts"),
    ],
)
def test_when_a_word_is_part_of_a_compound_or_a_compound_of_words_then_it_is_found(lexicon, cases, query, case):
    assert search(query)[0][0] == cases[case]


def test_when_a_word_matches_whole_then_it_ranks_above_a_match_of_a_compound_part(
    lexicon, innovator, home_municipality
):
    part = make_project(
        actor=innovator, owner=home_municipality, title="Velferdspiloten", visibility=Visibility.PUBLIC
    ).title
    whole = make_project(
        actor=innovator,
        owner=home_municipality,
        title="Annet",
        visibility=Visibility.PUBLIC,
        description="Velferd som investering.",
    ).title
    assert [title for title, _match in search("velferd")] == [whole, part]


def test_when_a_longer_word_is_misspelt_then_it_is_corrected_and_the_page_offers_the_correction(client, cases):
    response = client.get("/prosjekter/", {"q": "videokonsultajson"}, **EN)
    html = response.content.decode()
    assert response.status_code == 200
    assert cases["video"] in html
    link = re.search(r'Did you mean <a class="ds-link" href="\?([^"]+)">([^<]+)</a>', html)
    assert link is not None and link.group(2) == "videokonsultasjon"
    assert "q=videokonsultasjon" in link.group(1)


def test_when_a_part_of_a_compound_is_misspelt_then_the_compound_is_read_with_the_part_corrected(
    lexicon, client, cases, innovator, home_municipality
):
    title = make_project(
        actor=innovator,
        owner=home_municipality,
        title="Smartere håndtering av avfall i sentrum",
        visibility=Visibility.PUBLIC,
        description="Sensorer i søppelkassene sier fra når de er fulle.",
    ).title
    # "avfall" + linking s + "håndtring" (one letter missing): no library word is one typo away from the whole.
    response = client.get("/prosjekter/", {"q": "avfallshåndtring"}, **EN)
    html = response.content.decode()
    assert title in html
    link = re.search(r'Did you mean <a class="ds-link" href="\?([^"]+)">([^<]+)</a>', html)
    assert link is not None and link.group(2) == "avfallshåndtering"
    # A word with no reading whose parts occur together is left alone.
    assert search_projects(user=AnonymousUser(), params={"q": "avfallsbehandlinng"}).suggestion == ""


def test_when_a_real_word_is_absent_from_the_library_then_it_is_not_corrected_into_another(cases):
    result = search_projects(user=AnonymousUser(), params={"q": "gamle vannledninger"})
    assert result.suggestion == ""


def test_when_results_match_only_some_words_then_the_page_says_so_in_every_language(client, cases):
    query = {"q": "aktivitetsrobot for beboere med demens"}
    english = client.get("/prosjekter/", query, **EN).content.decode()
    assert "Matches some of the words" in english and "Not found:" in english
    bokmal = client.get("/prosjekter/", query, **NB).content.decode()
    assert "Treffer noen av ordene" in bokmal and "Ikke funnet:" in bokmal
    nynorsk = client.get("/prosjekter/", query, HTTP_ACCEPT_LANGUAGE="nn").content.decode()
    assert "Treffer nokre av orda" in nynorsk and "Ikkje funne:" in nynorsk


def test_when_the_api_searches_then_each_hit_says_whether_it_matches_all_or_some_words(client, cases):
    body = client.get("/api/v1/projects", {"q": "konsultasjon video robot"}, **EN).json()
    matches = [(item["title"], item["match"], item["missing_words"]) for item in body["results"]]
    assert matches[0][1] == "some"
    assert (cases["video"], "some", ["robot"]) in matches
    assert (cases["robot"], "some", ["konsultasjon", "video"]) in matches
    body = client.get("/api/v1/projects", {"q": "konsultasjon video"}, **EN).json()
    assert body["results"][0]["title"] == cases["video"] and body["results"][0]["match"] == "all"


def test_when_a_hidden_project_has_the_words_then_no_search_mode_reveals_it(
    cases, innovator, home_municipality, outsider
):
    make_project(actor=innovator, owner=home_municipality, title="Hemmelig robotprosjekt", visibility=Visibility.DRAFT)
    for query in ("hemmelig robotprosjekt", "hemmelig robot sykehjem kvantedatamaskin", "robotprosjekt"):
        assert "Hemmelig robotprosjekt" not in [title for title, _ in search(query, outsider)]
        assert "Hemmelig robotprosjekt" not in [title for title, _ in search(query)]


def _robots(count: int, start: int, owner) -> None:
    from nyskap.projects.models import Project
    from nyskap.projects.search import index_projects

    created = Project.objects.bulk_create(
        [
            Project(
                title=f"Robot {number}",
                slug=f"robot-{number}",
                need_problem="Beboere trenger aktivitet.",
                need_who="Beboere på sykehjem.",
                need_today="Lite aktivitet.",
                need_effect="Mer aktivitet.",
                visibility=Visibility.PUBLIC,
                sector="health_care" if number % 2 else "welfare",
            )
            for number in range(start, start + count)
        ]
    )
    Project.owners.through.objects.bulk_create(
        [Project.owners.through(project_id=project.pk, organisation_id=owner.pk) for project in created]
    )
    index_projects(Project.objects.filter(pk__in=[project.pk for project in created]))


def test_when_a_search_has_1_100_or_1000_hits_then_the_page_and_the_api_run_the_same_queries(client, home_municipality):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts: dict[int, dict[str, int]] = {}
    made = 0
    for total, query in ((1, "robot aktivitet"), (100, "robot beboere"), (1000, "robot sykehjem")):
        _robots(total - made, made, home_municipality)
        made = total
        counts[total] = {}
        for name, url in (("page", "/prosjekter/"), ("api", "/api/v1/projects")):
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, {"q": query}, **EN)
            assert response.status_code == 200
            counts[total][name] = len(queries)
        found = search_projects(user=AnonymousUser(), params={"q": query})
        assert len(found.projects) == total
    assert counts[1] == counts[100] == counts[1000]


def test_when_facets_are_counted_from_the_hit_ids_then_they_equal_counting_the_same_projects_by_queryset(
    innovator, home_municipality, other_municipality
):
    from nyskap.projects.models import Project
    from nyskap.projects.search import _owner_facets
    from nyskap.projects.selectors import facet_counts, facets_for_ids, spread_statistics

    for number, (sector, novelty, types) in enumerate(
        [("health_care", "copied", ["service"]), ("welfare", "first_of_its_kind", ["service", "process"]), ("", "", [])]
    ):
        project = make_project(
            actor=innovator,
            owner=home_municipality,
            title=f"Robot {number}",
            visibility=Visibility.PUBLIC,
            sector=sector,
            novelty=novelty,
            innovation_types=types,
        )
        if number:
            project.owners.add(other_municipality)
    ids = list(Project.objects.filter(title__startswith="Robot").values_list("pk", flat=True))
    found = facets_for_ids(ids)
    projects = Project.objects.filter(pk__in=ids)
    expected = facet_counts(projects)
    expected.update(_owner_facets(projects))
    assert found.counts == {name: expected[name] for name in found.counts}
    assert found.counts["sector"] == {"health_care": 1, "welfare": 1}
    assert found.counts["innovation_types"] == {"service": 2, "process": 1}
    assert found.spread == spread_statistics(projects)


def test_when_a_cached_search_page_is_served_to_another_visitor_then_its_language_switch_works(cases):
    from django.test import Client

    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page = first.get("/prosjekter/", {"q": "robot"}, **NB).content.decode()
    assert second.get("/prosjekter/", {"q": "robot"}, **NB).content.decode() == page  # from the page cache
    assert "csrfmiddlewaretoken" not in page
    response = second.post("/sprak/", {"language": "nn", "next": "/prosjekter/?q=robot"})
    assert response.status_code == 302 and response["Location"] == "/prosjekter/?q=robot"
    assert response.cookies["django_language"].value == "nn"


def test_when_a_word_exists_only_in_a_hidden_project_then_no_did_you_mean_reveals_it(
    client, cases, innovator, home_municipality, outsider
):
    make_project(
        actor=innovator,
        owner=home_municipality,
        title="Kladd om Fjellheimprosjektet",
        visibility=Visibility.DRAFT,
        description="Fjellheimprosjektet er konfidensielt.",
    )
    # An outsider probes with a misspelling of the confidential word: nothing names it.
    for user in (None, outsider):
        result = search_projects(user=user or AnonymousUser(), params={"q": "fjellheimprosjketet"})
        assert result.suggestion == "" and list(result.projects) == []
    html = client.get("/prosjekter/", {"q": "fjellheimprosjketet"}, **EN).content.decode()
    assert "fjellheimprosjektet" not in html.lower().replace("fjellheimprosjketet", "")
    # Its own organisation may see it, and is offered the correction.
    assert search_projects(user=innovator, params={"q": "fjellheimprosjketet"}).suggestion == "fjellheimprosjektet"
