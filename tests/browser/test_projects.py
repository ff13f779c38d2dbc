"""The project pages in the system Chromium: similar projects appear via htmx while the need is written, facets
update the results and the URL, an editor adopts a project, and axe-core finds no WCAG 2.1 AA violations on the
search, detail, create and edit pages in bokmål and English. The `page` fixture fails on any CSP violation.

Innovation types, goals and life events are left out here: a transactional test flushes their seeded lookup rows.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from nyskap.core.visibility import Visibility
from nyskap.projects.models import Adoption, Phase, Project
from nyskap.projects.services import project_adopt, project_change_phase

from ..helpers import browser_language, login_browser_as, run_axe
from ..projects.factories import make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def welfare_tech(innovator, home_municipality) -> Project:
    return make_project(
        actor=innovator,
        owner=home_municipality,
        title="Velferdsteknologi i hjemmetjenesten",
        visibility=Visibility.PUBLIC,
        sector="health_care",
        need_problem="Hjemmetjenesten bruker mye tid på medisinhåndtering hos eldre.",
        contact_email="siri@oygarden.kommune.no",
    )


@pytest.fixture
def parking(outsider, other_municipality) -> Project:
    return make_project(
        actor=outsider,
        owner=other_municipality,
        title="Smart parkering",
        visibility=Visibility.PUBLIC,
        sector="transport",
    )


def test_when_the_need_is_typed_then_similar_projects_appear_and_the_project_is_created(
    page, live_server, innovator, welfare_tech
):
    login_browser_as(page, live_server, innovator)
    browser_language(page.context, live_server)
    page.goto(live_server.url + "/prosjekter/ny/")
    page.get_by_label("Title", exact=True).fill("Medisiner hjemme")
    page.get_by_label("The problem", exact=True).press_sequentially(
        "Hjemmetjenesten bruker mye tid på medisinhåndtering", delay=5
    )
    similar = page.locator("#similar-projects")
    expect(similar.get_by_role("link", name="Velferdsteknologi i hjemmetjenesten")).to_be_visible(timeout=10_000)
    expect(similar).to_contain_text("Shared words:")
    expect(similar).to_contain_text("siri@oygarden.kommune.no")
    page.get_by_label("Who has the problem").fill("Eldre med mange medisiner.")
    page.get_by_label("Today's situation").fill("Ansatte deler ut medisiner.")
    page.get_by_label("Effect wanted").fill("Mer tid til omsorg.")
    page.get_by_role("button", name="Register the project").click()
    expect(page.locator("h1")).to_have_text("Medisiner hjemme")
    project = Project.objects.get(title="Medisiner hjemme")
    assert page.url == f"{live_server.url}/prosjekter/{project.slug}/"
    assert project.owners.get().slug == "oygarden" and project.phase == Phase.NEED


def test_when_a_facet_is_ticked_then_htmx_updates_the_results_and_the_url(page, live_server, welfare_tech, parking):
    browser_language(page.context, live_server)
    page.goto(live_server.url + "/prosjekter/")
    results = page.locator("#project-search-body")
    expect(results.get_by_role("status")).to_have_text("2 projects")
    page.get_by_label("Transport (1)").check()
    expect(results.get_by_role("status")).to_have_text("1 project")
    expect(page).to_have_url(re.compile(r"/prosjekter/\?.*sector=transport"))
    expect(results.get_by_role("link", name="Smart parkering")).to_be_visible()
    expect(results.get_by_role("link", name="Velferdsteknologi i hjemmetjenesten")).to_have_count(0)
    expect(page.get_by_label("Transport (1)")).to_be_checked()


def test_when_an_editor_adopts_a_project_then_it_appears_among_the_adopters(
    page, live_server, outsider, welfare_tech, parking
):
    login_browser_as(page, live_server, outsider)
    browser_language(page.context, live_server)
    page.goto(f"{live_server.url}/prosjekter/{welfare_tech.slug}/")
    page.get_by_role("link", name="We adopted this").click()
    page.get_by_label("Our project that builds on this one").select_option(label="Smart parkering")
    page.get_by_label("Adapted").check()
    page.get_by_label("Adopted on").fill("2025-03-01")
    page.get_by_role("button", name="Register the adoption").click()
    expect(page.get_by_role("status").first).to_contain_text("Registered: Smart parkering adopted")
    expect(page.locator(".family-tree")).to_contain_text("Smart parkering")
    adoption = Adoption.objects.get()
    assert (adoption.source_project, adoption.adopting_project, adoption.how) == (welfare_tech, parking, "adapted")


@pytest.fixture
def pages(innovator, outsider, welfare_tech, parking) -> list[str]:
    """A search page, a detail page with a timeline and adopters, the create, edit and adopt pages, the import page
    and the subscriptions page."""
    for phase in (Phase.IDEAS, Phase.DEVELOP_TEST, Phase.IMPLEMENTED):
        project_change_phase(project=welfare_tech, to_phase=phase, actor=innovator, note="Neste steg.")
    project_adopt(
        source=welfare_tech,
        actor=outsider,
        how="copied",
        adopted_on=datetime.date.today(),
        adopter_project=parking,
    )
    return [
        "/prosjekter/",
        "/prosjekter/?sector=health_care&phase=bogus",
        f"/prosjekter/{welfare_tech.slug}/",
        "/prosjekter/ny/",
        f"/prosjekter/{welfare_tech.slug}/rediger/",
        f"/prosjekter/{parking.slug}/gjenbruk/",
        "/prosjekter/overforing/import/",
        "/prosjekter/folg/",
    ]


@pytest.mark.parametrize("language", ["nb", "en"])
def test_when_the_project_pages_are_scanned_then_axe_finds_no_violations(page, live_server, innovator, pages, language):
    login_browser_as(page, live_server, innovator)
    browser_language(page.context, live_server, language)
    found = {}
    for path in pages:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        assert page.locator("h1").count() == 1, path
        violations = run_axe(page)
        if violations:
            found[path] = violations
    # The similar-projects list on the create page, filled in by htmx, is scanned too.
    page.goto(live_server.url + "/prosjekter/ny/")
    page.locator("#id_need_problem").press_sequentially("Hjemmetjenesten bruker medisinhåndtering", delay=5)
    expect(page.locator("#similar-projects .project-card")).to_have_count(1, timeout=10_000)
    violations = run_axe(page)
    if violations:
        found["/prosjekter/ny/ with similar projects"] = violations
    assert found == {}


def test_when_a_filtered_result_is_exported_then_the_download_holds_exactly_those_projects(
    page, live_server, welfare_tech, parking
):
    import csv
    import io

    browser_language(page.context, live_server)
    page.goto(live_server.url + "/prosjekter/?sector=transport")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    download = download_info.value
    text = open(download.path(), encoding="utf-8-sig").read()
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [row["title"] for row in rows] == ["Smart parkering"]
    assert rows[0]["slug"] == parking.slug
