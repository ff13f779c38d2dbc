from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nyskap.organisations.models import OrganisationKind
from tests.organisations.factories import CountyFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/organisations"


@pytest.fixture
def bodies():
    vestland = CountyFactory(number="46", name="Vestland", official_name="Vestland")
    fk = OrganisationFactory(
        name="Vestland fylkeskommune",
        slug="vestland-fylkeskommune",
        kind=OrganisationKind.COUNTY_MUNICIPALITY,
        county=vestland,
        organisation_number="821311632",
        population=658342,
        population_year=2026,
    )
    governor = OrganisationFactory(
        name="Statsforvaltaren i Vestland",
        kind=OrganisationKind.COUNTY_GOVERNOR,
        county=None,
        population=None,
        organisation_number="974760665",
    )
    vestland.county_municipality = fk
    vestland.county_governor = governor
    vestland.save()
    alver = OrganisationFactory(
        name="Alver",
        kind=OrganisationKind.MUNICIPALITY,
        county=vestland,
        organisation_number="920290922",
        municipality_number="4631",
        population=30285,
        population_year=2026,
        centrality_class=4,
        centrality_index=745,
        official_name="Alver",
    )
    askoy = OrganisationFactory(
        name="Askøy",
        slug="askoy",
        county=vestland,
        organisation_number="964338442",
        municipality_number="4627",
        population=30600,
        population_year=2026,
        centrality_class=3,
        centrality_index=800,
    )
    dfd = OrganisationFactory(
        name="Digitaliserings- og forvaltningsdepartementet",
        short_name="DFD",
        kind=OrganisationKind.MINISTRY,
        county=None,
        population=None,
        organisation_number="932384469",
    )
    digdir = OrganisationFactory(
        name="Digitaliseringsdirektoratet",
        short_name="Digdir",
        legal_name="DIGITALISERINGSDIREKTORATET",
        kind=OrganisationKind.STATE_AGENCY,
        category="direktorat/etat",
        county=None,
        population=None,
        organisation_number="991825827",
        parent=dfd,
        note="Etatsstyrt av DFD fra 2024-01-01.",
        sources="E1;E2;E4;R1",
    )
    return {"alver": alver, "askoy": askoy, "dfd": dfd, "digdir": digdir, "fk": fk, "governor": governor}


ALVER = {
    "slug": "alver",
    "name": "Alver",
    "short_name": "",
    "kind": "municipality",
    "organisation_number": "920290922",
    "municipality_number": "4631",
    "county": "46",
    "population": 30285,
    "population_year": 2026,
    "size_band": "xl",
    "centrality_class": 4,
    "centrality_index": 745,
    "ended_on": None,
}


def test_when_municipalities_are_listed_one_per_page_then_count_next_and_results_are_exact(client, bodies):
    response = client.get(URL, {"kind": "municipality", "page_size": 1})
    assert response.status_code == 200
    assert response.json() == {
        "count": 2,
        "next": "http://testserver/api/v1/organisations?kind=municipality&page_size=1&page=2",
        "previous": None,
        "results": [ALVER],
    }


def test_when_the_second_page_is_asked_for_then_previous_links_back(client, bodies):
    body = client.get(URL, {"kind": "municipality", "page_size": 1, "page": 2}).json()
    assert body["previous"] == "http://testserver/api/v1/organisations?kind=municipality&page_size=1&page=1"
    assert body["next"] is None
    assert [r["slug"] for r in body["results"]] == ["askoy"]


def test_when_filters_combine_then_only_matching_organisations_are_listed(client, bodies):
    body = client.get(URL, {"county": "46", "size_band": "xl", "centrality_class": 3}).json()
    assert (body["count"], [r["slug"] for r in body["results"]]) == (1, ["askoy"])
    body = client.get(URL, {"q": "digdir"}).json()
    assert [r["slug"] for r in body["results"]] == ["digitaliseringsdirektoratet"]
    body = client.get(URL, {"q": "991 825 827"}).json()
    assert [r["slug"] for r in body["results"]] == ["digitaliseringsdirektoratet"]


def test_when_a_filter_value_is_invalid_then_422_names_each_field(client, bodies):
    response = client.get(URL, {"kind": "nonsense", "centrality_class": 9})
    assert response.status_code == 422
    assert response.json() == {
        "status": 422,
        "code": "validation_error",
        "message": "The request is not valid.",
        "errors": [
            {
                "field": "kind",
                "message": "Input should be 'municipality', 'county_municipality', 'state_agency', "
                "'ministry', 'county_governor', 'supervisory_authority', 'university', "
                "'regional_health_trust', 'health_trust', 'tribunal', 'ombud', 'storting_body', "
                "'inter_municipal', 'other_public', "
                "'company', "
                "'social_entrepreneur', 'research' or 'voluntary'",
            },
            {"field": "centrality_class", "message": "Input should be less than or equal to 6"},
        ],
    }


