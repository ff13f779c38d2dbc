"""axe-core scans every page in the list, signed out and signed in, in bokmål and English: zero violations."""

from __future__ import annotations

import pytest

from ..helpers import browser_language, login_browser_as, run_axe

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC_PAGES = [
    "/",
    "/organisasjoner/",
    "/organisasjoner/?kind=municipality&county=46",
    "/organisasjoner/oygarden/",
    "/tilgjengelighet/",
    "/personvern/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/finnes-ikke/",
]
SIGNED_IN_PAGES = [
    "/",
    "/konto/",
    "/organisasjoner/oygarden/",
    "/accounts/2fa/",
    "/accounts/email/",
    "/accounts/password/change/",
]


def _scan(page, live_server, paths, language):
    browser_language(page.context, live_server, language)
    found = {}
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status < 500, path
        assert page.locator("html").get_attribute("lang") == language
        violations = run_axe(page)
        if violations:
            found[path] = violations
    return found


@pytest.mark.parametrize("language", ["nb", "en"])
def test_when_signed_out_then_public_pages_have_no_axe_violations(page, live_server, home_municipality, language):
    assert _scan(page, live_server, PUBLIC_PAGES, language) == {}


@pytest.mark.parametrize("language", ["nb", "en"])
def test_when_signed_in_then_pages_have_no_axe_violations(page, live_server, leader, language):
    login_browser_as(page, live_server, leader)
    assert _scan(page, live_server, SIGNED_IN_PAGES, language) == {}


def test_when_a_page_has_an_unlabelled_field_then_axe_reports_it(browser, live_server, home_municipality):
    # The harness itself must be able to fail: break a page on purpose and expect axe to notice.
    context = browser.new_context()
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')")
    ids = {violation["id"] for violation in run_axe(page)}
    context.close()
    assert "label" in ids


def test_when_a_page_breaks_the_csp_then_the_violation_is_recorded(browser, live_server, home_municipality):
    from ..helpers import CspWatcher

    context = browser.new_context()
    page = context.new_page()
    watcher = CspWatcher()
    watcher.attach(page)
    page.goto(live_server.url + "/")
    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<div style=\"color: red\">x</div>');"
        "const s = document.createElement('script'); s.textContent = 'window.x = 1'; document.body.append(s);"
    )
    page.wait_for_timeout(200)
    context.close()
    assert any("Content Security Policy" in v for v in watcher.violations)
