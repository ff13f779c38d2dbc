"""Every page the crawl from the home page reaches (tests/portal/crawl.py), at 320 and 1280 CSS pixels in bokmål:
nothing scrolls sideways except a data table inside a labelled, keyboard-focusable scroll region (WCAG 1.4.10), and
axe-core finds no WCAG 2.1 AA violation at either width."""

from __future__ import annotations

from collections import defaultdict

import pytest

from ..portal.crawl import PERSONAS, client_for, crawl, load_demo_site
from .conftest import login_browser_as, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (320, 1280)

# What scrolls sideways on the page: the document itself, or any element whose content is wider than its box and
# that is not a labelled, focusable region around a table.
OVERFLOW_JS = """() => {
  const doc = document.documentElement;
  const problems = [];
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '');
  if (doc.scrollWidth > window.innerWidth) {
    // Name the innermost elements that stick out, so a failure says where to look.
    const wide = [...document.querySelectorAll('body *')].filter(
      (el) => el.getBoundingClientRect().right > window.innerWidth + 1
        && ![...el.children].some((child) => child.getBoundingClientRect().right > window.innerWidth + 1));
    problems.push(`document ${doc.scrollWidth}px wide: ${wide.slice(0, 3).map((el) => {
      const parent = el.parentElement ? name(el.parentElement) + ' > ' : '';
      return parent + name(el);
    }).join('; ')}`);
  }
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (!['auto', 'scroll'].includes(style.overflowX) || el.scrollWidth <= el.clientWidth + 1) continue;
    const labelled = el.getAttribute('role') === 'region' && el.getAttribute('tabindex') === '0'
      && (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby'));
    if (!labelled || !el.querySelector('table')) {
      problems.push(`${el.tagName.toLowerCase()}.${el.className} scrolls sideways without a labelled table region`);
    }
  }
  return problems;
}"""


def _pages_by_persona() -> dict[str | None, list[str]]:
    """One address per URL pattern (HTML pages only), each opened as the first persona whose crawl reached it."""
    chosen: dict[str, tuple[str | None, str]] = {}
    for persona in PERSONAS:
        result = crawl(client_for(persona))
        for name, paths in result.html_pages.items():
            if name not in chosen:
                chosen[name] = (persona, sorted(paths, key=len)[0])
    grouped: dict[str | None, list[str]] = defaultdict(list)
    for persona, path in chosen.values():
        grouped[persona].append(path)
    return grouped


@pytest.fixture
def crawled(settings):
    load_demo_site(settings)
    return _pages_by_persona()


def test_when_every_crawled_page_is_shown_at_320_and_1280_pixels_then_nothing_scrolls_sideways_and_axe_passes(
    browser, live_server, crawled
):
    from nyskap.accounts.models import User

    overflow: dict[str, list[str]] = {}
    violations: dict[str, list[dict]] = {}
    visited = 0
    for persona, paths in crawled.items():
        for width in WIDTHS:
            context = browser.new_context(locale="nb-NO", viewport={"width": width, "height": 800})
            page = context.new_page()
            if persona is not None:
                login_browser_as(page, live_server, User.objects.get(email=persona))
            for path in sorted(paths):
                response = page.goto(live_server.url + path)
                if response is None or "text/html" not in (response.headers.get("content-type") or ""):
                    continue
                visited += 1
                key = f"{width}px {persona or 'anonymous'} {path}"
                problems = page.evaluate(OVERFLOW_JS)
                if problems:
                    overflow[key] = problems
                found = run_axe(page)
                if found:
                    violations[key] = found
            context.close()
    print(f"reflow: {visited} page views")
    import json, os
    if os.environ.get("REFLOW_DUMP"):
        open(os.environ["REFLOW_DUMP"], "w").write(json.dumps({"overflow": overflow, "axe": violations}, indent=1))
    assert overflow == {}
    assert violations == {}
