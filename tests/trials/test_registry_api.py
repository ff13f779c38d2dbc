"""``GET /api/v1/trials`` and ``GET /api/v1/trials/{slug}``: public trials for everyone; a trial that is not public
only for its owners (an outsider gets 404, as on the page)."""

from __future__ import annotations

import pytest

from nyskap.core.visibility import Visibility
from nyskap.trials import services
from tests.helpers import bearer

from .factories import make_trial, run_to_end

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [item["title"] for item in response.json()["results"]]


def test_the_list_shows_public_trials_and_owners_see_their_own(
    client, innovator, colleague, outsider, home_municipality
):
    make_trial(actor=innovator, owner=home_municipality, title="Offentlig")
    make_trial(actor=innovator, owner=home_municipality, title="Intern", visibility=Visibility.ORGANISATION)
    assert titles(client.get("/api/v1/trials")) == ["Offentlig"]
    assert titles(client.get("/api/v1/trials", **bearer(outsider))) == ["Offentlig"]
    assert sorted(titles(client.get("/api/v1/trials", **bearer(colleague)))) == ["Intern", "Offentlig"]
    assert client.get("/api/v1/trials").json()["count"] == 1


def test_a_draft_is_refused_to_an_outsider_and_shown_to_an_owner(
    client, innovator, colleague, outsider, home_municipality
):
    trial = make_trial(actor=innovator, owner=home_municipality, title="Intern", visibility=Visibility.ORGANISATION)
    refused = client.get(f"/api/v1/trials/{trial.slug}", **bearer(outsider))
    assert refused.status_code == 404
    assert set(refused.json()) == {"status", "code", "message", "errors"}
    assert client.get(f"/api/v1/trials/{trial.slug}").status_code == 404
    shown = client.get(f"/api/v1/trials/{trial.slug}", **bearer(colleague))
    assert shown.status_code == 200
    assert shown.json()["title"] == "Intern"


def test_the_detail_has_the_fingerprint_and_the_effect(client, innovator, home_municipality):
    trial = run_to_end(make_trial(actor=innovator, owner=home_municipality), innovator)
    services.result_add_counts(
        actor=innovator, trial=trial, outcome="Møtte", arms=[("SMS", 120, 400), ("Ingen", 90, 410)]
    )
    data = client.get(f"/api/v1/trials/{trial.slug}").json()
    assert data["fingerprint"] == trial.registration.fingerprint
    assert data["registered_plan"]["planned_sample_size"] == 800
    [result] = data["results"]
    assert result["difference"] == pytest.approx(120 / 400 - 90 / 410)
    assert result["ci_low"] < result["difference"] < result["ci_high"]


def test_filters_narrow_the_list(client, innovator, home_municipality):
    make_trial(actor=innovator, owner=home_municipality, title="Pilot")
    make_trial(actor=innovator, owner=home_municipality, title="Lab", kind="lab")
    assert titles(client.get("/api/v1/trials?kind=lab")) == ["Lab"]
    bad = client.get("/api/v1/trials?kind=nope")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"]
