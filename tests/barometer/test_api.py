"""``POST /api/v1/barometer/estimate``: the issue's example, answers checked against the OpenAPI schema, refusals
naming the stratum or the field."""

from __future__ import annotations

import json

import jsonschema_rs
import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/barometer/estimate"


def post(client, body):
    return client.post(URL, json.dumps(body), content_type="application/json")


@pytest.fixture(scope="module")
def openapi(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        return Client().get("/api/v1/openapi.json").json()


def check(openapi, name, data):
    schema = {"$ref": f"#/components/schemas/{name}", "components": openapi["components"]}
    jsonschema_rs.validate(schema, data)


def body(**overrides):
    responses = [{"stratum": "helse", "value": i < 6} for i in range(10)]
    responses += [{"stratum": "skole", "value": i < 1} for i in range(5)]
    return {
        "confidence": 0.95,
        "min_cell": 5,
        "strata": [{"stratum": "helse", "population": 100}, {"stratum": "skole", "population": 300}],
        "responses": responses,
    } | overrides


def test_the_issues_example_gives_the_hand_worked_figures(client, openapi):
    response = post(client, body())
    assert response.status_code == 200
    data = response.json()
    check(openapi, "BarometerEstimateOut", data)
    assert data["estimate"] == pytest.approx(0.30)
    assert data["n"] == 15
    assert data["n_eff"] == pytest.approx(160_000 / 19_000)
    assert data["ci_low"] < 0.30 < data["ci_high"]
    helse, skole = data["by_stratum"]
    assert (helse["stratum"], helse["n"], helse["weight"], helse["estimate"]) == ("helse", 10, 10.0, 0.6)
    assert (skole["weight"], skole["estimate"], skole["suppressed"]) == (60.0, 0.2, False)


def test_a_small_stratum_is_suppressed(client, openapi):
    data = post(client, body(min_cell=6)).json()
    check(openapi, "BarometerEstimateOut", data)
    assert [s["suppressed"] for s in data["by_stratum"]] == [True, True]  # 5 hidden, so 10 too (15 − 10 = 5)
    assert all(s["estimate"] is None for s in data["by_stratum"])
    assert data["estimate"] == pytest.approx(0.30)


@pytest.mark.parametrize(
    ("strata", "field"),
    [
        ([{"stratum": "helse", "population": 100}], "responses.10.stratum"),
        ([{"stratum": "helse", "population": 100}, {"stratum": "skole", "population": 4}], "strata.1.population"),
    ],
)
def test_a_stratum_without_or_with_too_small_a_population_is_refused_by_name(client, openapi, strata, field):
    response = post(client, body(strata=strata))
    assert response.status_code == 422
    data = response.json()
    check(openapi, "ErrorOut", data)
    assert data["errors"][0]["field"] == field
    assert "skole" in data["errors"][0]["message"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"confidence": 1.0}, "confidence"),
        ({"confidence": 0}, "confidence"),
        ({"confidence": "0.95"}, "confidence"),
        ({"min_cell": 2}, "min_cell"),
        ({"strata": []}, "strata"),
        ({"responses": []}, "responses"),
        ({"responses": [{"stratum": "helse", "value": "yes"}]}, "responses.0.value"),
        ({"responses": [{"stratum": "he\x00lse", "value": True}]}, "responses.0.stratum"),
        ({"responses": [{"stratum": "helse", "value": True}] * 50_001}, "responses"),
        ({"strata": [{"stratum": "helse", "population": 10**12}]}, "strata.0.population"),
        (
            {"strata": [{"stratum": "helse", "population": 1}, {"stratum": "helse", "population": 2}]},
            "strata.1.stratum",
        ),
        ({"weights": {}}, "weights"),
    ],
)
def test_bad_input_is_refused_naming_the_field(client, overrides, field):
    response = post(client, body(**overrides))
    assert response.status_code in (400, 422), response.content[:300]
    if response.status_code == 422:
        assert field in [e["field"] for e in response.json()["errors"]]
