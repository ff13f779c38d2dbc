"""Every page the crawl from the home page reaches (tests/portal/crawl.py), at 320 and 1280 CSS pixels in bokmål:
nothing scrolls sideways except a data table inside a labelled, keyboard-focusable scroll region (WCAG 1.4.10), and
axe-core finds no WCAG 2.1 AA violation at either width."""

from __future__ import annotations

from collections import defaultdict

import pytest

from ..helpers import login_browser_as, run_axe
from ..portal.crawl import PERSONAS, client_for, crawl, load_demo_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (320, 1280)

# What scrolls sideways on the page: the document itself, or any element whose content is wider than its box and
# that is not a labelled, focusable region around a table.
OVERFLOW_JS = r"""() => {
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
        # Four addresses per pattern reach every page pattern the full crawl (eight, tests/portal/test_crawl.py)
        # reaches, in half the time; three missed one.
        result = crawl(client_for(persona), per_pattern=4)
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
    browser, live_server, crawled, report_figure
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
    pages = sum(len(paths) for paths in crawled.values())
    report_figure(f"Reflow and axe: {pages} pages (one per URL pattern), {visited} page views at {WIDTHS} px")
    assert overflow == {}
    assert violations == {}


def _context(browser, width):
    return browser.new_context(locale="nb-NO", viewport={"width": width, "height": 800})


def test_when_the_screen_is_narrow_then_the_menu_and_the_search_filters_fold_and_results_come_first(
    browser, live_server, innovator, home_municipality
):
    from nyskap.core.visibility import Visibility

    from ..projects.factories import make_project

    make_project(actor=innovator, owner=home_municipality, title="Varm mat", visibility=Visibility.PUBLIC)
    narrow = _context(browser, 320)
    page = narrow.new_page()
    page.goto(live_server.url + "/prosjekter/")
    menu_link = page.locator(".site-nav").get_by_role("link", name="Virkemidler")
    assert not menu_link.is_visible()
    facet = page.locator("input[name=phase]").first
    assert not facet.is_visible()
    count = page.get_by_text("1 prosjekt", exact=True)
    first_result = page.get_by_role("link", name="Varm mat")
    assert count.is_visible() and first_result.is_visible()
    filters_button = page.locator("summary", has_text="Filtre")
    assert filters_button.bounding_box()["y"] < count.bounding_box()["y"] < first_result.bounding_box()["y"]
    filters_button.click()
    assert facet.is_visible()
    page.locator("summary", has_text="Meny").click()
    assert menu_link.is_visible()
    narrow.close()
    wide = _context(browser, 1280)
    page = wide.new_page()
    page.goto(live_server.url + "/prosjekter/")
    assert page.locator(".site-nav").get_by_role("link", name="Virkemidler").is_visible()
    assert page.locator("input[name=phase]").first.is_visible()
    assert not page.locator("summary", has_text="Filtre").is_visible()
    assert not page.locator("summary", has_text="Meny").is_visible()
    wide.close()


def test_when_a_plan_is_shown_at_1280_pixels_then_the_npv_table_fits_with_its_total_in_view(
    browser, live_server, innovator, colleague, home_municipality
):
    from nyskap.benefits import services
    from nyskap.core.visibility import Visibility

    from ..benefits.factories import hand_worked_plan
    from ..projects.factories import make_project

    project = make_project(actor=innovator, owner=home_municipality, title="Plan", visibility=Visibility.PUBLIC)
    plan = hand_worked_plan(project=project, actor=innovator, owner=colleague)
    services.plan_submit(plan=plan, actor=innovator)
    for width in WIDTHS:
        context = _context(browser, width)
        page = context.new_page()
        page.goto(live_server.url + f"/gevinster/prosjekt/{project.slug}/")
        region = page.locator("[role=region]", has=page.locator("#npv-table"))
        sizes = region.evaluate("el => [el.scrollWidth, el.clientWidth]")
        if width == 1280:
            assert sizes[0] <= sizes[1], f"the NPV table scrolls at 1280 px: {sizes}"
        total = page.locator("#npv-table tfoot tr > :last-child")
        box, frame = total.bounding_box(), region.bounding_box()
        # Scrolled or not, the total sits inside the region's visible box.
        assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1, (width, box)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        context.close()
