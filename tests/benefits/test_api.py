"""The benefit endpoints: the calculation for other systems, plan reads by visibility, measurements with a token."""

from __future__ import annotations

import datetime

import pytest

from nyskap.api.models import ApiToken
from nyskap.benefits.models import Measurement

from ..helpers import EN

pytestmark = pytest.mark.django_db

EXAMPLE = {
    "base_year": 2024,
    "analysis_years": 3,
    "investment": ["1000000"],
    "operating": [0, 100000, 100000],
    "benefits": [{"bearer": "own_organisation", "budget_cut": True, "amounts": [0, 600000, "600000.00"]}],
}


def test_when_cash_flows_are_posted_then_the_npv_and_yearly_table_come_back(client):
    response = client.post("/api/v1/benefits/calculate", EXAMPLE, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["parameter_version"] == "R-109/21"
    assert body["npv"] == "-68343.20"
    assert body["npv_per_invested_krone"] == "-0.0683"
    second = body["years"][1]
    assert (second["year"], second["discount_factor"], second["tax_financing_cost"], second["discounted"]) == (
        2025,
        "0.9615384615",
        "-100000.00",
        "576923.08",
    )
    own = body["co_financing_checks"][0]
    assert (own["net_benefit"], own["required_cut"], own["passed"]) == ("1000000.00", "500000.00", True)


def test_when_a_series_is_longer_than_the_period_then_the_period_follows_it(client):
    response = client.post(
        "/api/v1/benefits/calculate",
        {**EXAMPLE, "analysis_years": 1, "operating": [0, 0, 0, 5]},
        content_type="application/json",
    )
    years = response.json()["years"]
    assert [row["year"] for row in years] == [2024, 2025, 2026, 2027]
    # 2027: operating 5 → tax 1 → net −6, discounted −6/1.04³ = −5.33
    assert (years[3]["operating"], years[3]["tax_financing_cost"], years[3]["discounted"]) == ("5.00", "1.00", "-5.33")


def test_when_the_input_is_malformed_then_a_precise_422_names_the_fields(client):
    response = client.post(
        "/api/v1/benefits/calculate",
        {
            **EXAMPLE,
            "analysis_years": 101,
            "operating": [-1],
            "benefits": [{"bearer": "citizens", "budget_cut": True, "amounts": []}],
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert (body["code"], body["message"]) == ("validation_error", "The request is not valid.")
    fields = sorted(error["field"] for error in body["errors"])
    assert fields == ["analysis_years", "benefits.0.budget_cut", "operating.0"]


def test_when_an_unknown_parameter_version_is_asked_for_then_404(client):
    response = client.post(
        "/api/v1/benefits/calculate", {**EXAMPLE, "parameter_version": "R-999"}, content_type="application/json"
    )
    assert response.status_code == 404 and response.json()["errors"][0]["field"] == "parameter_version"


def test_when_parameters_are_listed_then_r109_is_there_with_its_unverified_marks(client):
    body = client.get("/api/v1/benefits/parameters").json()
    assert body[0]["version"] == "R-109/21"
    assert body[0]["discount_bands"] == [[40, "0.04"], [75, "0.03"], [None, "0.02"]]
    assert "tax_financing_rate" in body[0]["uncertain"]


def test_when_a_plan_is_read_then_visibility_decides(client, plan, public_plan, innovator):
    assert client.get(f"/api/v1/benefits/plans/{plan.project.slug}").status_code == 404
    body = client.get(f"/api/v1/benefits/plans/{public_plan.project.slug}").json()
    assert body["calculation"]["npv"] == "-68343.20"
    assert body["benefits"][0]["owner"] == "Kari Kollega" and body["benefits"][0]["status"] == "not_started"
    _token, raw = ApiToken.issue(user=innovator, name="t")
    response = client.get(f"/api/v1/benefits/plans/{plan.project.slug}", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200 and response.json()["version"] == 1


def test_when_the_owner_posts_a_measurement_with_a_token_then_it_is_recorded(client, plan, colleague, outsider):
    benefit = plan.benefits.get()
    url = f"/api/v1/benefits/benefits/{benefit.pk}/measurements"
    data = {"value": "500", "measured_on": datetime.date.today().isoformat(), "source": "Fagsystem"}
    assert client.post(url, data, content_type="application/json").status_code == 401
    _t, outsider_token = ApiToken.issue(user=outsider, name="t")
    refused = client.post(url, data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {outsider_token}")
    assert refused.status_code == 404  # the outsider may not see the project
    _t, raw = ApiToken.issue(user=colleague, name="t")
    response = client.post(url, data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 201 and response.json()["value"] == "500"
    assert Measurement.objects.get().recorded_by == colleague


def test_when_a_non_owner_who_can_see_the_plan_posts_a_measurement_then_403(client, public_plan, outsider):
    benefit = public_plan.benefits.get()
    _t, raw = ApiToken.issue(user=outsider, name="t")
    response = client.post(
        f"/api/v1/benefits/benefits/{benefit.pk}/measurements",
        {"value": "1", "measured_on": "2024-07-01", "source": "x"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
        **EN,
    )
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert not Measurement.objects.exists()


def test_when_a_measurement_is_behind_without_explanation_then_422_names_the_field(client, plan, colleague):
    benefit = plan.benefits.get()
    _t, raw = ApiToken.issue(user=colleague, name="t")
    response = client.post(
        f"/api/v1/benefits/benefits/{benefit.pk}/measurements",
        {"value": "100", "measured_on": datetime.date.today().isoformat(), "source": "x"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
        **EN,
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "deviation_explanation",
            "message": "The benefit is behind its path to the target. Explain the deviation.",
        }
    ]


def test_when_the_investment_is_spread_then_both_per_krone_figures_and_the_unverified_parameters_come_back(client):
    payload = {
        "base_year": 2024,
        "analysis_years": 3,
        "investment": [520000, 520000],
        "benefits": [{"bearer": "citizens", "amounts": [0, 0, 2163200]}],
    }
    body = client.post("/api/v1/benefits/calculate", payload, content_type="application/json").json()
    # NPV = −624 000 − 624 000/1.04 + 2 163 200/1.0816 = −624 000 − 600 000 + 2 000 000 = 776 000.
    assert body["npv"] == "776000.00"
    # NPV / investment cost = 776 000 / 1 040 000 = 0.74615…; NPV / PV of investment = 776 000 / 1 020 000 = 0.76078…
    assert (body["investment_total"], body["npv_per_invested_krone"]) == ("1040000.00", "0.7462")
    assert (body["pv_investment"], body["npv_per_pv_invested_krone"]) == ("1020000.00", "0.7608")
    assert body["uncertain"] == [
        "discount_bands",
        "tax_financing_rate",
        "max_analysis_years",
        "real_growth_rate",
        "co_financing_basis",
    ]


def test_when_amounts_have_fractions_of_an_øre_then_they_are_rounded_and_a_tiny_investment_cannot_break_the_figure(
    client,
):
    # A generated request once sent an investment of 8e-234 kroner: NPV per invested krone then needed hundreds of
    # digits. Amounts are counted in øre, so that investment is zero and there is no per-krone figure.
    response = client.post(
        "/api/v1/benefits/calculate",
        {
            "base_year": 2025,
            "analysis_years": 2,
            "investment": [7.96538672562379e-234],
            "operating": ["0.004", "0.005"],
            "benefits": [{"bearer": "citizens", "amounts": ["100.004"]}],
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["investment_total"] == "0.00"
    assert body["npv_per_invested_krone"] is None
    years = body["years"]
    # 100.004 → 100.00 in the base year; operating 0.004 → 0.00 and 0.005 → 0.01 (half up) in the next.
    assert (years[0]["benefits"], years[0]["operating"], years[1]["operating"]) == ("100.00", "0.00", "0.01")


def test_when_the_threshold_readings_differ_then_the_api_gives_both_verdicts_the_basis_and_the_u_flag(client):
    body = {
        "base_year": 2025,
        "analysis_years": 10,
        "benefits": [
            {"bearer": "own_organisation", "organisation": "Skatteetaten", "budget_cut": True, "amounts": ["1000"]},
            {"bearer": "other_state", "organisation": "Lånekassen", "amounts": ["4000000"] * 10},
        ],
    }
    response = client.post("/api/v1/benefits/calculate", body, content_type="application/json")
    assert response.status_code == 200
    own, other = response.json()["co_financing_checks"]
    assert own == {
        "bearer": "own_organisation",
        "organisation": "Skatteetaten",
        "net_benefit": "1000.00",
        "required_cut": "500.00",
        "planned_cut": "1000.00",
        "applies": True,
        "passed": True,
        "basis": "period",
        "largest_year_net_benefit": "0.00",
        "other_basis_applies": None,
        "other_basis_passed": None,
        "readings_differ": False,
        "uncertain": ["co_financing_reading", "co_financing_basis"],
    }
    assert other == {
        "bearer": "other_state",
        "organisation": "Lånekassen",
        "net_benefit": "40000000.00",
        "required_cut": "20000000.00",
        "planned_cut": "0.00",
        "applies": True,
        "passed": False,
        "basis": "period",
        "largest_year_net_benefit": "4000000.00",
        "other_basis_applies": False,
        "other_basis_passed": True,
        "readings_differ": True,
        "uncertain": ["co_financing_reading", "co_financing_basis"],
    }


def test_when_the_residual_value_is_negative_then_the_api_computes_it_like_the_calculation(client):
    response = client.post(
        "/api/v1/benefits/calculate",
        {**EXAMPLE, "residual_value": "-108160"},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    # −108 160 in 2026 (t = 2) at 1/1.04² = −100 000; the NPV falls by the same.
    assert body["residual_value_discounted"] == "-100000.00"
    assert body["npv"] == "-168343.20"
