"""Challenges in the system Chromium: a municipality posts a challenge and opens it for proposals, a second body
joins, a supplier asks and proposes, the owner shortlists and records the outcome; axe-core finds no WCAG 2.1 AA
violations on the challenge pages in bokmål, nynorsk and English. The `page` fixture fails on any CSP violation."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from nyskap.challenges.models import Challenge, ChallengeStatus, Proposal

from ..accounts.factories import SupplierProfileFactory, UserFactory
from ..helpers import browser_language, login_browser_as, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_challenge_from_posting_to_outcome(page, live_server, innovator, outsider, home_municipality):
    supplier = UserFactory(email="grunder@start.no", name="Siri Start")
    SupplierProfileFactory(user=supplier, company_name="Start AS")
    browser_language(page.context, live_server)
    found: dict[str, list] = {}
    now = timezone.localtime()
    opens = (now - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    deadline = (now + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")

    login_browser_as(page, live_server, innovator)
    page.goto(f"{live_server.url}/utfordringer/")
    page.get_by_role("link", name="Post a challenge").click()
    found["create"] = run_axe(page)
    page.get_by_label("Title").fill("Rensing av tunnelbasseng")
    page.get_by_label("Øygarden kommune").check()
    page.get_by_label("The need").fill("Slam i bassengene er dyrt og farlig å fjerne.")
    page.get_by_label("Effect wanted").fill("Tryggere og billigere rengjøring.")
    page.get_by_label("Intended procedure").select_option("innovation_partnership")
    page.get_by_label("Budget from (NOK)").fill("500")
    page.get_by_label("Budget up to (NOK)").fill("100")
    page.get_by_label("Opens").fill(opens)
    page.get_by_label("Deadline for proposals").fill(deadline)
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator("#id_budget_max_error")).to_be_visible()
    found["refused"] = run_axe(page)
    page.get_by_label("Budget up to (NOK)").fill("900000")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator("h1")).to_have_text("Rensing av tunnelbasseng")
    page.get_by_role("button", name="Open for proposals").click()
    expect(page.get_by_text("The status is changed.")).to_be_visible()
    challenge = Challenge.objects.get()
    detail = f"{live_server.url}/utfordringer/{challenge.slug}/"

    login_browser_as(page, live_server, outsider)
    page.goto(detail)
    page.get_by_role("link", name="We have the same need").click()
    page.get_by_label("Note").fill("Vi har de samme bassengene.")
    found["join"] = run_axe(page)
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_text("2 bodies have this need")).to_be_visible()

    login_browser_as(page, live_server, supplier)
    page.goto(detail)
    page.get_by_role("link", name="Ask a question").click()
    page.get_by_label("Your question").fill("Hvor mye slam er det?")
    page.get_by_role("button", name="Send the question").click()
    page.get_by_role("link", name="Send a proposal").click()
    page.get_by_label("Your proposal").fill("En fjernstyrt robot.")
    page.get_by_role("button", name="Send the proposal").click()
    expect(page.locator("code")).to_have_text(Proposal.objects.get().receipt_hash)
    found["receipt"] = run_axe(page)

    login_browser_as(page, live_server, innovator)
    page.goto(detail)
    page.get_by_role("link", name="Answer", exact=True).click()
    page.get_by_label("Answer").fill("Om lag 20 tonn i året.")
    page.get_by_role("button", name="Publish the answer").click()
    page.get_by_role("button", name="Accept Bodø kommune as co-owner").click()
    page.get_by_role("button", name="Close and start the evaluation").click()
    page.get_by_role("link", name="Proposals and evaluation").click()
    page.locator("#id_name_1").fill("Kvalitet")
    page.locator("#id_weight_1").fill("100")
    page.get_by_role("button", name="Save the criteria").click()
    page.get_by_role("button", name="Shortlist Start AS").click()
    expect(page.get_by_role("button", name="Remove Start AS from the shortlist")).to_be_visible()
    found["evaluation"] = run_axe(page)
    page.goto(detail)
    page.get_by_role("link", name="Record the outcome").click()
    page.get_by_label("Contract value (NOK)").fill("750000")
    page.get_by_label("Supplier(s)").fill("Start AS")
    page.get_by_label("Date").fill(now.date().isoformat())
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.get_by_text("The outcome is recorded")).to_be_visible()
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.AWARDED and challenge.bodies_count == 2

    for language in ("nb", "nn", "en"):
        browser_language(page.context, live_server, language)
        for name, path in (
            ("detail", detail),
            ("list", f"{live_server.url}/utfordringer/"),
            ("outcomes", f"{live_server.url}/utfordringer/resultater/"),
        ):
            page.goto(path)
            found[f"{name} {language}"] = run_axe(page)
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(detail)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), width
    assert {name: violations for name, violations in found.items() if violations} == {}
