"""The challenges API: public reads, token writes, errors naming the field."""

from __future__ import annotations

import pytest

from nyskap.api.models import ApiToken
from nyskap.challenges import services

pytestmark = pytest.mark.django_db

BODY = {
    "organisation": "oygarden",
    "title": "Smartere brøyting",
    "need": "Brøytingen starter for sent.",
    "effect": "Ryddige veier kl. 07.",
    "procedure": "market_dialogue",
    "budget_min": 0,
    "budget_max": 200000,
    "opens_at": "2026-10-01T09:00:00",
    "proposal_deadline": "2026-11-01T12:00:00",
}


def _auth(user) -> dict[str, str]:
    _token, raw = ApiToken.issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_list_and_detail_public_only(challenge, open_challenge, anonymous, innovator, home_municipality):
    from .factories import make_challenge

    draft = make_challenge(actor=innovator, owner=home_municipality, title="Hemmelig utkast")
    body = anonymous.get("/api/v1/challenges").json()
    slugs = [item["slug"] for item in body["results"]]
    assert open_challenge.slug in slugs and draft.slug not in slugs
    assert anonymous.get(f"/api/v1/challenges/{draft.slug}").status_code == 404
    detail = anonymous.get(f"/api/v1/challenges/{open_challenge.slug}").json()
    assert detail["bodies_count"] == 1 and detail["owners"][0]["slug"] == "oygarden"


def test_create_with_token(innovator, client):
    response = client.post("/api/v1/challenges", BODY, content_type="application/json", **_auth(innovator))
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "draft"
    assert (
        response.json()["opens_at"].startswith("2026-10-01T09:00:00+02:00")
        or "07:00:00Z" in response.json()["opens_at"]
        or response.json()["opens_at"].startswith("2026-10-01T07:00:00")
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"budget_min": -1}, "budget_min"),
        ({"budget_min": 300000}, "budget_max"),
        ({"proposal_deadline": "2026-09-01T12:00:00"}, "proposal_deadline"),
        ({"procedure": "lottery"}, "procedure"),
        ({"organisation": "nope"}, "organisation"),
        ({"title": "a\x00b"}, "title"),
    ],
)
def test_create_refusals_name_the_field(innovator, client, change, field):
    response = client.post(
        "/api/v1/challenges", {**BODY, **change}, content_type="application/json", **_auth(innovator)
    )
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["errors"]]


def test_outsider_cannot_post_for_another_body(outsider, home_municipality, client):
    response = client.post("/api/v1/challenges", BODY, content_type="application/json", **_auth(outsider))
    assert response.status_code == 403


def test_anonymous_cannot_post(client):
    assert client.post("/api/v1/challenges", BODY, content_type="application/json").status_code == 401


def test_api_never_shows_who_asked(open_challenge, supplier, innovator, anonymous):
    question = services.ask(actor=supplier, challenge=open_challenge, text="Hvor mange brukere?")
    services.answer(actor=innovator, question=question, text="Omtrent 300.")
    text = anonymous.get(f"/api/v1/challenges/{open_challenge.slug}").content.decode()
    assert "Omtrent 300." in text and "Start AS" not in text and supplier.email not in text
