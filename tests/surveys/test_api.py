"""The survey API: answering through a link with precise errors and nothing stored on refusal; leaders read
progress with a token; outsiders get 404."""

from __future__ import annotations

import json

import pytest

from nyskap.surveys.models import Answer, Response, Round

from ..helpers import bearer
from .factories import make_round, make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey_round(innovator, home_municipality) -> Round:
    return make_round(
        actor=innovator, organisation=home_municipality, version=make_version(), units=["Helse"], link_enabled=True
    )


def post(client, url, payload):
    client.cookies["django_language"] = "en"
    return client.post(url, json.dumps(payload), content_type="application/json")


def link_post(client, round, payload):
    """Answer through the shared link the way a client must: draw a one-time ticket, then post with it."""
    ticket = client.get(f"/api/v1/surveys/respond/{round.link_token}").json()["ticket"]
    return post(client, f"/api/v1/surveys/respond/{round.link_token}", {**payload, "ticket": ticket})


def test_when_answers_are_posted_through_the_link_then_they_are_stored(client, survey_round):
    response = link_post(client, survey_round, {"answers": {"l1": 4, "l2": "dk", "many": ["x"], "num": "7"}})
    assert response.status_code == 201
    assert response.json() == {"submitted": True, "resume_secret": None}
    stored = Response.objects.get()
    assert (stored.unit, stored.via_link) == (None, True)
    assert sorted(Answer.objects.filter(response=stored).values_list("item__key", flat=True)) == [
        "l1",
        "l2",
        "many",
        "num",
    ]


def test_when_values_are_impossible_then_422_names_each_item_and_nothing_is_stored(client, survey_round):
    response = link_post(client, survey_round, {"answers": {"l1": 6, "one": "q", "num": "-1"}})
    assert response.status_code == 422
    assert response.json() == {
        "status": 422,
        "code": "validation_error",
        "message": "Some answers are not valid.",
        "errors": [
            {"field": "answers.l1", "message": "Choose a point from 1 to 5."},
            {"field": "answers.one", "message": "Choose one of the options."},
            {"field": "answers.num", "message": "The number must be at least 0."},
        ],
    }
    assert Response.objects.count() == 0


def test_when_the_link_is_forged_or_the_round_closed_then_410(client, survey_round):
    forged = post(client, "/api/v1/surveys/respond/forged", {"answers": {"l1": 3}})
    assert forged.status_code == 404
    assert forged.json()["message"] == "This survey link is not valid. Check that you copied the whole link."
    Round.objects.filter(pk=survey_round.pk).update(closed_early=True)
    closed = post(client, f"/api/v1/surveys/respond/{survey_round.link_token}", {"answers": {"l1": 3}})
    assert closed.json() == {
        "status": 410,
        "code": "link_refused",
        "message": "The survey is closed; answers can no longer be given.",
        "errors": [],
    }
    assert Response.objects.count() == 0


def test_when_a_draft_is_saved_then_its_secret_continues_it(client, survey_round):
    saved = link_post(client, survey_round, {"answers": {"l2": 2}, "submit": False})
    secret = saved.json()["resume_secret"]
    assert saved.status_code == 201 and secret
    done = post(client, f"/api/v1/surveys/resume/{secret}", {"answers": {"l1": 5}})
    assert done.json() == {"submitted": True, "resume_secret": None}
    assert Response.objects.get().submitted is True
    assert post(client, f"/api/v1/surveys/resume/{secret}", {"answers": {"l1": 5}}).status_code == 404


def test_the_survey_behind_a_link_lists_its_items(client, survey_round):
    response = client.get(f"/api/v1/surveys/respond/{survey_round.link_token}")
    body = response.json()
    assert [item["key"] for item in body["items"]] == ["l1", "l2", "one", "many", "num", "free"]
    assert "units" not in body
    assert len(body["ticket"]) > 20


def test_when_a_leader_reads_the_round_then_progress_is_shown_and_an_outsider_gets_404(
    client, survey_round, innovator, outsider
):
    ok = client.get(f"/api/v1/surveys/rounds/{survey_round.pk}", **bearer(innovator))
    assert ok.status_code == 200
    assert (ok.json()["responses"], ok.json()["threshold"]) == (0, 5)
    refused = client.get(f"/api/v1/surveys/rounds/{survey_round.pk}", **bearer(outsider))
    assert refused.status_code == 404
    assert client.get(f"/api/v1/surveys/rounds/{survey_round.pk}").status_code == 401
    assert [r["id"] for r in client.get("/api/v1/surveys/rounds", **bearer(outsider)).json()] == []
