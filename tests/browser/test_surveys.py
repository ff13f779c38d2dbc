"""A full survey round in the system Chromium: a leader opens a round and invites by e-mail; respondents answer
from three separate browser sessions (one saves and continues on another "device"); the results stay suppressed
until the threshold is met, then show. axe-core finds no WCAG 2.1 AA violations on the answering and leaders'
pages; the `page` fixture fails on any CSP violation."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from nyskap.culture.services import load_questionnaire
from nyskap.surveys.models import EmailDomain, Invitation, Response, Round

from ..helpers import browser_language, login_browser_as, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _answer_everything(page, value: str) -> None:
    """Tick the same point on every agreement question."""
    for group in page.locator("fieldset").all():
        group.locator(f'input[type="radio"][value="{value}"]').check()


def _new_device(browser, live_server):
    context = browser.new_context(locale="nb-NO")
    browser_language(context, live_server)
    return context, context.new_page()


def test_a_full_round_from_opening_to_results(page, browser, live_server, leader, home_municipality):
    load_questionnaire()
    EmailDomain.objects.create(organisation=home_municipality, domain="oygarden.kommune.no")
    login_browser_as(page, live_server, leader)
    browser_language(page.context, live_server)

    # The leader opens a round with two units, by invitation only (no shared link).
    page.goto(f"{live_server.url}/undersokelser/ny/oygarden/")
    page.get_by_label("Title").fill("Kultur for innovasjon 2026")
    page.get_by_label("Opens", exact=True).fill(datetime.date.today().isoformat())
    page.get_by_label("Closes").fill((datetime.date.today() + datetime.timedelta(days=14)).isoformat())
    page.get_by_label("Units").fill("Helse\nSkole")
    page.get_by_role("button", name="Create the round").click()
    expect(page.locator("h1")).to_have_text("Kultur for innovasjon 2026")
    round = Round.objects.get()
    expect(page.get_by_label("Shared link")).to_have_count(0)

    # …and invites five people in Helse by e-mail; an address outside the organisation is refused.
    page.get_by_label("Unit", exact=True).select_option(label="Helse")
    page.get_by_label("E-mail addresses").fill("en@oygarden.kommune.no\nmeg@privat.no")
    page.get_by_role("button", name="Send invitations").click()
    expect(page.locator("#id_emails_error")).to_contain_text("is not in the organisation's registered e-mail domains")
    page.get_by_label("Unit", exact=True).select_option(label="Helse")
    addresses = "\n".join(f"{name}@oygarden.kommune.no" for name in ("en", "to", "tre", "fire", "fem"))
    page.get_by_label("E-mail addresses").fill(addresses)
    page.get_by_role("button", name="Send invitations").click()
    expect(page.get_by_role("status").first).to_contain_text("Invitations sent: 5")
    assert Invitation.objects.filter(round=round, unit__name="Helse").count() == 5
    expect(page.get_by_role("table", name="Invited and answered per unit")).to_contain_text("Helse")
    expect(page.get_by_text("Who invited whom")).to_be_visible()
    links = [re.search(r"(/undersokelser/svar/[^/\s]+/)", m.body).group(1) for m in mail.outbox]

    # Three respondents, each in a session of their own; the first saves and continues on a second device.
    first, first_page = _new_device(browser, live_server)
    first_page.goto(live_server.url + links[0])
    expect(first_page.get_by_role("heading", name="What is stored and who sees what")).to_be_visible()
    expect(first_page.get_by_label("Your unit")).to_have_count(0)
    _answer_everything(first_page, "4")
    first_page.get_by_role("button", name="Save and continue later").click()
    expect(first_page.locator("h1")).to_have_text("Your answers are saved")
    resume = first_page.get_by_label("Your link to continue").input_value()
    first.close()
    second_device, resumed = _new_device(browser, live_server)
    resumed.goto(resume)
    expect(resumed.locator('input[value="4"]').first).to_be_checked()
    resumed.get_by_role("button", name="Submit my answers").click()
    expect(resumed.locator("h1")).to_have_text("Thank you for answering")
    second_device.close()
    for link, value in zip(links[1:3], ("3", "5"), strict=True):
        context, respondent = _new_device(browser, live_server)
        respondent.goto(live_server.url + link)
        _answer_everything(respondent, value)
        respondent.get_by_role("button", name="Submit my answers").click()
        expect(respondent.locator("h1")).to_have_text("Thank you for answering")
        context.close()
    assert Response.objects.filter(round=round, submitted=True).count() == 3

    # While the round is open no figure is shown; closed with three responses, under the threshold of 5,
    # nothing is shown either — and since nothing was revealed, the round may be reopened.
    page.goto(f"{live_server.url}/undersokelser/runde/{round.pk}/")
    expect(page.locator("#round-progress")).to_contain_text("3 responses")
    page.get_by_role("link", name="See the results").click()
    expect(page.get_by_role("status").first).to_contain_text("The round is open: 3 responses so far.")
    page.go_back()
    page.get_by_role("button", name="Close the round now").click()
    expect(page.get_by_role("status").first).to_contain_text("The round is closed.")
    page.get_by_role("link", name="See the results").click()
    expect(page.get_by_role("status").first).to_contain_text("Too few responses to show results")
    assert run_axe(page) == []
    page.go_back()
    page.get_by_role("button", name="Reopen the round").click()
    expect(page.get_by_role("status").first).to_contain_text("The round is open again.")

    # The last two invited people answer; a used link is refused afterwards.
    for link, value in zip(links[3:], ("2", "4"), strict=True):
        context, respondent = _new_device(browser, live_server)
        respondent.goto(live_server.url + link)
        _answer_everything(respondent, value)
        respondent.get_by_role("button", name="Submit my answers").click()
        expect(respondent.locator("h1")).to_have_text("Thank you for answering")
        respondent.goto(live_server.url + link)
        expect(respondent.get_by_role("alert")).to_contain_text("This link has already been used.")
        context.close()

    page.reload()
    page.get_by_role("button", name="Close the round now").click()
    page.get_by_role("link", name="See the results").click()
    expect(page.get_by_text("5 respondents.")).to_be_visible()
    expect(page.get_by_role("table", name="Results per dimension")).to_contain_text("3.60")
    # All five were invited to Helse: the unit is shown, and Skole has nobody.
    expect(page.get_by_role("table", name="Mean per unit and dimension")).to_contain_text("3.60")
    expect(page.get_by_role("heading", name="How anonymity is protected")).to_be_visible()
    assert run_axe(page) == []
    # Figures have been seen: the round is frozen and can no longer be reopened.
    page.go_back()
    expect(page.get_by_role("button", name="Reopen the round")).to_have_count(0)
    stored = Round.objects.get(pk=round.pk)
    assert (stored.results_opened, stored.frozen) == (True, True)
    assert not Invitation.objects.filter(round=round, email__isnull=False).exists()


@pytest.fixture
def survey_pages(leader, home_municipality) -> dict[str, str]:
    from nyskap.surveys.services import RoundInput, round_create

    version, _ = load_questionnaire()
    today = datetime.date.today()
    round = round_create(
        actor=leader,
        organisation=home_municipality,
        data=RoundInput(
            title="Kultur 2026",
            version=version,
            opens_on=today,
            closes_on=today + datetime.timedelta(days=7),
            link_enabled=True,
        ),
    )
    return {
        "leader": [
            "/undersokelser/",
            "/undersokelser/ny/oygarden/",
            f"/undersokelser/runde/{round.pk}/",
        ],
        "anonymous": [
            f"/undersokelser/svar/{round.link_token}/",
            "/undersokelser/svar/no-such-link/",
            "/undersokelser/takk/",
            "/undersokelser/personvern/",
        ],
    }


@pytest.mark.parametrize("language", ["nb", "en"])
def test_when_the_survey_pages_are_scanned_then_axe_finds_no_violations(
    page, live_server, leader, survey_pages, language
):
    browser_language(page.context, live_server, language)
    found = {}
    for path in survey_pages["anonymous"]:
        page.goto(live_server.url + path)
        found[path] = run_axe(page)
    login_browser_as(page, live_server, leader)
    for path in survey_pages["leader"]:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        found[path] = run_axe(page)
    assert {path: violations for path, violations in found.items() if violations} == {}
