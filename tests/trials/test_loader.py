"""``manage.py load_trials``: the white paper's trials and sandboxes, loaded idempotently; a missing file loads
nothing and says so; a malformed entry loads nothing."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from nyskap.core.visibility import Visibility
from nyskap.trials.models import Sandbox, SandboxRound, Trial, TrialStatus

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "white_paper_sample.json"


def test_the_sample_loads_and_a_second_run_adds_nothing(home_municipality, other_municipality):
    out = StringIO()
    call_command("load_trials", file=SAMPLE, stdout=out)
    assert "2 trials (2 new) and 1 sandboxes loaded." in out.getvalue()
    assert "no organisation named “Ukjent kommune”" in out.getvalue()
    assert "loaded as “results reported”" in out.getvalue()
    call_command("load_trials", file=SAMPLE, stdout=StringIO())
    assert Trial.objects.count() == 2
    assert SandboxRound.objects.count() == 1
    trial = Trial.objects.get(slug="fritt-brukervalg")
    assert trial.status == TrialStatus.RESULTS_REPORTED
    assert trial.not_preregistered
    assert trial.visibility == Visibility.PUBLIC
    assert [o.name for o in trial.owners.all()] == ["Øygarden kommune"]
    assert str(trial.starts_on) == "2019-01-01"
    assert trial.exemptions.get().rule == "Helse- og omsorgstjenesteloven § 3-2"
    sandboxed = Trial.objects.get(slug="personvern-sandkasse-nav")
    assert sandboxed.sandbox == Sandbox.objects.get(slug="datatilsynet-sandkasse")
    assert (sandboxed.sector, sandboxed.area) == ("", "velferd")


def test_the_page_says_what_the_source_does_not_give(client, home_municipality, other_municipality):
    call_command("load_trials", file=SAMPLE, stdout=StringIO())
    page = client.get("/forsok/fritt-brukervalg/").content.decode()
    assert "Ikke oppgitt i kilden" in page


def test_without_the_file_nothing_is_loaded(tmp_path):
    out = StringIO()
    call_command("load_trials", file=tmp_path / "missing.json", stdout=out)
    assert "does not exist: no trials loaded." in out.getvalue()
    assert Trial.objects.count() == 0


def test_a_bad_entry_loads_nothing(tmp_path, home_municipality, other_municipality):
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data["trials"][1]["status"] = "finished"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError, match=r"trials\[1\]\.status: “finished” is not one of"):
        call_command("load_trials", file=path, stdout=StringIO())
    assert Trial.objects.count() == 0
    assert Sandbox.objects.count() == 0
