"""The dashboards in the system Chromium: a visitor switches lens with the pickers, compares two counties, and
downloads a chart; every dashboard page has zero axe violations in nb, nn and en at 320 and 1280 px, keeps to the
screen's width on a phone, and shows its charts (drawn on the server, so the strict CSP holds: the `page` fixture
fails on any CSP violation)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.dashboards.factories import two_municipalities
from tests.organisations.factories import CountyFactory

from ..helpers import browser_language, login_browser_as, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dashboards(innovator, outsider, home_municipality, other_municipality):
    CountyFactory(number="03", name="Oslo", official_name="Oslo")
    two_municipalities(innovator, outsider, home_municipality, other_municipality)
    return home_municipality


def test_a_visitor_switches_lens_compares_and_downloads_a_chart(page, live_server, dashboards):
    browser_language(page.context, live_server, "nb")
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Dashbord").first.click()
    expect(page.locator("h1")).to_have_text("Norge")
    page.locator("summary").filter(has_text="utsnitt").click()
    page.locator("#pick-county").select_option("46")
    page.locator("form[aria-label='Fylke']").get_by_role("button").click()
    expect(page).to_have_url(f"{live_server.url}/dashbord/fylke/46/")
    expect(page.locator("h1")).to_have_text("Vestland")
    page.get_by_label("Sammenlign med").select_option("18")
    page.get_by_role("button", name="Sammenlign").click()
    expect(page.locator("#key-caption")).to_contain_text("Nordland")
    with page.expect_download() as download:
        page.get_by_role("link", name="Prosjekter etter fase som PNG").click()
    assert download.value.suggested_filename == "fylke-46-by_phase.png"
    # The charts are drawn: the first image on the page has loaded.
    image = page.locator("img.dashboard-chart").first
    image.scroll_into_view_if_needed()
    expect(image).to_be_visible()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", image.element_handle())


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_dashboard_pages_have_no_axe_violations_and_fit_a_phone(page, live_server, innovator, dashboards, language):
    login_browser_as(page, live_server, innovator)
    browser_language(page.context, live_server, language)
    number = dashboards.organisation_number
    paths = [
        "/dashbord/",
        "/dashbord/fylke/46/?sammenlign=18",
        f"/dashbord/organisasjon/{number}/",
        "/dashbord/sektor/health_care/",
        "/dashbord/storrelse/xs/?sammenlign=xxl",
        "/dashbord/sentralitet/6/",
        "/dashbord/definisjoner/",
        "/dashbord/velg/",
        "/dashbord/velg/?lens=organisation&organisasjon=kommune",
        "/dashbord/velg/?lens=county&key=99",
    ]
    found = {}
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response is not None and response.status < 500, path
            assert page.locator("html").get_attribute("lang") == language
            overflow = page.evaluate("document.documentElement.scrollWidth")
            assert overflow <= width, (path, width, overflow)
            violations = run_axe(page)
            if violations:
                found[(path, width)] = violations
    assert found == {}
