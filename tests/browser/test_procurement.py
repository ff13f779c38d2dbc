"""The procurement statistics in the system Chromium: a visitor filters the statistics without JavaScript's help
(a GET form), sees the table with the counts, and axe-core finds no WCAG 2.1 AA violations in nb, nn and en. The
`page` fixture fails on any CSP violation."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from nyskap.procurement.services import NoticeFile, notices_import

from ..helpers import browser_language, run_axe

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
