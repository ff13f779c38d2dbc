"""The white paper's trials and sandboxes (Meld. St. 30 (2019–2020)) as registry content: read from
`data/white_paper_trials.json`, written idempotently (keyed by slug; a re-run updates what the file says and adds
nothing twice). What the source does not say is left empty, and the pages say "Not given in the source".

The loader writes the records as published facts, not through the owners' services: no one signs for them, the
trial act's period rules are not applied to history, and the trials are public. A trial the source calls decided
but without a decision or its reason is kept as "results reported", and the report says so.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from nyskap.core.visibility import Visibility
from nyskap.organisations.models import Organisation
from nyskap.projects.models import Sector

from .models import (
    DatePrecision,
    Exemption,
    Sandbox,
    SandboxAdmission,
    SandboxRound,
    Trial,
    TrialDecision,
    TrialDesign,
    TrialKind,
    TrialStatus,
)
from .search import index_trial

DEFAULT_FILE = Path(__file__).parent / "data" / "white_paper_trials.json"
NOT_PREREGISTERED_STATUSES = {TrialStatus.RESULTS_REPORTED, TrialStatus.DECIDED}


class ContentError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Report:
    sandboxes: int = 0
    trials: int = 0
    created: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"{self.trials} trials ({self.created} new) and {self.sandboxes} sandboxes loaded."]
        return "\n".join(lines + self.notes)


def _date(value: Any, where: str, problems: list[str]) -> datetime.date | None:
    if value in (None, ""):
        return None
    text = str(value)
    if len(text) == 4:
        text += "-01-01"
    elif len(text) == 7:
        text += "-01"
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        problems.append(f"{where}: “{value}” is not a date.")
        return None


def _choice(value: Any, allowed: list[str], where: str, problems: list[str]) -> str:
    if value in (None, ""):
        return ""
    if value not in allowed:
        problems.append(f"{where}: “{value}” is not one of {', '.join(allowed)}.")
        return ""
    return str(value)


def _organisations(names: list[str], where: str, report: Report) -> list[Organisation]:
    found = []
    for name in names or []:
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is None:
            report.notes.append(f"{where}: no organisation named “{name}” in the reference data; left out.")
        else:
            found.append(organisation)
    return found


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


@transaction.atomic
def load_white_paper_trials(path: Path = DEFAULT_FILE) -> Report:
    """Load the file; raises ContentError (nothing written) when an entry is malformed."""
    data = json.loads(path.read_text(encoding="utf-8"))
    report = Report()
    problems: list[str] = []
    sandboxes: dict[str, Sandbox] = {}
    for index, entry in enumerate(data.get("sandboxes") or []):
        where = f"sandboxes[{index}]"
        if not entry.get("slug") or not entry.get("name"):
            problems.append(f"{where}: slug and name are required.")
            continue
        owners = _organisations([entry["owner"]] if entry.get("owner") else [], where, report)
        sandbox, _created = Sandbox.objects.update_or_create(
            slug=entry["slug"],
            defaults={
                "name": _text(entry["name"])[:200],
                "owner": owners[0] if owners else None,
                "criteria": [str(c) for c in entry.get("criteria") or []],
                "source": _text(entry.get("source"))[:500],
            },
        )
        # The rounds in the file's order, updated in place: the projects admitted to them stay admitted.
        existing = list(sandbox.rounds.order_by("pk"))
        rounds = entry.get("rounds") or []
        for number, round_ in enumerate(rounds):
            values = {
                "opened_on": _date(round_.get("opened_on"), f"{where}.rounds[{number}].opened_on", problems),
                "deadline": _date(round_.get("deadline"), f"{where}.rounds[{number}].deadline", problems),
                "applications": round_.get("applications"),
                "admitted": round_.get("admitted"),
            }
            if number < len(existing):
                SandboxRound.objects.filter(pk=existing[number].pk).update(**values)
            else:
                SandboxRound.objects.create(sandbox=sandbox, **values)
        SandboxRound.objects.filter(pk__in=[r.pk for r in existing[len(rounds) :]]).delete()
        sandboxes[sandbox.slug] = sandbox
        report.sandboxes += 1
    for index, entry in enumerate(data.get("trials") or []):
        where = f"trials[{index}]"
        if not entry.get("slug") or not entry.get("title"):
            problems.append(f"{where}: slug and title are required.")
            continue
        kind = _choice(entry.get("kind"), TrialKind.values, f"{where}.kind", problems) or TrialKind.PILOT
        status = _choice(entry.get("status"), TrialStatus.values, f"{where}.status", problems) or TrialStatus.PLANNED
        decision = _choice(entry.get("decision"), TrialDecision.values, f"{where}.decision", problems)
        reason = _text(entry.get("decision_reason"))
        if status == TrialStatus.DECIDED and not (decision and reason):
            report.notes.append(
                f"{where}: decided without a decision and its reason in the source; loaded as “results reported”."
            )
            status = TrialStatus.RESULTS_REPORTED
        sector = _text(entry.get("sector"))
        legal = entry.get("legal_basis") or {}
        sandbox_slug = entry.get("sandbox")
        found: Sandbox | None = sandboxes.get(sandbox_slug) or (
            Sandbox.objects.filter(slug=sandbox_slug).first() if sandbox_slug else None
        )
        if sandbox_slug and found is None:
            problems.append(f"{where}.sandbox: no sandbox “{sandbox_slug}”.")
        size = entry.get("planned_sample_size")
        if size is not None and (not isinstance(size, int) or size < 1):
            problems.append(f"{where}.planned_sample_size: a whole number above 0, or null.")
            size = None
        defaults = {
            "title": _text(entry["title"])[:200],
            "kind": kind,
            "sandbox": found if kind == TrialKind.SANDBOX else None,
            "legal_act": _text(legal.get("act"))[:200],
            "legal_section": _text(legal.get("section"))[:100],
            "hypothesis": _text(entry.get("hypothesis")),
            "intervention": _text(entry.get("intervention")),
            "target_group": _text(entry.get("target_group")),
            "primary_outcome": _text(entry.get("primary_outcome")),
            "secondary_outcomes": "\n".join(_text(o) for o in entry.get("secondary_outcomes") or []),
            "design": _choice(entry.get("design"), TrialDesign.values, f"{where}.design", problems),
            "planned_sample_size": size,
            "sample_size_rationale": _text(entry.get("sample_size_basis")),
            "sector": sector if sector in Sector.values else "",
            "area": "" if sector in Sector.values else sector[:200],
            "starts_on": _date(entry.get("starts_on"), f"{where}.starts_on", problems),
            "ends_on": _date(entry.get("ends_on"), f"{where}.ends_on", problems),
            "date_precision": _choice(
                entry.get("date_precision"), DatePrecision.values, f"{where}.date_precision", problems
            )
            or DatePrecision.DAY,
            "status": status,
            "not_preregistered": status in NOT_PREREGISTERED_STATUSES,
            "result_summary": _text(entry.get("result_summary")),
            "decision": decision if status == TrialStatus.DECIDED else "",
            "decision_reason": reason,
            "lessons": _text(entry.get("lessons")),
            "source": _text(entry.get("source"))[:500],
            "visibility": Visibility.PUBLIC,
        }
        starts, ends = defaults["starts_on"], defaults["ends_on"]
        if starts and ends and ends < starts:
            problems.append(f"{where}: ends before it starts.")
            continue
        trial, created = Trial.objects.update_or_create(slug=entry["slug"], defaults=defaults)
        trial.owners.set(_organisations(entry.get("owners") or [], f"{where}.owners", report))
        trial.partners.set(_organisations(entry.get("partners") or [], f"{where}.partners", report))
        trial.exemptions.all().delete()
        for exemption in entry.get("exemptions") or []:
            Exemption.objects.create(
                trial=trial,
                rule=_text(exemption.get("rule"))[:300] or "?",
                reason=_text(exemption.get("reason")),
                for_whom=_text(exemption.get("for_whom"))[:300],
            )
        admission = entry.get("admission")
        rounds = list(found.rounds.order_by("pk")) if found is not None else []
        if admission and kind == TrialKind.SANDBOX:
            number = admission.get("round")
            if not isinstance(number, int) or not 0 <= number < len(rounds) or not _text(admission.get("plan")):
                problems.append(f"{where}.admission: a round of its sandbox (from 0) and a plan are required.")
            else:
                SandboxAdmission.objects.update_or_create(
                    trial=trial,
                    defaults={
                        "round": rounds[number],
                        "plan": _text(admission.get("plan")),
                        "exit_report": _text(admission.get("exit_report")),
                        "exit_report_published_on": _date(
                            admission.get("exit_report_published_on"), f"{where}.admission", problems
                        ),
                    },
                )
        index_trial(trial)
        report.trials += 1
        report.created += int(created)
    if problems:
        raise ContentError(problems)
    return report
