"""Benefit realisation in the system Chromium: an editor writes a plan (plan, benefit with owner, costs, amounts,
submit), the benefit owner records a measurement, and axe-core finds no WCAG 2.1 AA violations on any benefit page,
signed in and out. The `page` fixture fails on any CSP violation.

A transactional test flushes the seeded parameter table; the services restore the R-109 version when it is empty.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from nyskap.benefits import services
from nyskap.benefits.models import BenefitPlan, Measurement, PlanStatus, PreventionSet
from nyskap.core.visibility import Visibility

from ..benefits.factories import hand_worked_plan
from ..helpers import browser_language, login_browser_as, run_axe
from ..projects.factories import make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_when_an_editor_writes_a_plan_and_the_owner_measures_then_both_are_saved(
    page, live_server, innovator, colleague, home_municipality
):
    project = make_project(
        actor=innovator, owner=home_municipality, title="Digital hjemmeoppfølging", visibility=Visibility.PUBLIC
    )
    login_browser_as(page, live_server, innovator)
    browser_language(page.context, live_server)
    page.goto(f"{live_server.url}/prosjekter/{project.slug}/")
    page.get_by_role("link", name="Write a benefit-realisation plan").click()
    page.get_by_label("Rationale", exact=True).fill("Mange reiser til kontroll.")
    page.get_by_label("Goals and main products").fill("Færre reiser, tryggere pasienter.")
    page.get_by_label("Base year").fill("2024")
    page.get_by_label("Analysis period (years)").fill("3")
    page.get_by_role("button", name="Create the plan").click()
    expect(page.locator("h1")).to_have_text("Benefit-realisation plan – Digital hjemmeoppfølging")

    page.get_by_role("link", name="Costs by year").click()
    page.get_by_label("Investment 2024").fill("1000000")
    page.get_by_label("Operating costs 2025").fill("100000")
    page.get_by_label("Operating costs 2026").fill("100000")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_contain_text("Benefit-realisation plan")

    page.get_by_role("link", name="Add a benefit").click()
    page.get_by_label("Benefit", exact=True).fill("Færre kjøreturer")
    page.get_by_label("Efficiency for the state").check()
    page.get_by_label("Own organisation").check()
    page.get_by_label("Budget cut").check()
    page.locator("#id_indicator").fill("Kjøreturer per uke")
    page.get_by_label("Baseline value").fill("100")
    page.get_by_label("Baseline date").fill("2024-01-01")
    page.get_by_label("Target value").fill("200")
    page.get_by_label("Target date").fill("2030-01-01")
    page.get_by_label("Benefit owner").select_option(label="Kari Kollega (kollega@oygarden.kommune.no)")
    page.get_by_role("button", name="Save the benefit").click()
    page.get_by_role("link", name="Amounts by year").click()
    page.get_by_label("Benefit (NOK) 2025").fill("600000")
    page.get_by_label("Benefit (NOK) 2026").fill("600000")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#npv")).to_have_text("-68,343 NOK")
    # The whole investment is in the base year, so both readings of "per invested krone" give −0.07.
    expect(page.locator("#npv-per-krone")).to_have_text("-0.07")
    expect(page.locator("#npv-per-pv-krone")).to_have_text("-0.07")
    expect(page.locator("#unverified-note")).to_be_visible()
    page.get_by_role("button", name="Submit the plan").click()
    expect(page.get_by_text("Version 1 of the plan has been submitted.")).to_be_visible()
    plan = BenefitPlan.objects.get(project=project)
    assert plan.status == PlanStatus.SUBMITTED and plan.benefits.get().owner == colleague

    login_browser_as(page, live_server, colleague)
    page.goto(f"{live_server.url}/gevinster/mine/")
    page.get_by_role("link", name="Færre kjøreturer").click()
    page.get_by_label("Measured value").fill("190")
    page.locator("#id_measured_on").fill(datetime.date.today().isoformat())
    page.get_by_label("Source").fill("Fagsystemet")
    page.get_by_role("button", name="Record the measurement").click()
    expect(page.get_by_text("The measurement has been recorded.")).to_be_visible()
    assert list(Measurement.objects.values_list("value", "recorded_by")) == [(Decimal(190), colleague.pk)]


def test_when_benefit_pages_are_scanned_then_axe_finds_no_violations(
    page, live_server, innovator, colleague, home_municipality
):
    project = make_project(
        actor=innovator, owner=home_municipality, title="Digital hjemmeoppfølging", visibility=Visibility.PUBLIC
    )
    plan = hand_worked_plan(project=project, actor=innovator, owner=colleague)
    benefit = plan.benefits.get()
    example = PreventionSet.objects.create(
        name="Eksempel",
        is_example=True,
        rows=[{"level": "state", "sector": "NAV", "from_age": 18, "to_age": 58, "yearly_cost": "150000"}],
    )
    calculator = (
        "/gevinster/forebygging/?persons=10&success_rate=20&start_age=18&cost-TOTAL_FORMS=1&cost-INITIAL_FORMS=0"
        "&cost-0-level=state&cost-0-sector=NAV&cost-0-from_age=18&cost-0-to_age=58&cost-0-yearly_cost=150000"
    )
    # A draft plan is the owning organisation's only: signed out, a submitted plan is scanned.
    published = make_project(
        actor=innovator, owner=home_municipality, title="Publisert plan", visibility=Visibility.PUBLIC
    )
    services.plan_submit(plan=hand_worked_plan(project=published, actor=innovator, owner=colleague), actor=innovator)
    public_paths = [
        f"/gevinster/prosjekt/{published.slug}/",
        "/gevinster/",
        "/gevinster/forebygging/",
        f"/gevinster/forebygging/?sett={example.pk}",
        calculator,
    ]
    editor_paths = [
        f"/prosjekter/{project.slug}/",
        f"/gevinster/prosjekt/{project.slug}/",
        f"/gevinster/prosjekt/{project.slug}/rediger/",
        f"/gevinster/prosjekt/{project.slug}/kostnader/",
        f"/gevinster/prosjekt/{project.slug}/gevinst/ny/",
        f"/gevinster/prosjekt/{project.slug}/gevinst/{benefit.pk}/",
        f"/gevinster/prosjekt/{project.slug}/gevinst/{benefit.pk}/belop/",
        f"/gevinster/prosjekt/{project.slug}/gevinst/{benefit.pk}/maling/",
        "/gevinster/?organisasjon=oygarden",
        "/gevinster/mine/",
        calculator,
    ]
    found = {}
    for language in ("nb", "en"):
        browser_language(page.context, live_server, language)
        for signed_in, paths in ((False, public_paths), (True, editor_paths)):
            if signed_in:
                login_browser_as(page, live_server, innovator)
            for path in paths:
                response = page.goto(live_server.url + path)
                assert response is not None and response.status == 200, path
                assert page.locator("h1").count() == 1, path
                violations = run_axe(page)
                if violations:
                    found[f"{language} {path}"] = violations
        page.context.clear_cookies()
    # The plan-creation form, on a project without a plan, and a form with errors beside the fields.
    other = make_project(actor=innovator, owner=home_municipality, title="Varm mat", visibility=Visibility.PUBLIC)
    login_browser_as(page, live_server, innovator)
    browser_language(page.context, live_server)
    page.goto(f"{live_server.url}/gevinster/prosjekt/{other.slug}/ny/")
    found_create = run_axe(page)
    page.get_by_role("button", name="Create the plan").click()
    expect(page.locator("#id_rationale_error")).to_have_text("This field is required.")
    found_errors = run_axe(page)
    assert (found, found_create, found_errors) == ({}, [], [])
