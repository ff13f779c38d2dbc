"""The instrument catalogue in the system Chromium: the matcher opened from a project page ranks instruments with
their reasons, an editor records an application from the project page, and axe-core finds no WCAG 2.1 AA violations
on the catalogue, an instrument, the calls, the matcher and the portfolio (signed out and signed in)."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from nyskap.core.visibility import Visibility
from nyskap.instruments.models import Call, InstrumentUse
from nyskap.projects.models import Project

from ..helpers import browser_language, login_browser_as, run_axe
from ..projects.factories import make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def welfare_project(innovator, home_municipality) -> Project:
    return make_project(
        actor=innovator,
        owner=home_municipality,
        title="Medisinroboter i hjemmetjenesten",
        visibility=Visibility.PUBLIC,
        sector="health_care",
    )


def test_when_the_matcher_is_opened_from_a_project_then_fitting_instruments_are_ranked_with_reasons(
    page,
    live_server,
    innovator,
    welfare_project,
    loaded,
):
    login_browser_as(page, live_server, innovator)
    browser_language(page.context, live_server)
    page.goto(f"{live_server.url}/prosjekter/{welfare_project.slug}/")
    page.get_by_role("link", name="Find instruments that fit this project").click()
    expect(page.locator("#from-project")).to_contain_text("Medisinroboter i hjemmetjenesten")
    # The answers came from the project: its sector and its owner (a municipality of 39,000).
    expect(page.get_by_label("Sector")).to_have_value("health_care")
    expect(page.locator("#match-organisation")).to_contain_text("For Øygarden kommune (Municipality)")
    page.get_by_label("Money").check()
    page.get_by_role("button", name="Find instruments").click()
    ranked = page.locator("#ranked-results > li")
    expect(ranked.first).to_contain_text("Fit: 100 %")
    expect(page.locator("#ranked-results")).not_to_contain_text("Co-financing scheme")
    page.get_by_role("link", name="Show them with the reason").click()
    co_financing = page.locator("#excluded-results > li", has_text="Co-financing scheme for digitalisation projects")
    expect(co_financing).to_contain_text("The scheme is for state bodies; municipalities can only be partners.")
    assert "needs=money" in page.url and "organisation=oygarden" in page.url


def test_when_an_editor_records_an_application_on_the_project_page_then_it_is_listed(
    page,
    live_server,
    innovator,
    welfare_project,
    loaded,
):
    login_browser_as(page, live_server, innovator)
    browser_language(page.context, live_server)
    page.goto(f"{live_server.url}/prosjekter/{welfare_project.slug}/")
    page.get_by_text("Record an application to an instrument").click()
    page.locator("#id_use-instrument").select_option("velferdsteknologiprogrammet")
    page.locator("#id_use-year").fill("2025")
    page.locator("#id_use-outcome").select_option("granted")
    page.locator("#id_use-amount").fill("450000")
    page.get_by_role("button", name="Record the application").click()
    expect(page.locator("#instrument-uses")).to_contain_text("National welfare technology programme")
    use = InstrumentUse.objects.get()
    assert (use.project, use.year, use.outcome, int(use.amount)) == (welfare_project, 2025, "granted", 450000)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_when_the_catalogue_pages_are_scanned_then_axe_finds_no_violations(
    page,
    live_server,
    innovator,
    instrument_owner,
    welfare_project,
    loaded,
    language,
):
    today = datetime.date.today()
    Call.objects.create(
        instrument=loaded["stimulab"],
        title="Eksempelutlysning",
        is_example=True,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=10),
    )
    InstrumentUse.objects.create(project=welfare_project, instrument=loaded["forkommune"], year=2025, outcome="applied")
    browser_language(page.context, live_server, language)
    paths = [
        "/virkemidler/",
        "/virkemidler/?offer=money&phase=implemented",
        "/virkemidler/startoff/",
        "/virkemidler/stimulab/",
        "/virkemidler/digifin/",
        "/virkemidler/utlysninger/",
        "/virkemidler/finn/",
        "/virkemidler/finn/?phase=develop_test&needs=money&organisation=oygarden&show_excluded=on",
        "/virkemidler/oversikt/",
    ]
    found = {}
    for path in paths:
        page.goto(live_server.url + path)
        if violations := run_axe(page):
            found[f"anonymous {path}"] = violations
    login_browser_as(page, live_server, instrument_owner)
    for path in ["/virkemidler/stimulab/", "/virkemidler/stimulab/rediger/", "/virkemidler/stimulab/utlysninger/ny/"]:
        page.goto(live_server.url + path)
        if violations := run_axe(page):
            found[f"owner {path}"] = violations
    login_browser_as(page, live_server, innovator)
    for path in [f"/prosjekter/{welfare_project.slug}/", "/virkemidler/varsler/",
                 "/virkemidler/finn/?phase=need&kind=municipality"]:  # fmt: skip
        page.goto(live_server.url + path)
        if violations := run_axe(page):
            found[f"innovator {path}"] = violations
    assert found == {}


def test_when_an_instrument_is_read_in_nynorsk_then_its_nynorsk_name_and_the_owners_page_are_shown(
    page,
    live_server,
    loaded,
):
    browser_language(page.context, live_server, "nn")
    page.goto(f"{live_server.url}/virkemidler/medfinansiering/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Medfinansieringsordninga")
    link = page.locator("#owner-page a")
    expect(link).to_have_attribute("href", "https://www.digdir.no/")
    expect(link).to_have_text("https://www.digdir.no/")
    page.goto(f"{live_server.url}/virkemidler/")
    expect(page.get_by_text("Forsøkslova", exact=True)).to_be_visible()
