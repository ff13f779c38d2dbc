"""The organisation pages in the system Chromium: axe-core finds no WCAG 2.1 AA violations on the real
reference data (pagination, error summary, facts), htmx swaps only the results and pushes the URL, and the CSP
holds.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from ..helpers import browser_language, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/organisasjoner/",
    "/organisasjoner/?kind=municipality&county=46&page=2",
    "/organisasjoner/?kind=nonsense",
    "/organisasjoner/?q=ingen-treff",
    "/organisasjoner/oslo/",
    "/organisasjoner/digitaliseringsdirektoratet/",
    "/organisasjoner/digitaliserings-og-forvaltningsdepartementet/",
    "/organisasjoner/statsforvalteren-i-troms-og-finnmark/",
    "/organisasjoner/direktoratet-for-e-helse/",
    "/organisasjoner/?kind=university",
    "/organisasjoner/ntnu/",
    "/organisasjoner/helse-nord-rhf/",
    "/organisasjoner/riksrevisjonen/",
]


@pytest.fixture
def reference_data(db) -> None:
    call_command("load_reference_data", stdout=StringIO())


@pytest.mark.parametrize("language", ["nb", "en"])
def test_when_reference_data_is_loaded_then_organisation_pages_have_no_axe_violations(
    page,
    live_server,
    reference_data,
    language,
):
    browser_language(page.context, live_server, language)
    found = {}
    for path in PAGES:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        assert page.locator("h1").count() == 1, path
        violations = run_axe(page)
        if violations:
            found[path] = violations
    assert found == {}


def test_when_a_filter_is_chosen_with_htmx_then_results_swap_and_the_url_is_pushed(
    page,
    live_server,
    reference_data,
):
    browser_language(page.context, live_server)
    page.goto(live_server.url + "/organisasjoner/")
    page.locator("#organisation-results").get_by_text("514 organisations").wait_for()
    page.select_option("#id_kind", "ministry")
    page.locator("#organisation-results").get_by_text("17 organisations").wait_for()
    assert "kind=ministry" in page.url
    assert page.locator("h1").count() == 1
    assert page.locator("form.filters").count() == 1
    page.fill("#id_q", "digit")
    page.locator("#organisation-results").get_by_text("1 organisation").wait_for()
    assert page.locator("#organisation-results tbody tr").count() == 1


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("width", [320, 1280])
def test_when_an_operator_previews_a_register_import_then_the_pages_have_no_axe_violations(
    page, live_server, reference_data, operator, tmp_path, language, width
):
    from nyskap.organisations.services import register_import_create
    from tests.organisations import register_files as rf
    from tests.organisations.test_register_import import fixture_entities

    from ..helpers import login_browser_as

    path = rf.write_json(tmp_path / "enheter.json.gz", fixture_entities())
    with path.open("rb") as handle:
        register_import = register_import_create(stream=handle, file_name=path.name, actor=operator)
    login_browser_as(page, live_server, operator)
    page.set_viewport_size({"width": width, "height": 900})
    browser_language(page.context, live_server, language)
    found = {}
    for url in ("/drift/enhetsregisteret/", f"/drift/enhetsregisteret/{register_import.pk}/"):
        response = page.goto(live_server.url + url)
        assert response is not None and response.status == 200, url
        assert page.locator("h1").count() == 1, url
        violations = run_axe(page)
        if violations:
            found[url] = violations
    assert found == {}