def test_when_size_band_or_county_is_malformed_then_422(client, bodies):
    response = client.get(URL, {"size_band": "huge", "county": "4"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["county", "size_band"]


def test_when_the_search_text_has_a_nul_character_then_422_not_a_database_error(client, bodies):
    response = client.get("/api/v1/organisations", {"q": "Bod\x00ø"})
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["q"]


def test_when_the_list_is_fetched_then_the_query_count_does_not_grow_with_the_page(client, bodies):
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"page_size": 2})
    with CaptureQueriesContext(connection) as many:
        client.get(URL, {"page_size": 200})
    assert len(few) == len(many) == 2


def test_when_one_organisation_is_fetched_then_every_fact_is_there(client, bodies):
    response = client.get(f"{URL}/digitaliseringsdirektoratet")
    assert response.status_code == 200
    assert response.json() == {
        "slug": "digitaliseringsdirektoratet",
        "name": "Digitaliseringsdirektoratet",
        "short_name": "Digdir",
        "kind": "state_agency",
        "organisation_number": "991825827",
        "municipality_number": None,
        "county": None,
        "population": None,
        "population_year": None,
        "size_band": None,
        "centrality_class": None,
        "centrality_index": None,
        "ended_on": None,
        "official_name": "",
        "other_name_forms": [],
        "legal_name": "DIGITALISERINGSDIREKTORATET",
        "category": "direktorat/etat",
        "parent": {"slug": "digitaliserings-og-forvaltningsdepartementet", "name": bodies["dfd"].name},
        "subordinates": [],
        "county_municipality": None,
        "county_governor": None,
        "website": "",
        "note": "Etatsstyrt av DFD fra 2024-01-01.",
        "sources": ["E1", "E2", "E4", "R1"],
    }


def test_when_a_ministry_is_fetched_then_subordinates_are_listed(client, bodies):
    bodies["digdir"].ended_on = datetime.date(2024, 1, 1)
    bodies["digdir"].save()
    body = client.get(f"{URL}/digitaliserings-og-forvaltningsdepartementet").json()
    assert body["subordinates"] == [{"slug": "digitaliseringsdirektoratet", "name": "Digitaliseringsdirektoratet"}]
    assert client.get(f"{URL}/digitaliseringsdirektoratet").json()["ended_on"] == "2024-01-01"


def test_when_a_municipality_is_fetched_then_its_county_links_are_included(client, bodies):
    body = client.get(f"{URL}/alver").json()
    assert body["county_municipality"] == {"slug": "vestland-fylkeskommune", "name": "Vestland fylkeskommune"}
    assert body["county_governor"] == {
        "slug": "statsforvaltaren-i-vestland",
        "name": "Statsforvaltaren i Vestland",
    }
    assert {k: body[k] for k in ALVER} == ALVER


def test_when_the_slug_is_unknown_then_404_in_the_error_shape(client, bodies):
    response = client.get(f"{URL}/finnes-ikke")
    assert response.status_code == 404
    assert response.json() == {"status": 404, "code": "not_found", "message": "Not found.", "errors": []}


def test_when_counties_are_listed_then_links_are_included(client, bodies):
    CountyFactory(number="03", name="Oslo", official_name="Oslo - Oslove")
    response = client.get("/api/v1/counties")
    assert response.status_code == 200
    assert response.json() == [
        {
            "number": "03",
            "name": "Oslo",
            "official_name": "Oslo - Oslove",
            "county_municipality": None,
            "county_governor": None,
        },
        {
            "number": "46",
            "name": "Vestland",
            "official_name": "Vestland",
            "county_municipality": {"slug": "vestland-fylkeskommune", "name": "Vestland fylkeskommune"},
            "county_governor": {"slug": "statsforvaltaren-i-vestland", "name": "Statsforvaltaren i Vestland"},
        },
    ]


def test_when_the_schema_is_read_then_every_organisation_operation_is_documented(client):
    schema = client.get("/api/v1/openapi.json").json()
    operations = {
        ("get", "/api/v1/organisations"): {"200", "422"},
        ("get", "/api/v1/organisations/{slug}"): {"200", "404", "422"},
        ("get", "/api/v1/counties"): {"200", "422"},
    }
    for (method, path), codes in operations.items():
        operation = schema["paths"][path][method]
        assert operation["summary"] and operation["description"], path
        assert set(operation["responses"]) == codes, path
    components = schema["components"]["schemas"]
    for name in ("OrganisationOut", "OrganisationDetailOut", "CountyOut"):
        undocumented = [f for f, spec in components[name]["properties"].items() if not spec.get("description")]
        assert undocumented == [], name
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/organisations"]["get"]["parameters"]}
    assert set(parameters) == {"q", "kind", "county", "size_band", "centrality_class", "page", "page_size"}
    assert all(p.get("description") for p in parameters.values())
