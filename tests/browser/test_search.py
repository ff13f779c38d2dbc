"""The project library's search as a visitor uses it: a question typed into the search box finds the case it is
about, results with only some of the words say so, a misspelt word gets "Did you mean", at phone and desktop width,
without JavaScript too, and axe-core finds no WCAG 2.1 AA violations in bokmål, nynorsk and English."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from nyskap.core.visibility import Visibility

from ..helpers import browser_language, run_axe
from ..projects.factories import make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SOME_WORDS = {"nb": "Treffer noen av ordene", "nn": "Treffer nokre av orda", "en": "Matches some of the words"}


@pytest.fixture
def library(innovator, home_municipality):
    def add(title: str, **texts: str) -> None:
        make_project(actor=innovator, owner=home_municipality, title=title, visibility=Visibility.PUBLIC, **texts)

    add(
        "Videokonsultasjon hos fastlegen",
        need_problem="Pasienter må reise langt for korte samtaler med legen.",
        description="Fastlegene tilbyr konsultasjon på video.",
    )
    add("Aktivitetsrobot på sykehjem", need_problem="Beboere på sykehjemmet er for lite i aktivitet.")
    add("Legevakt på telefon", need_problem="Pasienter ringer legevakten om natta.")


@pytest.mark.parametrize("width", [320, 1280])
def test_when_a_question_is_typed_then_the_right_case_comes_first_and_partial_matches_are_marked(
    page, live_server, library, width
):
    page.set_viewport_size({"width": width, "height": 900})
    browser_language(page.context, live_server, "nb")
    page.goto(live_server.url + "/prosjekter/")
    search = page.locator("#id_q")
    search.fill("kan pasienter snakke med fastlegen på video?")
    search.press("Enter")
    cards = page.locator(".project-card")
    expect(cards.first).to_contain_text("Videokonsultasjon hos fastlegen", timeout=10_000)
    # No project says "snakke", so every result is marked; the first lacks only that word, "Legevakt på telefon"
    # (it has "pasienter") follows and lacks the rest.
    expect(cards.first).to_contain_text("Ikke funnet: snakke\n")
    partial = cards.filter(has_text="Legevakt på telefon")
    expect(partial).to_contain_text(SOME_WORDS["nb"])
    expect(partial).to_contain_text("Ikke funnet: snakke, fastlegen, video")
    assert "q=kan%20pasienter%20snakke" in page.url  # a shareable address
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    wide = page.evaluate(
        "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > "
        "document.documentElement.clientWidth + 1).map(e => e.tagName + '.' + e.className).slice(0, 8)"
    )
    assert overflow <= 0, f"the page is {overflow} px wider than the {width} px screen: {wide}"


def test_when_a_word_is_misspelt_then_did_you_mean_leads_to_the_corrected_search(page, live_server, library):
    browser_language(page.context, live_server)
    page.goto(live_server.url + "/prosjekter/?q=videokonsultajson")
    expect(page.locator(".project-card").first).to_contain_text("Videokonsultasjon hos fastlegen")
    page.locator(".search-suggestion").get_by_role("link", name="videokonsultasjon", exact=True).click()
    expect(page).to_have_url(live_server.url + "/prosjekter/?q=videokonsultasjon")
    expect(page.locator(".search-suggestion")).to_have_count(0)


def test_when_javascript_is_off_then_a_question_can_still_be_searched(browser, live_server, library):
    context = browser.new_context(java_script_enabled=False, locale="nb-NO")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/prosjekter/")
        page.locator("#id_q").fill("korleis kan pasientar snakke med fastlegen på video")
        page.locator("#id_q").press("Enter")
        expect(page.locator(".project-card").first).to_contain_text("Videokonsultasjon hos fastlegen")
    finally:
        context.close()


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_when_the_search_results_with_partial_matches_are_scanned_then_axe_finds_no_violations(
    page, live_server, library, language
):
    browser_language(page.context, live_server, language)
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + "/prosjekter/?q=kan+pasienter+snakke+med+fastlegen+p%C3%A5+video")
        expect(page.locator(".project-card").filter(has_text=SOME_WORDS[language]).first).to_be_visible()
        assert run_axe(page) == [], (language, width)
        page.goto(live_server.url + "/prosjekter/?q=videokonsultajson")
        expect(page.locator(".search-suggestion")).to_be_visible()
        assert run_axe(page) == [], (language, width)
