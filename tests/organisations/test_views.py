from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nyskap.organisations.models import County, Organisation, OrganisationKind
from tests.organisations.factories import CountyFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/organisasjoner/"


def get(client, url, **extra):
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en", **extra)


def names_in(response) -> list[str]:
    return [o.name for o in response.context["page_obj"].object_list]


@pytest.fixture
def vestland() -> County:
    return CountyFactory(number="46", name="Vestland", official_name="Vestland")


@pytest.fixture
def nordland() -> County:
    return CountyFactory(number="18", name="Nordland", official_name="Nordland - Nordlánnda")


@pytest.fixture
def mix(vestland, nordland) -> dict[str, Organisation]:
    """Municipalities in two counties and several size bands, and state bodies without a county."""
    made = {
        "alver": OrganisationFactory(name="Alver", county=vestland, population=30285, centrality_class=4),
        "askoy": OrganisationFactory(name="Askøy", county=vestland, population=30600, centrality_class=3),
        "bergen": OrganisationFactory(name="Bergen", county=vestland, population=291940, centrality_class=2),
        "fedje": OrganisationFactory(name="Fedje", county=vestland, population=540, centrality_class=6),
        "bodo": OrganisationFactory(name="Bodø", county=nordland, population=53000, centrality_class=3),
        "vefsn": OrganisationFactory(name="Vefsn", county=nordland, population=13300, centrality_class=5),
    }
    dfd = OrganisationFactory(
        name="Digitaliserings- og forvaltningsdepartementet",
        short_name="DFD",
        kind=OrganisationKind.MINISTRY,
        county=None,
        population=None,
        organisation_number="932384469",
    )
    made["dfd"] = dfd
    made["digdir"] = OrganisationFactory(
        name="Digitaliseringsdirektoratet",
        short_name="Digdir",
        kind=OrganisationKind.STATE_AGENCY,
        county=None,
        population=None,
        organisation_number="991825827",
        parent=dfd,
    )
    made["vestland_fk"] = OrganisationFactory(
        name="Vestland fylkeskommune",
        kind=OrganisationKind.COUNTY_MUNICIPALITY,
        county=vestland,
        population=658342,
    )
    return made


def test_when_anonymous_opens_the_list_then_all_organisations_show_with_a_count(anonymous, mix):
    response = get(anonymous, LIST_URL)
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 9
    assert "9 organisations" in response.content.decode()
    assert names_in(response) == [
        "Alver",
        "Askøy",
        "Bergen",
        "Bodø",
        "Digitaliserings- og forvaltningsdepartementet",
        "Digitaliseringsdirektoratet",
        "Fedje",
        "Vefsn",
        "Vestland fylkeskommune",
    ]


def test_when_kind_county_and_size_band_combine_then_only_matching_municipalities_show(anonymous, mix):
    response = get(anonymous, f"{LIST_URL}?kind=municipality&county=46&size_band=xl")
    assert names_in(response) == ["Alver", "Askøy"]
    assert "2 organisations" in response.content.decode()


def test_when_centrality_class_is_added_then_the_set_narrows_further(anonymous, mix):
    response = get(anonymous, f"{LIST_URL}?kind=municipality&county=46&size_band=xl&centrality_class=3")
    assert names_in(response) == ["Askøy"]


def test_when_size_band_is_chosen_then_non_municipalities_are_left_out(anonymous, mix):
    # The county municipality has 658,342 inhabitants but no size band: bands are for municipalities only.
    response = get(anonymous, f"{LIST_URL}?size_band=xxl")
    assert names_in(response) == ["Bergen", "Bodø"]


def test_when_searching_by_organisation_number_then_the_body_is_found_with_or_without_spaces(anonymous, mix):
    assert names_in(get(anonymous, f"{LIST_URL}?q=991825827")) == ["Digitaliseringsdirektoratet"]
    assert names_in(get(anonymous, f"{LIST_URL}?q=991+825+827")) == ["Digitaliseringsdirektoratet"]


def test_when_searching_by_name_or_short_name_then_case_does_not_matter(anonymous, mix):
    assert names_in(get(anonymous, f"{LIST_URL}?q=digdir")) == ["Digitaliseringsdirektoratet"]
    assert names_in(get(anonymous, f"{LIST_URL}?q=ASKØY")) == ["Askøy"]
    assert names_in(get(anonymous, f"{LIST_URL}?q=bodø")) == ["Bodø"]


def test_when_a_filter_value_is_invalid_then_the_error_shows_and_the_page_still_renders(anonymous, mix):
    response = get(anonymous, f"{LIST_URL}?kind=nonsense&county=46&page=abc")
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "kind": ["Select a valid choice. nonsense is not one of the available choices."]
    }
    html = response.content.decode()
    assert 'id="id_kind_error"' in html
    # The valid filter still applies.
    assert names_in(response) == ["Alver", "Askøy", "Bergen", "Fedje", "Vestland fylkeskommune"]


