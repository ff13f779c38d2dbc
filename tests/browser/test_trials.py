"""The trials registry in the system Chromium: an editor registers a trial, pre-registers it, amends it, enters
counts, sees the effect with its interval and records the decision; axe-core finds no WCAG 2.1 AA violations on the
trial pages. The `page` fixture fails on any CSP violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from nyskap.trials.models import Amendment, Trial, TrialStatus

from ..helpers import browser_language, login_browser_as, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_runs_a_trial_from_plan_to_decision(page, live_server, innovator, home_municipality):
    login_browser_as(page, live_server, innovator)
    browser_language(page.context, live_server)
    found: dict[str, list] = {}

    page.goto(f"{live_server.url}/forsok/")
    page.get_by_role("link", name="Register a new trial").first.click()
    found["create"] = run_axe(page)
    page.get_by_label("Title").fill("SMS før timen")
    page.get_by_label("Kind of trial").select_option("pilot")
    page.get_by_label("Øygarden kommune").check()
    page.get_by_label("Hypothesis").fill("En SMS dagen før gir færre uteblitte timer.")
    page.get_by_label("Intervention").fill("SMS dagen før.")
    page.get_by_label("Primary outcome").fill("Møtte til timen")
    page.locator("#id_design").select_option("individual_rct")
    page.get_by_label("Planned sample size").fill("800")
    page.get_by_label("Evaluation plan").fill("Forskjell i andeler.")
    page.get_by_label("Who may see the trial").select_option("public")
    page.get_by_role("button", name="Register the trial").click()
    expect(page.locator("h1")).to_have_text("SMS før timen")
    trial = Trial.objects.get()

    page.get_by_role("button", name="Pre-register the plan").click()
    expect(page.locator(".trial-fingerprint")).to_have_text(Trial.objects.get().registration.fingerprint)
    found["detail"] = run_axe(page)

    page.get_by_role("link", name="Edit the trial").click()
    page.get_by_label("Planned sample size").fill("900")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_amendment_reason_error")).to_contain_text("say why it is changed")
    found["refused"] = run_axe(page)
    page.get_by_label("Reason for the amendment").fill("Flere deltakere enn ventet.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Flere deltakere enn ventet.")).to_be_visible()
    assert Amendment.objects.get().fields == ["planned_sample_size"]

    for button in ("Mark as approved", "Mark as started", "Mark as ended"):
        page.get_by_role("button", name=button).click()
        expect(page.get_by_text("The trial's status is changed.")).to_be_visible()

    page.get_by_role("link", name="Enter results").click()
    page.locator("#id_counts-outcome").fill("Møtte til timen")
    page.locator("#id_counts-label_1").fill("SMS")
    page.locator("#id_counts-events_1").fill("120")
    page.locator("#id_counts-n_1").fill("400")
    page.locator("#id_counts-label_2").fill("Ingen SMS")
    page.locator("#id_counts-events_2").fill("90")
    page.locator("#id_counts-n_2").fill("410")
    page.get_by_role("button", name="Save the counts").click()
    expect(page.locator(".trial-effect").first).to_have_text(
        "Difference: 8.0 percentage points (95 % interval 2.0 to 14.0)."
    )
    found["results"] = run_axe(page)
    page.get_by_role("button", name="Report the results").click()
    page.get_by_role("link", name="Record the decision").click()
    page.locator("#id_decision").select_option("spread")
    page.get_by_label("Reason for the decision").fill("Færre uteblitte timer.")
    page.get_by_label("Lessons learned").fill("Send meldingen før klokka 18.")
    found["decide"] = run_axe(page)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("The decision is recorded.")).to_be_visible()
    trial.refresh_from_db()
    assert (trial.status, trial.decision) == (TrialStatus.DECIDED, "spread")

    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/forsok/{trial.slug}/")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), width
        page.goto(f"{live_server.url}/forsok/")
        found[f"list {width}"] = run_axe(page)
    assert {name: violations for name, violations in found.items() if violations} == {}


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_every_trials_page_has_no_axe_violations(page, live_server, innovator, home_municipality, language):
    """Every trials page in each language, for an editor of the owner: the overview, the statistics, the sandboxes,
    a trial under the act (its page with a word diff, edit, approval), a sandbox trial's admission form, an ended
    trial's results and a reported trial's decision form, and the new-trial form."""
    import datetime

    from nyskap.trials import services
    from nyskap.trials.models import Sandbox, SandboxRound

    from ..trials.factories import make_trial, run_to_end

    act = make_trial(actor=innovator, owner=home_municipality, title="Fritt brukervalg", kind="forsoksloven")
    services.preregister(actor=innovator, trial=act)
    services.trial_update(
        actor=innovator,
        trial=act,
        fields={"hypothesis": "Brukervalg gir mer tilfredse brukere."},
        amendment_reason="Presisert.",
    )
    exemption = services.exemption_add(
        actor=innovator, trial=act, rule="Helse- og omsorgstjenesteloven § 3-2", reason="Fritt valg.", for_whom=""
    )
    sandbox = Sandbox.objects.create(name="Personvernsandkassen", slug="personvern", owner=home_municipality,
                                     criteria=["Nytte for samfunnet"])  # fmt: skip
    round_ = SandboxRound.objects.create(
        sandbox=sandbox, deadline=datetime.date(2025, 1, 15), applications=9, admitted=3
    )
    boxed = make_trial(
        actor=innovator, owner=home_municipality, title="KI i sandkassen", kind="sandbox", sandbox=sandbox
    )
    services.sandbox_participation_set(
        actor=innovator, trial=boxed, round=round_, plan="Forklarbar KI.", exit_report=""
    )
    ended = run_to_end(
        make_trial(actor=innovator, owner=home_municipality, title="SMS før timen", area="Helse"), innovator
    )
    services.result_add_counts(
        actor=innovator, trial=ended, outcome="Møtte", arms=[("SMS", 120, 400), ("Ingen", 90, 410)]
    )
    reported = run_to_end(make_trial(actor=innovator, owner=home_municipality, title="Nudging"), innovator)
    services.report_results(actor=innovator, trial=reported, summary="Mindre fravær.")

    login_browser_as(page, live_server, innovator)
    browser_language(page.context, live_server, language)
    paths = [
        "/forsok/",
        "/forsok/?kind=forsoksloven&size_band=xl",
        "/forsok/?outcome=estimated&area=Helse",
        "/forsok/statistikk/",
        "/forsok/sandkasser/",
        "/forsok/sandkasser/personvern/",
        "/forsok/ny/",
        f"/forsok/{act.slug}/",
        f"/forsok/{act.slug}/rediger/",
        f"/forsok/{act.slug}/godkjenning/",
        f"/forsok/{act.slug}/unntak/",
        f"/forsok/{boxed.slug}/",
        f"/forsok/{boxed.slug}/sandkasse/",
        f"/forsok/{ended.slug}/",
        f"/forsok/{ended.slug}/resultater/",
        f"/forsok/{reported.slug}/beslutning/",
    ]
    found = {}
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        assert page.locator("html").get_attribute("lang") == language, path
        found[path] = run_axe(page)
    assert {path: violations for path, violations in found.items() if violations} == {}
    # The exemption's removal button: the page comes back without it.
    page.goto(f"{live_server.url}/forsok/{act.slug}/unntak/")
    page.locator(f'form[action="/forsok/{act.slug}/unntak/{exemption.pk}/fjern/"] button').click()
    expect(page.locator(f'form[action="/forsok/{act.slug}/unntak/{exemption.pk}/fjern/"]')).to_have_count(0)
    assert list(act.exemptions.all()) == []
