"""Browser tests: Playwright for Python driving the system Chromium (never a downloaded browser).

Set NYSKAP_REQUIRE_BROWSER=1 (CI does) to turn a missing browser into a failure instead of a skip.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls in fixtures are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("NYSKAP_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM}; install Debian's chromium package.")
        pytest.skip("BROWSER-SKIPPED: system Chromium not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class CspWatcher:
    """Collects Content-Security-Policy violations reported by the page (console and securitypolicyviolation)."""

    def __init__(self) -> None:
        self.violations: list[str] = []

    def attach(self, page) -> None:
        page.on(
            "console",
            lambda msg: self.violations.append(msg.text) if "Content Security Policy" in msg.text else None,
        )


@pytest.fixture
def csp() -> CspWatcher:
    return CspWatcher()


@pytest.fixture
def page(browser, csp) -> Iterator:
    context = browser.new_context(locale="nb-NO")
    page = context.new_page()
    csp.attach(page)
    yield page
    context.close()
    assert csp.violations == [], f"CSP violations: {csp.violations}"


def run_axe(page) -> list[dict]:
    """Run axe-core (injected by evaluate, since the CSP rightly blocks add_script_tag) for WCAG 2.1 A and AA."""
    page.evaluate(AXE_PATH.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
    ]


def login_browser_as(page, live_server, user) -> None:
    """Give the browser an authenticated session for `user` (the login form itself is tested separately)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])
