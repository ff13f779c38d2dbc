"""Browser tests: Playwright for Python driving the system Chromium (never a downloaded browser).

Set NYSKAP_REQUIRE_BROWSER=1 (CI does) to turn a missing browser into a failure instead of a skip.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from nyskap.instruments.models import Instrument

from ..helpers import CspWatcher
from ..instruments.factories import load_catalogue

# Playwright's sync API runs an event loop in the test thread; the ORM calls in fixtures are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
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


@pytest.fixture
def loaded(owner_organisations) -> dict[str, Instrument]:
    """The shipped instrument catalogue, by slug."""
    return load_catalogue()
