"""``POST /api/v1/trials/effect``: the issue's own example, checked against statsmodels; refusals name the field."""

from __future__ import annotations

import json

import pytest
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint, proportions_ztest
from statsmodels.stats.weightstats import _tconfint_generic, _tstat_generic

pytestmark = pytest.mark.django_db

URL = "/api/v1/trials/effect"


def post(client, body):
    return client.post(URL, json.dumps(body), content_type="application/json")


def test_the_binary_example_gives_newcombe_wilson_and_the_risk_ratio_as_statsmodels_does(client):
    body = {
        "outcome": "binary",
        "confidence": 0.95,
        "arms": [{"label": "SMS dagen før", "events": 120, "n": 400}, {"label": "Ingen SMS", "events": 90, "n": 410}],
    }
    response = post(client, body)
    assert response.status_code == 200
    data = response.json()
    low, high = confint_proportions_2indep(120, 400, 90, 410, method="newcomb", compare="diff")
    assert data["difference"] == pytest.approx(120 / 400 - 90 / 410)
    assert (data["ci_low"], data["ci_high"]) == (pytest.approx(low), pytest.approx(high))
    assert data["p_value"] == pytest.approx(proportions_ztest([120, 90], [400, 410])[1])
    assert data["method"] == "newcombe-hybrid-score; pooled z-test"
    assert [(a["label"], a["events"], a["n"]) for a in data["arms"]] == [
        ("SMS dagen før", 120, 400),
        ("Ingen SMS", 90, 410),
    ]
    w_low, w_high = proportion_confint(90, 410, method="wilson")
    assert data["arms"][1]["proportion"] == pytest.approx(90 / 410)
    assert (data["arms"][1]["ci_low"], data["arms"][1]["ci_high"]) == (pytest.approx(w_low), pytest.approx(w_high))
    r_low, r_high = confint_proportions_2indep(120, 400, 90, 410, method="log", compare="ratio")
    assert data["risk_ratio"]["estimate"] == pytest.approx((120 / 400) / (90 / 410))
    assert (data["risk_ratio"]["ci_low"], data["risk_ratio"]["ci_high"]) == (
        pytest.approx(r_low),
        pytest.approx(r_high),
    )


def test_the_continuous_example_gives_welchs_interval(client):
    body = {
        "outcome": "continuous",
        "confidence": 0.9,
        "arms": [
            {"label": "Ny", "mean": 5.1, "sd": 2.0, "n": 60},
            {"label": "Gammel", "mean": 4.3, "sd": 2.4, "n": 55},
        ],
    }
    response = post(client, body)
    assert response.status_code == 200
    data = response.json()
    a, b = 2.0**2 / 60, 2.4**2 / 55
    se = (a + b) ** 0.5
    df = (a + b) ** 2 / (a * a / 59 + b * b / 54)
    low, high = _tconfint_generic(0.8, se, df, alpha=0.1, alternative="two-sided")
    assert data["difference"] == pytest.approx(0.8)
    assert (data["ci_low"], data["ci_high"]) == (pytest.approx(low), pytest.approx(high))
    assert data["p_value"] == pytest.approx(_tstat_generic(5.1, 4.3, se, df, "two-sided", 0)[1])
    assert data["method"] == "welch"
    assert data["arms"] == []
    assert data["risk_ratio"] is None


def test_no_events_in_one_arm_gives_no_risk_ratio_but_a_difference(client):
    response = post(client, {"outcome": "binary", "arms": [{"events": 0, "n": 50}, {"events": 4, "n": 50}]})
    assert response.status_code == 200
    assert response.json()["risk_ratio"] is None
    assert response.json()["difference"] == pytest.approx(-0.08)


def _errors(response):
    assert response.status_code == 422
    data = response.json()
    assert data["status"] == 422 and data["code"] == "validation_error"
    return [(e["field"], e["message"]) for e in data["errors"]]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"outcome": "binary", "arms": [{"events": 500, "n": 400}, {"events": 90, "n": 410}]},
            "arms.0.events",
            "The number of events cannot be greater than the number of units.",
        ),
        ({"outcome": "binary", "arms": [{"events": 0, "n": 0}, {"events": 0, "n": 4}]}, "arms.0.n", None),
        (
            {"outcome": "continuous", "arms": [{"mean": 1, "sd": -2, "n": 9}, {"mean": 1, "sd": 1, "n": 9}]},
            "arms.0.sd",
            None,
        ),
        (
            {"outcome": "continuous", "arms": [{"mean": 1, "sd": 2, "n": 9}, {"mean": 1, "sd": 1, "n": 1}]},
            "arms.1.n",
            "Value error, Input should be between 2 and 1000000000",
        ),
        (
            {"outcome": "binary", "arms": [{"events": 1, "n": 9}, {"n": 9}]},
            "arms.1.events",
            None,
        ),
        (
            {"outcome": "continuous", "arms": [{"mean": 1, "n": 9}, {"mean": 1, "sd": 1, "n": 9}]},
            "arms.0.sd",
            None,
        ),
        ({"outcome": "binary", "arms": [{"events": 1, "n": 9}]}, "arms", None),
        (
            {"outcome": "binary", "confidence": 1, "arms": [{"events": 1, "n": 9}, {"events": 1, "n": 9}]},
            "confidence",
            None,
        ),
        ({"outcome": "ordinal", "arms": [{"events": 1, "n": 9}, {"events": 1, "n": 9}]}, "outcome", None),
        ({"outcome": "binary", "arms": [{"events": "mange", "n": 9}, {"events": 1, "n": 9}]}, "arms.0.events", None),
        ({"outcome": "binary", "arms": [{"events": 1, "n": 9, "x": 1}, {"events": 1, "n": 9}]}, "arms.0.x", None),
        (
            {"outcome": "binary", "arms": [{"label": "a\u0000b", "events": 1, "n": 9}, {"events": 1, "n": 9}]},
            "arms.0.label",
            None,
        ),
        ({"outcome": "binary", "arms": [{"events": 1, "n": 10**30}, {"events": 1, "n": 9}]}, "arms.0.n", None),
    ],
)
def test_a_refusal_names_the_field(client, body, field, message):
    errors = _errors(post(client, body))
    assert field in [f for f, _m in errors]
    if message is not None:
        assert (field, message) in errors
