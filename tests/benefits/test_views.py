"""The benefit pages: the plan with its yearly table, forms that keep input and show errors at the field, access for
editors, owners, outsiders and anonymous visitors, the portfolio roll-up and the prevention calculator."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client

from nyskap.benefits import services
from nyskap.benefits.models import Benefit, BenefitPlan, Cost, CostKind, Measurement, PlanStatus, PreventionSet
from nyskap.core.visibility import Visibility

from ..helpers import english, field_error
from ..projects.factories import make_project
from .factories import hand_worked_plan, make_benefit

pytestmark = pytest.mark.django_db


def text(html: bytes) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode()))


# The project page panel


def test_when_an_editor_opens_a_project_without_plan_then_the_panel_offers_to_write_one(as_innovator, project):
    response = english(as_innovator).get(f"/prosjekter/{project.slug}/")
    assert response.status_code == 200
    assert f'href="/gevinster/prosjekt/{project.slug}/ny/"' in response.content.decode()
    assert "Write a benefit-realisation plan" in response.content.decode()


def test_when_a_member_opens_the_project_with_a_plan_then_the_panel_shows_the_npv(as_colleague, plan):
    response = english(as_colleague).get(f"/prosjekter/{plan.project.slug}/")
    page = text(response.content)
    assert "Net present value -68,343 NOK" in page
    assert "Write a benefit-realisation plan" not in page


# Creating and editing


def test_when_an_editor_creates_a_plan_then_it_is_saved_and_shown(as_innovator, project):
    response = as_innovator.post(
        f"/gevinster/prosjekt/{project.slug}/ny/",
        {"rationale": "Kald mat", "goals": "Varm mat", "base_year": "2024", "analysis_years": "10"},
    )
    assert response.status_code == 302 and response["Location"] == f"/gevinster/prosjekt/{project.slug}/"
    plan = BenefitPlan.objects.get(project=project)
    assert (plan.base_year, plan.analysis_years, plan.parameters.version) == (2024, 10, "R-109/21")


def test_when_the_plan_form_is_wrong_then_input_is_kept_and_the_error_is_at_the_field(as_innovator, project):
    response = english(as_innovator).post(
        f"/gevinster/prosjekt/{project.slug}/ny/",
        {"rationale": "Kald mat er et problem", "goals": "", "base_year": "2024", "analysis_years": "101"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert field_error(html, "analysis_years") == "Ensure this value is less than or equal to 100."
    assert field_error(html, "goals") == "This field is required."
    assert "Kald mat er et problem" in html
    assert not BenefitPlan.objects.exists()


@pytest.mark.parametrize("client_name", ["as_outsider", "as_colleague"])
def test_when_a_non_editor_tries_to_write_or_change_a_plan_then_it_is_refused(request, client_name, plan):
    client = request.getfixturevalue(client_name)
    slug = plan.project.slug
    benefit = plan.benefits.get()
    expected = 404 if client_name == "as_outsider" else 403  # the outsider may not even see the project
    for method, url, data in (
        ("get", f"/gevinster/prosjekt/{slug}/rediger/", None),
        (
            "post",
            f"/gevinster/prosjekt/{slug}/rediger/",
            {"rationale": "x", "goals": "y", "base_year": 2024, "analysis_years": 3},
        ),
        ("post", f"/gevinster/prosjekt/{slug}/kostnader/", {"investment_2024": "5"}),
        ("post", f"/gevinster/prosjekt/{slug}/gevinst/ny/", {"description": "x"}),
        ("post", f"/gevinster/prosjekt/{slug}/gevinst/{benefit.pk}/belop/", {"amount_2024": "5"}),
        ("post", f"/gevinster/prosjekt/{slug}/gevinst/{benefit.pk}/slett/", {}),
        ("post", f"/gevinster/prosjekt/{slug}/send-inn/", {}),
        ("post", f"/gevinster/prosjekt/{slug}/ny-versjon/", {}),
    ):
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        assert response.status_code == expected, url
    plan.refresh_from_db()
    assert plan.rationale == "Middag leveres kald." and plan.status == PlanStatus.DRAFT
    assert Benefit.objects.count() == 1 and Cost.objects.filter(plan=plan).count() == 3


def test_when_costs_are_negative_then_the_error_is_beside_the_year_and_nothing_is_lost(as_innovator, plan):
    response = english(as_innovator).post(
        f"/gevinster/prosjekt/{plan.project.slug}/kostnader/",
        {"investment_2024": "-5", "operating_2025": "123456"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert field_error(html, "investment_2024") == "Costs cannot be negative."
    assert 'value="123456"' in html
    assert list(Cost.objects.filter(plan=plan, kind=CostKind.INVESTMENT).values_list("amount", flat=True)) == [
        Decimal("1000000.00")
    ]


def test_when_costs_are_saved_then_the_yearly_rows_are_replaced(as_innovator, plan):
    response = as_innovator.post(
        f"/gevinster/prosjekt/{plan.project.slug}/kostnader/",
        {"investment_2024": "2000000", "investment_2025": "", "operating_2026": "50000"},
    )
    assert response.status_code == 302
    assert sorted(Cost.objects.filter(plan=plan).values_list("kind", "year", "amount")) == [
        ("investment", 2024, Decimal("2000000.00")),
        ("operating", 2026, Decimal("50000.00")),
    ]


def test_when_a_benefit_has_a_target_without_baseline_and_dates_out_of_order_then_errors_are_at_the_fields(
    as_innovator, plan, colleague
):
    response = english(as_innovator).post(
        f"/gevinster/prosjekt/{plan.project.slug}/gevinst/ny/",
        {
            "description": "Raskere svar",
            "benefit_type": "quality",
            "bearer": "citizens",
            "realisation_form": "quality",
            "target_value": "10",
            "baseline_date": "2025-01-01",
            "target_date": "2024-01-01",
            "owner": str(colleague.pk),
            "measurement_frequency": "3",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert field_error(html, "baseline_value") == "A target needs a baseline to be measured against."
    assert field_error(html, "target_date") == "The target date must be after the baseline date."
    assert 'value="Raskere svar"' in html
    assert plan.benefits.count() == 1


def test_when_a_benefit_is_added_then_it_appears_in_its_prosjektveiviseren_group(as_innovator, plan, colleague):
    response = as_innovator.post(
        f"/gevinster/prosjekt/{plan.project.slug}/gevinst/ny/",
        {
            "description": "Raskere svar til innbyggerne",
            "benefit_type": "quality",
            "bearer": "citizens",
            "realisation_form": "quality",
            "indicator": "Svartid i dager",
            "baseline_value": "10",
            "baseline_date": "2024-01-01",
            "target_value": "2",
            "target_date": "2025-06-30",
            "owner": str(colleague.pk),
            "measurement_frequency": "12",
        },
    )
    assert response.status_code == 302
    benefit = plan.benefits.get(description="Raskere svar til innbyggerne")
    assert (benefit.owner, benefit.target_value, benefit.measurement_frequency) == (colleague, Decimal(2), 12)
    page = text(english(as_innovator).get(f"/gevinster/prosjekt/{plan.project.slug}/").content)
    assert "Non-priced effects Raskere svar til innbyggerne" in page
    assert "Budget effect in own organisation – 1,200,000 NOK" in page


# The plan page


def test_when_the_plan_is_shown_then_the_yearly_table_has_the_hand_worked_numbers(as_colleague, plan):
    response = english(as_colleague).get(f"/gevinster/prosjekt/{plan.project.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    table = text(re.search(r'<table[^>]*id="npv-table".*?</table>', html, re.S).group(0).encode())
    assert "2024 1.0000 0 1,000,000 0 200,000 -1,200,000 -1,200,000" in table
    assert "2025 0.9615 600,000 0 100,000 -100,000 600,000 576,923" in table
    assert "2026 0.9246 600,000 0 100,000 -100,000 600,000 554,734" in table
    assert "Net present value -68,343" in table
    checks = text(re.search(r'id="co-financing-checks".*?</ul>', html, re.S).group(0).encode())
    assert "Passes: Own organisation: net benefit NOK 1,000,000; at least NOK 500,000 must be a budget cut" in checks
    assert "R-109/21" in text(re.search(r'id="parameters".*?</dl>', html, re.S).group(0).encode())


def test_when_anonymous_opens_a_plan_then_visibility_decides(anonymous, plan, public_plan):
    assert anonymous.get(f"/gevinster/prosjekt/{plan.project.slug}/").status_code == 404
    assert anonymous.get(f"/gevinster/prosjekt/{plan.project.slug}/gevinstplan.xlsx").status_code == 404
    response = anonymous.get(f"/gevinster/prosjekt/{public_plan.project.slug}/")
    assert response.status_code == 200
    assert (
        "Record a measurement"
        not in english(anonymous).get(f"/gevinster/prosjekt/{public_plan.project.slug}/").content.decode()
    )


def test_when_submitting_with_a_benefit_without_owner_then_the_problem_is_shown_at_the_benefit(
    as_innovator, plan, innovator
):
    lonely = make_benefit(plan=plan, actor=innovator, description="Mindre papir")
    response = english(as_innovator).post(f"/gevinster/prosjekt/{plan.project.slug}/send-inn/")
    html = response.content.decode()
    assert response.status_code == 400
    assert f'href="#benefit-{lonely.pk}">“Mindre papir” needs a benefit owner in the line organisation.' in html
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_when_submitted_and_revised_then_old_versions_stay_readable(as_innovator, plan):
    assert as_innovator.post(f"/gevinster/prosjekt/{plan.project.slug}/send-inn/").status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    # A submitted version cannot be edited: the edit page redirects back with a message.
    assert as_innovator.get(f"/gevinster/prosjekt/{plan.project.slug}/rediger/").status_code == 302
    assert as_innovator.post(f"/gevinster/prosjekt/{plan.project.slug}/ny-versjon/").status_code == 302
    assert BenefitPlan.objects.get(project=plan.project, is_current=True).version == 2
    old = english(as_innovator).get(f"/gevinster/prosjekt/{plan.project.slug}/versjon/1/")
    assert old.status_code == 200 and "You are reading version 1, which has been replaced." in old.content.decode()


# Measurements


def test_when_the_owner_records_a_measurement_then_it_is_saved(as_colleague, plan):
    benefit = plan.benefits.get()
    url = f"/gevinster/prosjekt/{plan.project.slug}/gevinst/{benefit.pk}/maling/"
    assert as_colleague.get(url).status_code == 200
    response = as_colleague.post(
        url, {"value": "250", "measured_on": datetime.date.today().isoformat(), "source": "Fagsystem"}
    )
    assert response.status_code == 302
    assert list(Measurement.objects.values_list("value", "source", "recorded_by__email")) == [
        (Decimal(250), "Fagsystem", "kollega@oygarden.kommune.no")
    ]


def test_when_a_measurement_is_behind_without_explanation_then_the_error_is_at_the_field(as_colleague, plan):
    benefit = plan.benefits.get()
    services.benefit_save(
        plan=plan,
        actor=plan.created_by,
        benefit=benefit,
        **{**{f: getattr(benefit, f) for f in services.BENEFIT_FIELDS}, "target_date": datetime.date(2100, 1, 1)},
    )
    url = f"/gevinster/prosjekt/{plan.project.slug}/gevinst/{benefit.pk}/maling/"
    response = english(as_colleague).post(
        url,
        {"value": "100", "measured_on": datetime.date.today().isoformat(), "source": "Fagsystem", "comment": "Første"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert field_error(html, "deviation_explanation") == (
        "The benefit is behind its path to the target. Explain the deviation."
    )
    assert "Første" in html and not Measurement.objects.exists()


def test_when_an_outsider_or_a_non_owner_member_measures_then_it_is_refused(as_outsider, plan, innovator):
    benefit = plan.benefits.get()
    url = f"/gevinster/prosjekt/{plan.project.slug}/gevinst/{benefit.pk}/maling/"
    data = {"value": "1", "measured_on": "2024-07-01", "source": "x"}
    assert as_outsider.post(url, data).status_code == 404
    plan.project.visibility = Visibility.PUBLIC
    plan.project.save()
    assert as_outsider.post(url, data).status_code == 404  # a draft plan is the owning organisation's only
    services.plan_submit(plan=plan, actor=innovator)
    assert as_outsider.post(url, data).status_code == 403
    assert (
        as_outsider.post(
            f"/gevinster/prosjekt/{plan.project.slug}/gevinst/{benefit.pk}/avslutt/", {"reason": "x"}
        ).status_code
        == 403
    )
    assert not Measurement.objects.exists()
    benefit.refresh_from_db()
    assert benefit.abandoned_reason == ""


def test_when_the_owner_lists_own_benefits_then_they_are_there(as_colleague, plan):
    response = as_colleague.get("/gevinster/mine/")
    assert response.status_code == 200 and "Færre kjøreturer" in response.content.decode()


# Portfolio


def test_when_the_portfolio_is_shown_then_only_visible_plans_count_and_outside_benefits_are_marked(
    client, as_outsider, as_colleague, plan, public_draft_plan, innovator, colleague, home_municipality
):
    public_plan = public_draft_plan
    other = make_benefit(
        plan=public_plan, actor=innovator, bearer="municipal_sector", realisation_form="reallocation", owner=colleague
    )
    services.benefit_amounts_set(benefit=other, actor=innovator, amounts={2024: Decimal(1000)})
    services.plan_submit(plan=public_plan, actor=innovator)
    page = text(english(client).get("/gevinster/").content)
    # Anonymous: only the public plan: 600 000 + 600 000 + 1 000.
    assert "Plans 1 Benefits 2 Planned 1,201,000 Realised 0" in page
    member_page = text(english(as_colleague).get("/gevinster/?organisasjon=oygarden").content)
    assert "Plans 2 Benefits 3 Planned 2,401,000" in member_page
    assert "Lands outside the paying organisation 1,000" in member_page
    assert "The municipal sector outside the paying organisation 1,000 0" in member_page
    assert "2024 1,000 0 2025 1,200,000 0 2026 1,200,000 0" in member_page


def test_when_the_portfolio_roll_up_runs_then_it_is_a_fixed_number_of_queries(
    client, public_plan, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        assert client.get("/gevinster/").status_code == 200


# Prevention calculator


def test_when_the_calculator_is_used_then_savings_per_level_are_shown(client):
    params = {
        "persons": "10",
        "success_rate": "20",
        "start_age": "18",
        "cost-TOTAL_FORMS": "2",
        "cost-INITIAL_FORMS": "0",
        "cost-0-level": "state",
        "cost-0-sector": "NAV",
        "cost-0-from_age": "18",
        "cost-0-to_age": "19",
        "cost-0-yearly_cost": "100000",
        "cost-1-level": "",
    }
    response = english(client).get("/gevinster/forebygging/", params)
    assert response.status_code == 200
    page = text(response.content)
    # 2 persons × (100 000 + 100 000/1.04) = 392 308
    assert "Present value of the savings 392,308 NOK" in page
    assert "State 392,308 County 0 Municipality 0" in page


def test_when_a_calculator_line_is_half_filled_then_the_error_is_at_the_field(client):
    params = {
        "persons": "10",
        "success_rate": "20",
        "start_age": "18",
        "cost-TOTAL_FORMS": "1",
        "cost-INITIAL_FORMS": "0",
        "cost-0-level": "state",
        "cost-0-sector": "NAV",
    }
    response = english(client).get("/gevinster/forebygging/", params)
    html = response.content.decode()
    assert response.status_code == 400
    assert field_error(html, "cost-0-yearly_cost") == "Fill in the whole line, or leave it all empty."
    assert 'value="NAV"' in html


def test_when_the_example_set_is_loaded_then_it_is_labelled_as_an_example(client):
    example = PreventionSet.objects.create(
        name="Eksempel",
        is_example=True,
        rows=[{"level": "state", "sector": "NAV", "from_age": 18, "to_age": 58, "yearly_cost": "1"}],
    )
    private = PreventionSet.objects.create(name="Privat", rows=[])
    page = english(client).get(f"/gevinster/forebygging/?sett={example.pk}").content.decode()
    assert "Example loaded: “Eksempel”. The figures are illustrative, not real costs." in page
    assert 'value="NAV"' in page
    assert client.get(f"/gevinster/forebygging/?sett={private.pk}").status_code == 404


def test_when_an_editor_saves_a_set_then_it_belongs_to_the_organisation(as_innovator, as_outsider, home_municipality):
    data = {
        "name": "Våre tall",
        "organisation": str(home_municipality.pk),
        "persons": "5",
        "success_rate": "10",
        "start_age": "18",
        "cost-TOTAL_FORMS": "1",
        "cost-INITIAL_FORMS": "0",
        "cost-0-level": "municipality",
        "cost-0-sector": "Sosialhjelp",
        "cost-0-from_age": "18",
        "cost-0-to_age": "30",
        "cost-0-yearly_cost": "40000",
    }
    refused = as_outsider.post("/gevinster/forebygging/lagre/", data)
    assert refused.status_code == 400  # the outsider's organisation choice is refused by the form, at the field
    assert not PreventionSet.objects.exists()
    named = as_innovator.post("/gevinster/forebygging/lagre/", {**data, "name": "Våre\u0000tall"})
    assert named.status_code == 400
    assert "U+0000" in named.content.decode()
    assert 'value="40000"' in named.content.decode()  # the figures typed are kept
    assert not PreventionSet.objects.exists()
    response = as_innovator.post("/gevinster/forebygging/lagre/", data)
    saved = PreventionSet.objects.get()
    assert response["Location"] == f"/gevinster/forebygging/?sett={saved.pk}"
    assert (saved.organisation, saved.is_example, saved.rows[0]["yearly_cost"]) == (
        home_municipality,
        False,
        "40000",
    )


def test_when_someone_without_an_editor_role_saves_a_set_then_it_is_refused(as_colleague):
    assert as_colleague.post("/gevinster/forebygging/lagre/", {"name": "x"}).status_code == 403


def test_when_a_plan_of_a_draft_project_is_requested_by_another_editor_then_it_is_hidden(
    as_outsider, outsider, other_municipality
):
    draft = make_project(actor=outsider, owner=other_municipality, visibility=Visibility.DRAFT)
    hand_worked_plan(project=draft, actor=outsider)
    assert as_outsider.get(f"/gevinster/prosjekt/{draft.slug}/").status_code == 200
    assert Client().get(f"/gevinster/prosjekt/{draft.slug}/").status_code == 404


def test_when_only_hidden_plans_exist_then_the_portfolio_reveals_neither_figures_nor_owners(client, as_colleague, plan):
    anonymous_page = client.get("/gevinster/").content.decode()
    assert 'value="oygarden"' not in anonymous_page
    assert "Plans 0 Benefits 0" in text(english(client).get("/gevinster/?organisasjon=oygarden").content)
    assert 'value="oygarden"' in as_colleague.get("/gevinster/").content.decode()


def test_when_an_outsider_or_a_member_opens_the_plan_creation_then_it_is_refused(
    as_outsider, as_colleague, public_project
):
    data = {"rationale": "x", "goals": "y", "base_year": "2024", "analysis_years": "10"}
    for client in (as_outsider, as_colleague):
        assert client.get(f"/gevinster/prosjekt/{public_project.slug}/ny/").status_code == 403
        assert client.post(f"/gevinster/prosjekt/{public_project.slug}/ny/", data).status_code == 403
    assert not BenefitPlan.objects.exists()


def test_when_the_owner_abandons_a_measured_benefit_then_removal_is_refused_and_the_reason_kept(
    as_colleague, as_innovator, plan
):
    benefit = plan.benefits.get()
    Measurement.objects.create(benefit=benefit, value=1, measured_on=datetime.date(2024, 2, 1), source="x")
    response = english(as_innovator).post(
        f"/gevinster/prosjekt/{plan.project.slug}/gevinst/{benefit.pk}/slett/", follow=True
    )
    assert "The benefit has measurements. Mark it as abandoned instead, with the reason." in response.content.decode()
    assert Benefit.objects.filter(pk=benefit.pk).exists()
    url = f"/gevinster/prosjekt/{plan.project.slug}/gevinst/{benefit.pk}/avslutt/"
    blank = english(as_colleague).post(url, {"reason": ""})
    assert blank.status_code == 400 and field_error(blank.content.decode(), "reason") == "This field is required."
    assert as_colleague.post(url, {"reason": "Tjenesten ble lagt ned"}).status_code == 302
    benefit.refresh_from_db()
    assert benefit.abandoned_reason == "Tjenesten ble lagt ned"
    page = text(english(as_colleague).get(f"/gevinster/prosjekt/{plan.project.slug}/").content)
    assert "Abandoned – Tjenesten ble lagt ned" in page


def test_when_a_plan_changes_then_the_cached_portfolio_follows(client, public_draft_plan, innovator):
    public_plan = public_draft_plan
    assert "Plans 0 Benefits 0 Planned 0" in text(english(client).get("/gevinster/").content)
    benefit = public_plan.benefits.get()
    services.benefit_amounts_set(benefit=benefit, actor=innovator, amounts={2025: Decimal(1)})
    services.plan_submit(plan=public_plan, actor=innovator)
    assert "Planned 1 Realised 0" in text(english(client).get("/gevinster/").content)
    Measurement.objects.create(
        benefit=benefit, value=1, measured_on=datetime.date(2025, 3, 1), source="x", realised_amount=Decimal(7)
    )
    assert "Planned 1 Realised 7" in text(english(client).get("/gevinster/").content)


def test_when_a_public_project_is_hidden_then_the_cached_portfolio_follows(client, public_draft_plan, innovator):
    benefit = public_draft_plan.benefits.get()
    services.benefit_amounts_set(benefit=benefit, actor=innovator, amounts={2025: Decimal(1)})
    services.plan_submit(plan=public_draft_plan, actor=innovator)
    assert "Planned 1 Realised 0" in text(english(client).get("/gevinster/").content)
    project = public_draft_plan.project
    project.visibility = Visibility.ORGANISATION
    project.save(update_fields=["visibility"])
    assert "Plans 0 Benefits 0 Planned 0" in text(english(client).get("/gevinster/").content)


def test_when_an_editor_opens_the_plan_then_the_change_history_is_shown_and_hidden_from_members(
    as_innovator, as_colleague, plan
):
    html = english(as_innovator).get(f"/gevinster/prosjekt/{plan.project.slug}/").content.decode()
    history = text(re.search(r'id="plan-history".*?</table>', html, re.S).group(0).encode())
    assert "the system created: færre kjøreturer" in history.lower()  # made by the services outside a request
    assert 'id="plan-history"' not in as_colleague.get(f"/gevinster/prosjekt/{plan.project.slug}/").content.decode()
    as_innovator.post(
        f"/gevinster/prosjekt/{plan.project.slug}/rediger/",
        {"rationale": "Ny begrunnelse", "goals": "Mål", "base_year": "2024", "analysis_years": "3"},
    )
    html = english(as_innovator).get(f"/gevinster/prosjekt/{plan.project.slug}/").content.decode()
    latest = text(re.search(r'id="plan-history".*?</tr>\s*<tr>.*?</tr>', html, re.S).group(0).encode())
    assert "Ina Innovatør Changed:" in latest and "Rationale" in latest


# Per invested krone and the [U] labels


def _section(html: str, element_id: str, tag: str = "dl") -> str:
    return text(re.search(rf'id="{element_id}"[^>]*>(.*?)</{tag}>', html, re.S).group(1).encode()).strip()


def test_when_the_plan_is_shown_then_both_per_krone_figures_are_labelled_and_unverified_parameters_marked(
    as_colleague, plan
):
    html = english(as_colleague).get(f"/gevinster/prosjekt/{plan.project.slug}/").content.decode()
    page = text(html.encode())
    # All of the 1 000 000 is invested in the base year: −68 343 / 1 000 000 = −0.07 in both readings.
    assert "Net present value per invested krone -0.07" in page
    assert "Net present value per krone of investment in present value -0.07" in page
    assert (
        "Per invested krone: the net present value divided by the investment cost, NOK 1,000,000 undiscounted"
        in _section(html, "per-krone-note", "p")
    )
    assert "[U] not verified Some parameters behind these figures" in _section(html, "unverified-note", "p")
    parameters = _section(html, "parameters")
    # The rates are confirmed by secondary sources ([S]), not unverified; R-109's own text is not read.
    assert (
        "Discount rates 4 % for years 1–40, 3 % for years 41–75, 2 % after year 75 "
        "[S] confirmed by secondary sources; R-109's own text not read" in parameters
    )
    assert "Tax-financing cost 20 % [S] confirmed by secondary sources; R-109's own text not read" in parameters
    assert "[U] longest period not verified" in parameters
    assert "[U] chosen by the plan, no prescribed path" in parameters
    assert "[U] reading not verified" in text(re.search(r'id="checks-heading".*?</p>', html, re.S).group(0).encode())
    assert "year by year from the base year: 4 % for years 1–40" in page


def test_when_the_panel_or_the_plan_form_shows_figures_then_unverified_parameters_are_marked(as_innovator, plan):
    panel = text(english(as_innovator).get(f"/prosjekter/{plan.project.slug}/").content)
    assert "Net present value -68,343 NOK [U] not verified" in panel
    form = english(as_innovator).get(f"/gevinster/prosjekt/{plan.project.slug}/rediger/").content.decode()
    assert "The longest analysis period (100 years) and any real-price growth path are not verified" in _section(
        form, "unverified-period-note", "p"
    )


def test_when_a_parameter_version_has_no_unverified_values_then_no_label_is_shown(as_colleague, plan):
    plan.parameters.uncertain = []
    plan.parameters.save()
    page = text(english(as_colleague).get(f"/gevinster/prosjekt/{plan.project.slug}/").content)
    assert "[U] not verified" not in page and "Net present value per invested krone -0.07" in page
    assert "Discount rates 4 % for years 1–40, 3 % for years 41–75, 2 % after year 75 [V] verified" in page


def test_when_the_calculator_is_shown_then_its_discount_rates_come_from_the_version_and_are_marked(client):
    html = english(client).get("/gevinster/forebygging/").content.decode()
    assert _section(html, "prevention-parameters", "p") == (
        "Discount rates (parameter version R-109/21): 4 % for years 1–40, 3 % for years 41–75, 2 % after year 75, "
        "with the group's age today as year 0. KS' own discounting assumptions are not known, and no tax-financing "
        "cost is added. [S] confirmed by secondary sources; R-109's own text not read"
    )


def test_when_the_threshold_readings_differ_then_the_plan_page_shows_the_basis_and_both_verdicts(
    as_innovator, innovator, colleague, project
):
    from .factories import make_plan

    plan = make_plan(project=project, actor=innovator, base_year=2025, analysis_years=10)
    benefit = make_benefit(
        plan=plan,
        actor=innovator,
        owner=colleague,
        bearer="other_state",
        bearer_name="Lånekassen",
        realisation_form="reallocation",
    )
    services.benefit_amounts_set(
        benefit=benefit, actor=innovator, amounts={year: Decimal(4_000_000) for year in range(2025, 2035)}
    )
    page = text(english(as_innovator).get(f"/gevinster/prosjekt/{project.slug}/").content)
    assert (
        "The NOK 5 million threshold is compared with each body's net benefit over the whole analysis period. "
        "[U] basis not settled" in page
    )
    assert (
        "Does not pass: Lånekassen: net benefit NOK 40,000,000 is above NOK 5 million, so at least NOK 20,000,000 "
        "must be a budget cut; NOK 0 is planned. Read per year (largest year NOK 4,000,000): no budget cut required."
    ) in page


def test_when_the_plan_page_is_in_bokmal_then_the_basis_and_the_other_reading_are_translated(
    as_innovator, innovator, colleague, project
):
    from .factories import make_plan

    plan = make_plan(project=project, actor=innovator, base_year=2025, analysis_years=10)
    benefit = make_benefit(
        plan=plan,
        actor=innovator,
        owner=colleague,
        bearer="other_state",
        bearer_name="Lånekassen",
        realisation_form="reallocation",
    )
    services.benefit_amounts_set(
        benefit=benefit, actor=innovator, amounts={year: Decimal(4_000_000) for year in range(2025, 2035)}
    )
    as_innovator.cookies["django_language"] = "nb"
    page = text(as_innovator.get(f"/gevinster/prosjekt/{project.slug}/").content)
    assert "sammenlignes med hver virksomhets netto gevinst over hele analyseperioden. [U] grunnlaget er ikke" in page
    assert "Lest per år (største år 4 000 000 kr): ikke krav om budsjettkutt." in page


def test_when_an_editor_gives_a_negative_residual_value_then_the_plan_keeps_it(as_innovator, plan):
    response = as_innovator.post(
        f"/gevinster/prosjekt/{plan.project.slug}/rediger/",
        {
            "rationale": "Begrunnelse",
            "goals": "Mål",
            "base_year": "2024",
            "analysis_years": "3",
            "residual_value": "-108160",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.residual_value == Decimal("-108160")
