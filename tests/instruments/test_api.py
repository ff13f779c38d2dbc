"""The catalogue in the open API: list with filters, one instrument, calls, and the matcher with reasons; precise
422s for bad input."""

from __future__ import annotations

import datetime

import pytest

from nyskap.instruments.models import Call

from ..helpers import english

pytestmark = pytest.mark.django_db


def test_when_instruments_are_listed_then_filters_narrow_them(client, loaded):
    everything = client.get("/api/v1/instruments?page_size=200").json()
    assert everything["count"] == 46
    ended = client.get("/api/v1/instruments?status=ended").json()
    assert sorted(i["slug"] for i in ended["results"]) == ["programfinansiering-0-24", "startoff"]
    money_late = client.get("/api/v1/instruments?offer=money&phase=implemented").json()
    assert sorted(i["slug"] for i in money_late["results"]) == [
        "medfinansiering", "overskridelse-investering", "velferdsteknologiprogrammet",
    ]  # fmt: skip
    by_owner = client.get("/api/v1/instruments?owner=finanstilsynet").json()
    assert [i["slug"] for i in by_owner["results"]] == ["regulatoriske-sandkasser"]


def test_when_a_filter_value_is_unknown_then_422_names_the_field(client, loaded):
    response = client.get("/api/v1/instruments?applicant_kind=pirate")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["applicant_kind"]


def test_when_one_instrument_is_fetched_then_its_facts_and_sources_are_there(client, loaded):
    data = client.get("/api/v1/instruments/medfinansiering").json()
    assert data["applicant_kinds"] == [
        "state_agency",
        "ministry",
        "county_governor",
        "supervisory_authority",
        "university",
        "tribunal",
        "ombud",
    ]
    assert data["requirements"] == ["benefit_plan"]
    assert data["grant_max"] == "50000000" and data["cofunding_max_percent"] == "50.00"
    assert data["source"] == "WP box 13.3; difi.no; digdir.no"
    assert [o["name"] for o in data["owners"]] == ["Digitaliseringsdirektoratet"]
    assert client.get("/api/v1/instruments/finnes-ikke").status_code == 404


def test_when_calls_are_listed_then_the_state_selects_them(client, loaded):
    today = datetime.date.today()
    Call.objects.create(
        instrument=loaded["ipo"], title="Åpen", opens_on=today, closes_on=today + datetime.timedelta(days=5)
    )
    Call.objects.create(instrument=loaded["ipo"], title="Lukket", opens_on=today - datetime.timedelta(days=90),
                        closes_on=today - datetime.timedelta(days=1))  # fmt: skip
    assert [c["title"] for c in client.get("/api/v1/instruments/calls").json()["results"]] == ["Åpen"]
    assert [c["title"] for c in client.get("/api/v1/instruments/calls?state=closing").json()["results"]] == ["Åpen"]
    assert [c["title"] for c in client.get("/api/v1/instruments/calls?state=closed").json()["results"]] == ["Lukket"]
    assert client.get("/api/v1/instruments/calls?state=soon").status_code == 422


def test_when_the_matcher_is_called_then_results_are_ranked_with_reasons(client, loaded, home_municipality):
    response = english(client).get(
        "/api/v1/instruments/match?organisation=oygarden&phase=implemented&needs=money&include_excluded=true"
    )
    assert response.status_code == 200
    data = response.json()
    assert (data["organisation_kind"], data["population"]) == ("municipality", 39000)
    first = data["results"][0]
    assert (first["instrument"]["slug"], first["score"], first["rank"]) == ("velferdsteknologiprogrammet", 100, 1)
    co_financing = next(r for r in data["results"] if r["instrument"]["slug"] == "medfinansiering")
    assert co_financing["excluded"] is True and co_financing["rank"] is None
    assert {
        "code": "partner_only",
        "fits": False,
        "message": "The scheme is for state bodies; municipalities can only be partners.",
    } in co_financing["reasons"]
    ranks = [r["rank"] for r in data["results"] if not r["excluded"]]
    assert ranks == list(range(1, len(ranks) + 1))
    without = client.get("/api/v1/instruments/match?organisation=oygarden&phase=implemented&needs=money").json()
    assert all(not r["excluded"] for r in without["results"])
    assert len(without["results"]) == len(ranks)


def test_when_the_matcher_gets_an_unknown_organisation_then_404_and_an_unknown_kind_422(client, loaded):
    unknown = client.get("/api/v1/instruments/match?organisation=atlantis")
    assert unknown.status_code == 404
    assert unknown.json()["message"] == "No organisation has the slug given in `organisation`."
    kind = client.get("/api/v1/instruments/match?kind=pirate")
    assert kind.status_code == 422 and kind.json()["errors"][0]["field"] == "kind"


def test_when_the_matcher_is_called_twice_then_the_answer_is_the_same(client, loaded):
    url = "/api/v1/instruments/match?kind=state_agency&needs=advice&needs=money&sector=health_care"
    assert client.get(url).json() == client.get(url).json()


def test_when_one_instrument_is_fetched_then_its_names_and_the_link_with_its_origin_are_there(client, loaded):
    data = client.get("/api/v1/instruments/digifin").json()
    assert (data["name_nb"], data["name_nn"], data["name_en"]) == (
        "Digifin",
        "Digifin",
        "Digifin – digital joint-solution fund",
    )
    assert (data["website"], data["website_origin"]) == ("https://www.ks.no/", "owner_home")
    startoff = client.get("/api/v1/instruments/startoff").json()
    assert (startoff["website"], startoff["website_origin"]) == (
        "https://www.anskaffelser.no/innovasjon/startoff",
        "source",
    )
