"""The procurement statistics in the system Chromium: a visitor filters the statistics without JavaScript's help
(a GET form), sees the table with the counts, and axe-core finds no WCAG 2.1 AA violations in nb, nn and en; an
operator's notice import is queued for a real database worker, its progress page follows the worker to done, and
the import's page gives each notice's reason in the reader's language. The `page` fixture fails on any CSP
violation."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from nyskap.core.jobs.models import BackgroundJob, JobStatus
from nyskap.procurement.models import ImportRun
from nyskap.procurement.services import NoticeFile, notices_import

from ..helpers import browser_language, login_browser_as, run_axe
from .test_background_jobs import database_queue  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIXTURES = Path(__file__).parents[1] / "procurement" / "fixtures" / "eforms"


def test_a_visitor_filters_the_statistics_in_three_languages(page, live_server):
    paths = sorted(FIXTURES.glob("*.xml"))
    notices_import(files=[NoticeFile(p.name, io.BytesIO(p.read_bytes())) for p in paths])
    found: dict[str, list] = {}
    for language in ("en", "nb", "nn"):
        browser_language(page.context, live_server, language)
        page.goto(f"{live_server.url}/anskaffelser/")
        page.locator("#id_year").select_option("2019")
        page.locator("form[method=get] button[type=submit]").click()
        expect(page).to_have_url(f"{live_server.url}/anskaffelser/?year=2019&sector=&procedure=&county=&notice_class=")
        table = page.locator("#by-procedure")
        expect(table).to_be_visible()
        expect(table.locator("tbody tr")).to_have_count(1)
        expect(table.locator("tbody tr td").first).to_have_text("1")
        found[language] = run_axe(page)
    assert found == {"en": [], "nb": [], "nn": []}


REASONS = {
    "en": "Procurement of innovation: procedure is competitive dialogue (comp-dial).",
    "nb": "Anskaffelse av innovasjon: prosedyren er konkurransepreget dialog (comp-dial).",
    "nn": "Anskaffing av innovasjon: prosedyren er konkurranseprega dialog (comp-dial).",
}


def test_an_operators_import_runs_in_the_background_and_its_page_gives_the_reasons(
    page,
    live_server,
    operator,
    database_queue,  # noqa: F811 - the fixture
):
    login_browser_as(page, live_server, operator)
    browser_language(page.context, live_server, "en")
    page.goto(f"{live_server.url}/anskaffelser/import/")
    page.get_by_label("Notice files").set_input_files(str(FIXTURES / "05-competitive-dialogue.xml"))
    page.get_by_role("button", name="Import", exact=True).click()
    job = BackgroundJob.objects.get()
    expect(page).to_have_url(f"{live_server.url}/oppgaver/{job.pk}/")
    status = page.get_by_role("status")
    expect(status).to_contain_text("Waiting to start")
    assert run_axe(page) == []

    call_command("db_worker", "--batch", "--no-startup-delay")
    assert BackgroundJob.objects.get().status == JobStatus.DONE
    expect(status).to_contain_text("Done", timeout=10_000)
    expect(status).to_contain_text("1 of 1 rows")
    expect(status).to_contain_text("Imported 1 notice (0 were already there).")
    assert run_axe(page) == []
    run = ImportRun.objects.get()
    status.get_by_role("link", name="The import of 05-competitive-dialogue.xml: its notices and their classes").click()
    expect(page).to_have_url(f"{live_server.url}/anskaffelser/import/{run.pk}/")
    found: dict[str, list] = {}
    for language in ("en", "nb", "nn"):
        browser_language(page.context, live_server, language)
        page.reload()
        expect(page.locator("#import-notices tbody td").last).to_have_text(REASONS[language])
        found[language] = run_axe(page)
    assert found == {"en": [], "nb": [], "nn": []}
