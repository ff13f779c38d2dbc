"""The culture API returns exactly the page's figures: hidden groups are null."""

from __future__ import annotations

import pytest

from ..helpers import bearer
from .factories import answer_all, close, culture_round

pytestmark = pytest.mark.django_db


def test_when_units_of_6_and_4_then_the_api_shows_the_total_and_nulls_for_both_units(
    client, innovator, outsider, colleague, home_municipality
):
    round = culture_round(actor=innovator, organisation=home_municipality, units=["Helse", "Skole"])
    health, school = round.units.all()
    for value in [4, 4, 5, 3, 4, 5]:
        answer_all(round, value, unit=health)
    for value in [2, 3, 2, 3]:
        answer_all(round, value, unit=school)
    close(round)
    response = client.get(f"/api/v1/culture/rounds/{round.pk}/results", **bearer(innovator))
    assert response.status_code == 200
    body = response.json()
    assert body["respondents"] == 10
    curiosity = body["dimensions"][0]
    assert curiosity["total"]["respondents"] == 10
    assert curiosity["total"]["mean"]["estimate"] == 3.5
    assert curiosity["distribution"] == {"1": 0, "2": 8, "3": 12, "4": 12, "5": 8, "dk": 0}
    assert curiosity["units"] == [
        {"unit": "Helse", "shown": False, "band": None, "respondents": None, "mean": None, "share_agreeing": None},
        {"unit": "Skole", "shown": False, "band": None, "respondents": None, "mean": None, "share_agreeing": None},
    ]
    for user in (outsider, colleague):
        assert client.get(f"/api/v1/culture/rounds/{round.pk}/results", **bearer(user)).status_code == 404


def test_when_under_the_threshold_then_the_api_has_no_numbers(client, innovator, home_municipality):
    round = culture_round(actor=innovator, organisation=home_municipality)
    for value in [1, 2, 3]:
        answer_all(round, value)
    close(round)
    body = client.get(f"/api/v1/culture/rounds/{round.pk}/results", **bearer(innovator)).json()
    assert body["respondents"] is None
    assert all(d["total"]["mean"] is None and d["distribution"] == {} for d in body["dimensions"])


def test_the_national_picture_is_public(client):
    response = client.get("/api/v1/culture/national")
    assert response.status_code == 200
    assert response.json() == []