def test_when_htmx_asks_then_only_the_results_partial_is_returned(anonymous, mix):
    response = get(anonymous, f"{LIST_URL}?county=18", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "<form" not in html
    assert '<table class="ds-table"' in html
    assert "2 organisations" in html
    assert names_in(response) == ["Bodø", "Vefsn"]
    assert "HX-Request" in response["Vary"]


def test_when_the_full_page_renders_then_it_has_the_form_table_and_results_target(anonymous, mix):
    html = get(anonymous, LIST_URL).content.decode()
    assert html.count("<h1") == 1
    assert 'hx-get="/organisasjoner/"' in html
    assert 'hx-target="#organisation-results"' in html
    assert 'hx-push-url="true"' in html
    assert '<div id="organisation-results">' in html
    assert '<th scope="col">Population</th>' in html
    assert '<label class="ds-label" for="id_q">' in html
    assert 'style="' not in html
    assert "<script>" not in html


def test_when_there_are_more_than_fifty_then_pages_link_with_filters_kept(anonymous, vestland):
    OrganisationFactory.create_batch(120, county=vestland, population=1000)
    response = get(anonymous, f"{LIST_URL}?kind=municipality&county=46&page=2")
    page = response.context["page_obj"]
    assert (page.number, page.paginator.num_pages, len(page.object_list)) == (2, 3, 50)
    html = response.content.decode()
    assert 'href="?kind=municipality&amp;county=46&amp;page=3"' in html
    assert 'href="?kind=municipality&amp;county=46&amp;page=1"' in html
    assert "Page 2 of 3" in html


@pytest.mark.parametrize(("page", "expected"), [("999", 3), ("abc", 1), ("-1", 3), ("0", 3)])
def test_when_the_page_number_is_unknown_then_a_page_is_shown_not_an_error(anonymous, vestland, page, expected):
    OrganisationFactory.create_batch(120, county=vestland)
    response = get(anonymous, f"{LIST_URL}?page={page}")
    assert response.status_code == 200
    assert response.context["page_obj"].number == expected


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = get(client, f"{LIST_URL}?county=46")
    assert response.status_code == 200
    return len(queries)


def test_when_the_list_grows_from_5_to_30_then_the_query_count_stays_the_same(anonymous, vestland):
    OrganisationFactory.create_batch(5, county=vestland)
    with_5 = _list_queries(anonymous)
    OrganisationFactory.create_batch(25, county=vestland)
    with_30 = _list_queries(anonymous)
    # Counties for the select, the chosen county, the count, and one page with its counties joined.
    assert with_5 == with_30 == 4


def test_when_detail_opens_then_facts_and_parent_ministry_show(anonymous, mix):
    response = get(anonymous, "/organisasjoner/digitaliseringsdirektoratet/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="ds-heading" data-size="lg">Digitaliseringsdirektoratet</h1>' in html
    assert '<dl class="facts">' in html
    assert "<dd>991825827</dd>" in html
    assert (
        '<a class="ds-link" href="/organisasjoner/digitaliserings-og-forvaltningsdepartementet/">'
        "Digitaliserings- og forvaltningsdepartementet</a>"
    ) in html


def test_when_a_ministry_detail_opens_then_its_subordinate_bodies_are_listed(anonymous, mix):
    html = get(anonymous, "/organisasjoner/digitaliserings-og-forvaltningsdepartementet/").content.decode()
    assert "Subordinate bodies" in html
    assert (
        '<a class="ds-link" href="/organisasjoner/digitaliseringsdirektoratet/">Digitaliseringsdirektoratet</a>' in html
    )


def test_when_a_municipality_detail_opens_then_county_links_population_and_centrality_show(anonymous, mix, vestland):
    governor = OrganisationFactory(
        name="Statsforvaltaren i Vestland", kind=OrganisationKind.COUNTY_GOVERNOR, county=None
    )
    vestland.county_municipality = mix["vestland_fk"]
    vestland.county_governor = governor
    vestland.save()
    alver = mix["alver"]
    alver.population_year = 2026
    alver.centrality_index = 745
    alver.save()
    html = get(anonymous, "/organisasjoner/alver/").content.decode()
    assert '<a class="ds-link" href="/organisasjoner/vestland-fylkeskommune/">Vestland fylkeskommune</a>' in html
    assert (
        '<a class="ds-link" href="/organisasjoner/statsforvaltaren-i-vestland/">Statsforvaltaren i Vestland</a>' in html
    )
    assert "30,285 (1 January 2026)" in html
    assert "<dd>20,000–49,999</dd>" in html
    assert "4 (index 745 of 1000)" in html


def test_when_an_organisation_has_ended_then_the_date_shows(anonymous, mix):
    mix["digdir"].ended_on = datetime.date(2024, 1, 1)
    mix["digdir"].save()
    html = get(anonymous, "/organisasjoner/digitaliseringsdirektoratet/").content.decode()
    assert "This organisation ceased to exist on" in html
    assert "<dt>Ended on</dt>" in html


def test_when_the_detail_is_opened_then_the_query_count_is_fixed(anonymous, mix):
    with CaptureQueriesContext(connection) as queries:
        get(anonymous, "/organisasjoner/digitaliserings-og-forvaltningsdepartementet/")
    # The organisation with its county and parent, its subordinates, and the counties it governs; then the project
    # library's panel: the latest projects the visitor may see and how many there are.
    assert len(queries) == 5


def test_when_the_slug_is_unknown_then_404(anonymous, mix):
    assert get(anonymous, "/organisasjoner/finnes-ikke/").status_code == 404


def test_when_a_signed_in_outsider_opens_the_list_then_it_is_the_same_public_page(as_outsider, mix):
    response = get(as_outsider, f"{LIST_URL}?q=digdir")
    assert response.status_code == 200
    assert names_in(response) == ["Digitaliseringsdirektoratet"]
