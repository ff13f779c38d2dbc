"""Instrument owners change their instruments and publish calls through the API with a token; outsiders and other
owners are refused, and a refused value is a 422 naming the field with nothing stored."""

from __future__ import annotations

import datetime
import json
from functools import partial

import pytest

from nyskap.instruments.models import Call, Instrument

from .. import helpers
from ..helpers import EN
from ..helpers import api_error as error

pytestmark = pytest.mark.django_db

# API tokens whose requests ask for English.
bearer = partial(helpers.bearer, **EN)

CALL = {"title": "Utlysning 2026", "opens_on": "2026-02-01", "closes_on": "2026-04-15", "budget": "5000000"}


def test_when_the_owner_patches_an_instrument_then_only_the_fields_sent_change(client, loaded, instrument_owner):
    before = Instrument.objects.get(slug="stimulab")
    response = client.patch(
        "/api/v1/instruments/stimulab",
        json.dumps({"summary": "Ny omtale.", "website": "https://www.digdir.no/stimulab", "grant_max": 2000000}),
        content_type="application/json",
        **bearer(instrument_owner),
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["summary"], body["website"], body["website_origin"], body["grant_max"]) == (
        "Ny omtale.",
        "https://www.digdir.no/stimulab",
        "owner",
        "2000000",
    )
    after = Instrument.objects.get(slug="stimulab")
    assert (after.summary, after.grant_max, after.owner_edited) == ("Ny omtale.", 2_000_000, True)
    assert after.name_nb == before.name_nb


def test_when_an_outsider_or_anonymous_patches_then_it_is_refused_and_nothing_changes(
    client, loaded, outsider, instrument_owner
):
    before = Instrument.objects.get(slug="stimulab").summary
    body = json.dumps({"summary": "Kapret"})
    response = client.patch("/api/v1/instruments/stimulab", body, content_type="application/json")
    assert response.status_code == 401
    response = client.patch("/api/v1/instruments/stimulab", body, content_type="application/json", **bearer(outsider))
    assert response.json() == error(
        403, "forbidden", "Only the instrument owners of the instrument's organisations can change it."
    )
    # An owner of another organisation's instruments is an outsider here too.
    other = Instrument.objects.exclude(owners__reference_key="digdir").first()
    response = client.patch(
        f"/api/v1/instruments/{other.slug}", body, content_type="application/json", **bearer(instrument_owner)
    )
    assert response.status_code == 403
    assert Instrument.objects.get(slug="stimulab").summary == before
    assert not Instrument.objects.filter(summary="Kapret").exists()


def test_when_a_value_is_refused_then_the_field_is_named_and_nothing_is_stored(client, loaded, instrument_owner):
    response = client.patch(
        "/api/v1/instruments/stimulab",
        json.dumps({"project_cost_min": 500, "project_cost_max": 100}),
        content_type="application/json",
        **bearer(instrument_owner),
    )
    assert response.json() == error(
        422,
        "validation_error",
        "The request is not valid.",
        [{"field": "project_cost_max", "message": "The largest project cost cannot be below the smallest."}],
    )
    assert Instrument.objects.get(slug="stimulab").project_cost_max != 100


def test_when_the_owner_publishes_and_changes_a_call_then_it_is_stored(client, loaded, instrument_owner):
    response = client.post(
        "/api/v1/instruments/stimulab/calls",
        json.dumps(CALL),
        content_type="application/json",
        **bearer(instrument_owner),
    )
    assert response.status_code == 201
    call = Call.objects.get(title="Utlysning 2026")
    assert response.json() == {
        "id": call.pk,
        "instrument": "stimulab",
        "title": "Utlysning 2026",
        "opens_on": "2026-02-01",
        "closes_on": "2026-04-15",
        "budget": "5000000",
        "url": "",
        "is_example": False,
    }
    response = client.patch(
        f"/api/v1/instruments/stimulab/calls/{call.pk}",
        json.dumps({"closes_on": "2026-05-01"}),
        content_type="application/json",
        **bearer(instrument_owner),
    )
    assert response.status_code == 200
    call.refresh_from_db()
    assert (call.title, call.closes_on) == ("Utlysning 2026", datetime.date(2026, 5, 1))


def test_when_a_call_closes_before_it_opens_or_an_outsider_publishes_then_it_is_refused(
    client, loaded, instrument_owner, outsider
):
    response = client.post(
        "/api/v1/instruments/stimulab/calls",
        json.dumps({**CALL, "closes_on": "2026-01-01"}),
        content_type="application/json",
        **bearer(instrument_owner),
    )
    assert response.json()["errors"] == [{"field": "closes_on", "message": "The call cannot close before it opens."}]
    response = client.post(
        "/api/v1/instruments/stimulab/calls", json.dumps(CALL), content_type="application/json", **bearer(outsider)
    )
    assert response.status_code == 403
    assert not Call.objects.filter(instrument__slug="stimulab").exists()
