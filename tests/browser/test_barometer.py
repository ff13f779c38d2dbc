"""The innovation barometer in the system Chromium: an editor sets up a round, uploads its frame (a background job,
whose page links back to the round), draws the sample and starts fieldwork; two managers answer through their
invitations; the editor closes and publishes; axe-core finds no WCAG 2.1 AA violations on every barometer page
(overview, new round, trends, round, results) and on the frame's job page, in bokmål, nynorsk and English (the job
page in English). The `page` fixture fails on any CSP violation."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from nyskap.barometer.models import Round, RoundStatus
from nyskap.barometer.services import load_questionnaires
from nyskap.surveys.services import email_domain_allow

from ..helpers import browser_language, login_browser_as, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRAME = (
    "name,sector,org_type,size_band,county,centrality,email,language\n"
    "Sjukeheimen,health_care,municipality,10-49,Vestland,3,leiar.sjukeheim@oygarden.kommune.no,nn\n"
    "Skolen,education,municipality,10-49,Vestland,3,leder.skole@oygarden.kommune.no,nb\n"
    "Barnehagen,education,municipality,1-9,Vestland,3,,nb\n"
)


def test_a_round_from_frame_to_published_results(page, live_server, innovator, home_municipality):
    email_domain_allow(organisation=home_municipality, domain="oygarden.kommune.no")
    load_questionnaires()
    login_browser_as(page, live_server, innovator)
    browser_language(page.context, live_server)
    found: dict[str, list] = {}

    page.goto(f"{live_server.url}/barometer/")
    found["overview"] = run_axe(page)
    page.get_by_role("link", name="New barometer round").click()
    page.get_by_label("Organisation running the round").select_option(str(home_municipality.pk))
    page.get_by_label("Title").fill("Barometer 2026")
    page.get_by_label("Period from").fill("2024-11-01")
    page.get_by_label("Period to").fill("2026-10-31")
    page.get_by_label("Sector").check()
    page.get_by_role("button", name="Create the round").click()
    round = Round.objects.get()
    page.locator("#id_file").set_input_files(
        files=[{"name": "ramme.csv", "mimeType": "text/csv", "buffer": FRAME.encode()}]
    )
    page.get_by_role("button", name="Upload the frame").click()
    # The frame is uploaded in a background job (run at once here): its page reports, and links back to the round.
    expect(page.get_by_text("3 workplaces were imported into the frame of Barometer 2026.")).to_be_visible()
    found["frame job"] = run_axe(page)
    page.get_by_role("link", name="Round: Barometer 2026").click()
    expect(page.get_by_role("row", name=re.compile("Education and childhood"))).to_be_visible()
    page.get_by_label("Seed").fill("7")
    page.get_by_role("button", name="Draw the sample").click()
    expect(page.get_by_text("Census: every workplace in the frame (seed 7).")).to_be_visible()
    found["set-up"] = run_axe(page)
    page.get_by_label("Fieldwork closes").fill("2099-12-31")
    page.get_by_role("button", name="Start fieldwork").click()
    expect(page.get_by_text("The close date must be within a year of the open date.").first).to_be_visible()
    found["refused"] = run_axe(page)
    closes_on = datetime.date.today() + datetime.timedelta(days=20)
    page.get_by_label("Fieldwork closes").fill(closes_on.isoformat())
    page.get_by_role("button", name="Start fieldwork").click()
    expect(page.get_by_role("button", name="Close fieldwork")).to_be_visible()
    found["fieldwork"] = run_axe(page)

    links = [re.search(r"/undersokelser/svar/[^/\s]+/", m.body).group(0) for m in mail.outbox]  # type: ignore[union-attr]
    assert len(links) == 2
    for link in links:
        manager = page.context.new_page()
        manager.goto(live_server.url + link)
        for item in ("b1_product", "b1_service", "b1_process_org", "b1_communication"):
            manager.locator(f"input[name={item}][value=yes]").check()
        manager.locator("input[name=b3_novelty][value=inspired_adapted]").check()
        manager.get_by_role("button", name=re.compile("Submit|Send")).click()
        expect(manager.locator("h1")).to_be_visible()
        manager.close()

    page.reload()
    page.get_by_role("button", name="Close fieldwork").click()
    page.get_by_role("button", name="Publish the results").click()
    round.refresh_from_db()
    assert round.status == RoundStatus.PUBLISHED
    assert round.survey_round is not None and round.survey_round.responses.filter(submitted=True).count() == 2

    for language in ("nb", "nn", "en"):
        browser_language(page.context, live_server, language)
        pages = ("/barometer/", "/barometer/ny/", "/barometer/utvikling/", f"/barometer/{round.pk}/")
        for path in (*pages, f"/barometer/{round.pk}/resultater/"):
            page.goto(f"{live_server.url}{path}")
            found[f"{language} {path}"] = run_axe(page)
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/barometer/{round.pk}/resultater/")
        wide = page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth"
            " + 1).slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 60))"
        )
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (width, wide)
    assert {name: violations for name, violations in found.items() if violations} == {}


def test_the_organisations_own_figures_the_national_figure_and_the_reference_frame_form_pass_axe(
    page, live_server, innovator, home_municipality
):
    """A member sees the published round's figures for her municipality's own workplaces, broken down by size band
    (at 320 px and without JavaScript too); the trends page shows
    the national figure of a municipal and a state round; a strategic round offers its frame from the reference
    data. axe-core finds no violations on any of them in bokmål, nynorsk and English."""
    from nyskap.barometer import services
    from tests.barometer.factories import answer, barometer_round, fielded_round, innovating, not_innovating
    from tests.barometer.factories import workplaces as rows

    cell = "health_care | municipality | 10-49 | Vestland | 3"
    small = "health_care | municipality | 1-9 | Vestland | 3"
    own = [(*row[:6], f"eigen{i}@oygarden.kommune.no", row[7], home_municipality.slug) for i, row in enumerate(rows(6))]
    own += [(row[0] + " liten", *row[1:3], "1-9", *row[4:6], f"liten{i}@oygarden.kommune.no", row[7],
             home_municipality.slug) for i, row in enumerate(rows(5))]  # fmt: skip
    municipal = fielded_round(innovator, home_municipality, own + rows(6))
    for i in range(6):
        answer(municipal, f"{cell} | org:{home_municipality.pk}", innovating() if i < 4 else not_innovating())
        answer(municipal, cell, innovating() if i < 3 else not_innovating())
    for i in range(5):
        answer(municipal, f"{small} | org:{home_municipality.pk}", innovating() if i < 2 else not_innovating())
    state = fielded_round(innovator, home_municipality, rows(6, "state"))
    for i in range(6):
        answer(state, "state | municipality | 10-49 | Vestland | 3", innovating() if i < 4 else not_innovating())
    for round in (municipal, state):
        services.round_close(actor=innovator, round=round)
        services.round_publish(actor=innovator, round=round)
    strategic = barometer_round(innovator, home_municipality, kind="strategic")
    login_browser_as(page, live_server, innovator)
    found: dict[str, list] = {}
    for language in ("nb", "nn", "en"):
        browser_language(page.context, live_server, language)
        page.goto(f"{live_server.url}/barometer/{municipal.pk}/resultater/")
        page.locator(f'a[href="/barometer/{municipal.pk}/resultater/egne/"]').click()
        expect(page.locator("h2", has_text="Øygarden kommune")).to_be_visible()
        expect(page.locator("table td", has_text="55 %").first).to_be_visible()  # 6 of its 11 workplaces
        expect(page.locator("table td", has_text="67 %").first).to_be_visible()  # 4 of its 6 with 10–49 employees
        expect(page.locator("table td", has_text="40 %").first).to_be_visible()  # 2 of its 5 with 1–9
        found[f"{language} own"] = run_axe(page)
        page.goto(f"{live_server.url}/barometer/utvikling/")
        expect(page.locator("#national-heading")).to_be_visible()
        found[f"{language} national"] = run_axe(page)
        page.goto(f"{live_server.url}/barometer/{strategic.pk}/")
        expect(page.locator("#reference-heading")).to_be_visible()
        found[f"{language} reference frame"] = run_axe(page)
    for width in (320, 1280):  # the breakdowns' tables scroll in their own region; the page never does
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/barometer/{municipal.pk}/resultater/egne/")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), width
    no_script = page.context.browser.new_context(java_script_enabled=False)
    try:
        plain = no_script.new_page()
        login_browser_as(plain, live_server, innovator)
        plain.goto(f"{live_server.url}/barometer/{municipal.pk}/resultater/egne/")
        expect(plain.locator("table td", has_text="40 %").first).to_be_visible()  # without JavaScript too
    finally:
        no_script.close()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/barometer/{strategic.pk}/")
    browser_language(page.context, live_server, "en")
    page.get_by_label("Municipalities", exact=True).check()
    page.get_by_role("button", name="Take the frame from the reference data").click()
    expect(page.get_by_role("row", name=re.compile("Municipal administration"))).to_be_visible()
    assert {name: violations for name, violations in found.items() if violations} == {}
