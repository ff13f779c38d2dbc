"""The rules a trial record must meet, as pure functions (no Django): the periods the trial act allows, and the
fingerprint that makes a pre-registration mean something.

Forsøksloven (LOV-1992-06-26-87, 26 June 1992 — the white paper's "27.06.1992" is a slip, DOMAIN.md §5.1) § 3: a
trial runs for at most four years; it may be extended once by at most two years, or until a reform in line with the
trial enters into force. Other kinds of trial (sector-law provisions, sandboxes, pilots, labs) have no such limit
here: their own rules differ and are written in the record.

A pre-registration freezes the plan: hypothesis, outcomes, design, sample size and analysis plan. Its fingerprint is
the SHA-256 of a canonical serialisation — JSON with sorted keys, no insignificant whitespace, text normalised to
Unicode NFC and line ends to "\\n" — so the same plan always gives the same hash on any machine, and anyone can
recompute it from the published plan.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

LAW_IDENTIFIER = "LOV-1992-06-26-87"
LAW_DATE = datetime.date(1992, 6, 26)
MAX_PERIOD_YEARS = 4
MAX_EXTENSION_YEARS = 2

# What a pre-registration freezes, in this order on the page; the fingerprint covers exactly these.
REGISTERED_FIELDS = (
    "hypothesis",
    "intervention",
    "target_group",
    "primary_outcome",
    "secondary_outcomes",
    "design",
    "planned_sample_size",
    "sample_size_rationale",
    "analysis_plan",
)


@dataclass(frozen=True)
class PeriodProblem:
    field: str
    message: str


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later; 29 February becomes 28 February in a year without it."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def period_problems(
    start: datetime.date | None,
    end: datetime.date | None,
    *,
    under_trial_act: bool,
    extended_to: datetime.date | None = None,
    reform: str = "",
) -> list[PeriodProblem]:
    """Every problem with a trial's period (empty when it is lawful). Under the trial act the planned period is at
    most four years, an extension at most two more years after the planned end — unless a reform is named, which
    allows the extension to run until the reform enters into force."""
    problems: list[PeriodProblem] = []
    if start and end and end < start:
        problems.append(PeriodProblem("end_date", "The trial cannot end before it starts."))
        return problems
    if extended_to and end and extended_to <= end:
        problems.append(PeriodProblem("extended_to", "An extension must end after the planned end."))
    if not under_trial_act or start is None or end is None:
        return problems
    if end > add_years(start, MAX_PERIOD_YEARS):
        problems.append(
            PeriodProblem("end_date", "A trial under the trial act (forsøksloven § 3) can last at most four years.")
        )
    if extended_to and not reform.strip() and extended_to > add_years(end, MAX_EXTENSION_YEARS):
        problems.append(
            PeriodProblem(
                "extended_to",
                "An extension under the trial act can be at most two years, unless it runs until a named reform "
                "enters into force.",
            )
        )
    return problems


def _canonical(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    if isinstance(value, Mapping):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def canonical_plan(plan: Mapping[str, Any]) -> str:
    """The registered fields of a plan as canonical JSON (UTF-8 text): every field present (missing ones as null),
    keys sorted, no whitespace between tokens."""
    frozen = {name: _canonical(plan.get(name)) for name in REGISTERED_FIELDS}
    return json.dumps(frozen, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def plan_fingerprint(plan: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical plan."""
    return hashlib.sha256(canonical_plan(plan).encode("utf-8")).hexdigest()


def changed_fields(registered: Mapping[str, Any], current: Mapping[str, Any]) -> list[str]:
    """The registered fields whose canonical value differs: what an amendment changes, in page order."""
    return [name for name in REGISTERED_FIELDS if _canonical(registered.get(name)) != _canonical(current.get(name))]


# The approval flow of a municipal or county trial under the trial act (DOMAIN.md §5.1), in order.
APPROVAL_STEPS = (
    "preliminary_application",  # to the ministry
    "selection",  # the ministries select (and may guide)
    "council_adoption",  # the final application adopted by the municipal or county council
    "regulation_adopted",  # the council adopts the local regulation (forskrift) for the trial
    "ministry_approval",  # the ministry approves the regulation
)

# The limits of § 4 as questions the applicant answers, each with a reason; a trial may only be approved when every
# answer is "no" (DOMAIN.md §5.1: the statutory text was summarised, not read in full, so the list is a parameter).
LIMITS_CHECKLIST = (
    "deviates_local_government_act",  # from the Local Government Act's basic rules on organisation
    "deviates_case_handling",  # from the Public Administration Act's rules on case handling
    "restricts_rights",  # restricts individuals' rights or extends their duties
    "materially_new_content",  # a dispensation with materially new content rather than a trial
)


def approval_problems(
    steps: Mapping[str, datetime.date | None], answers: Mapping[str, tuple[bool | None, str]]
) -> list[PeriodProblem]:
    """What stands in the way of marking a trial under the trial act approved: every step dated, in order, and every
    checklist question answered "no" with a reason."""
    problems: list[PeriodProblem] = []
    previous: datetime.date | None = None
    for step in APPROVAL_STEPS:
        day = steps.get(step)
        if day is None:
            problems.append(PeriodProblem(f"steps.{step}", "This step has no date yet."))
            continue
        if previous and day < previous:
            problems.append(PeriodProblem(f"steps.{step}", "This step is dated before the step before it."))
        previous = day
    for item in LIMITS_CHECKLIST:
        answer, reason = answers.get(item, (None, ""))
        if answer is None:
            problems.append(PeriodProblem(f"checklist.{item}", "This question is not answered."))
        elif answer:
            problems.append(PeriodProblem(f"checklist.{item}", "The trial act does not allow a trial that does this."))
        if not reason.strip():
            problems.append(PeriodProblem(f"checklist.{item}", "Give the reason for the answer."))
    return problems
