"""Sandboxes: a page per sandbox (who runs it, its criteria, its rounds with applications and admissions, each
admitted project with its plan and exit report); a sandbox trial records its admission and must publish its exit
report before its results count as reported."""

from __future__ import annotations

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from nyskap.trials import services
from nyskap.trials.models import Sandbox, SandboxAdmission, SandboxRound, Trial, TrialStatus
from nyskap.trials.services import TrialError

from .factories import make_trial, run_to_end

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "white_paper_sample.json"


def test_the_loaded_sandbox_shows_its_rounds_and_admitted_projects_and_a_rerun_keeps_them(
    client, home_municipality, other_municipality
):
    call_command("load_trials", file=SAMPLE, stdout=StringIO())
    call_command("load_trials", file=SAMPLE, stdout=StringIO())
    admission = SandboxAdmission.objects.get()
    assert (admission.trial.slug, admission.plan) == ("personvern-sandkasse-nav", "Personvern i vedtak om ytelser.")
    assert admission.exit_report_published_on == datetime.date(2021, 3, 1)
    assert SandboxRound.objects.count() == 1
    page = client.get("/forsok/sandkasser/datatilsynet-sandkasse/").content.decode()
    assert "<li>Personvern</li><li>Nytte for samfunnet</li>" in page
    assert '<td class="number">25</td><td class="number">4</td>' in page
    assert "Personvern i vedtak om ytelser." in page
    assert "Sluttrapport, publisert 01.03.2021:</strong> Åpenhet om modellen." in page
    assert "Datatilsynets regulatoriske sandkasse" in client.get("/forsok/sandkasser/").content.decode()
    trial_page = client.get("/forsok/personvern-sandkasse-nav/").content.decode()
    assert 'href="/forsok/sandkasser/datatilsynet-sandkasse/"' in trial_page
    assert "Publisert 01.03.2021." in trial_page


@pytest.fixture
def sandbox_trial(innovator, home_municipality):
    sandbox = Sandbox.objects.create(name="Personvernsandkassen", slug="personvern", owner=home_municipality)
    round_ = SandboxRound.objects.create(
        sandbox=sandbox, deadline=datetime.date(2025, 1, 15), applications=9, admitted=3
    )
    other = Sandbox.objects.create(name="Fintech", slug="fintech")
    SandboxRound.objects.create(sandbox=other, deadline=datetime.date(2025, 2, 1))
    trial = make_trial(
        actor=innovator, owner=home_municipality, kind="sandbox", sandbox=sandbox, title="KI i saksbehandling"
    )
    return run_to_end(trial, innovator), round_


def test_an_admitted_project_must_publish_its_exit_report_before_its_results_are_reported(
    as_innovator, as_outsider, innovator, sandbox_trial
):
    trial, round_ = sandbox_trial
    url = f"/forsok/{trial.slug}/sandkasse/"
    other_round = SandboxRound.objects.exclude(pk=round_.pk).get()
    refused = as_innovator.post(url, {"round": other_round.pk, "plan": ""})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "Velg et gyldig valg" in body or "Runden hører ikke til forsøkets sandkasse." in body
    refused = as_innovator.post(url, {"round": round_.pk, "plan": " "})
    assert refused.status_code == 400
    assert "Beskriv prosjektets plan i sandkassen." in refused.content.decode()
    assert SandboxAdmission.objects.count() == 0
    assert as_outsider.post(url, {"round": round_.pk, "plan": "Overta."}).status_code == 403
    assert SandboxAdmission.objects.count() == 0

    assert as_innovator.post(url, {"round": round_.pk, "plan": "Teste forklarbarhet."}).status_code == 302
    admission = SandboxAdmission.objects.get()
    assert (admission.round, admission.exit_report_published_on) == (round_, None)
    with pytest.raises(TrialError) as missing:
        services.report_results(actor=innovator, trial=trial, summary="Gikk bra.")
    assert missing.value.problems == [
        ("exit_report", "Publiser sluttrapporten fra sandkassen før resultatene rapporteres.")
    ]
    assert Trial.objects.get(pk=trial.pk).status == TrialStatus.ENDED
    assert "Sluttrapporten er ikke publisert ennå" in as_innovator.get(f"/forsok/{trial.slug}/").content.decode()

    saved = as_innovator.post(url, {"round": round_.pk, "plan": "Teste forklarbarhet.", "exit_report": "Lærte mye."})
    assert saved.status_code == 302
    admission.refresh_from_db()
    assert admission.exit_report_published_on is not None
    assert services.report_results(actor=innovator, trial=trial, summary="Gikk bra.").status == (
        TrialStatus.RESULTS_REPORTED
    )
    page = as_innovator.get("/forsok/sandkasser/personvern/").content.decode()
    assert "Teste forklarbarhet." in page and "Lærte mye." in page


def test_the_service_refuses_a_round_of_another_sandbox_and_a_trial_outside_a_sandbox(
    innovator, home_municipality, sandbox_trial
):
    trial, round_ = sandbox_trial
    other_round = SandboxRound.objects.exclude(pk=round_.pk).get()
    with pytest.raises(TrialError) as wrong:
        services.sandbox_participation_set(actor=innovator, trial=trial, round=other_round, plan="P", exit_report="")
    assert wrong.value.problems == [("round", "Runden hører ikke til forsøkets sandkasse.")]
    pilot = make_trial(actor=innovator, owner=home_municipality, title="Pilot")
    with pytest.raises(TrialError):
        services.sandbox_participation_set(actor=innovator, trial=pilot, round=round_, plan="P", exit_report="")
    assert SandboxAdmission.objects.count() == 0
