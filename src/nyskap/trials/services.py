"""Every write to the trials registry: creating and changing a trial, and one function per status transition.

Each transition checks its rule (from `rules`, never copied here), refuses with a `TrialError` that names the
field, and records who made it and when (`StatusChange`). The whole registry's transitions:

    planned → preregistered → approved → running → ended → results_reported → decided

A trial labelled "not pre-registered" may be approved, and may report results, without a registration; the label
is shown wherever the trial appears (docs/adr/0012, addendum). A change to the registered fields after the
pre-registration is an amendment: it needs a reason, and it is stored with the plan before and after it.
"""

from __future__ import annotations

import datetime
import itertools
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nyskap.core.forms import REFUSED_CHARACTER_MESSAGE, Refusal
from nyskap.core.mail import site_url
from nyskap.core.permissions import can_edit, editors_of, is_operator, organisations_edited_by, require_editor_of
from nyskap.core.slugs import unique_slug
from nyskap.core.spreadsheets import SpreadsheetError, cell_text, read_table
from nyskap.core.text import first_refused_character
from nyskap.organisations.models import Organisation
from nyskap.organisations.reference_data import slug_base

from . import calculations, rules
from .models import (
    Amendment,
    ApprovalStep,
    ChecklistAnswer,
    Exemption,
    Registration,
    Result,
    ResultKind,
    SandboxAdmission,
    SandboxRound,
    StatusChange,
    Trial,
    TrialDecision,
    TrialDesign,
    TrialKind,
    TrialStatus,
)
from .search import index_trial

logger = logging.getLogger(__name__)

# Path segments next to a trial slug on the pages.
RESERVED_SLUGS = {"ny", "eksport", "forfalt", "statistikk", "sandkasser"}
MAX_UNIT_ROWS = 20000

# The rules' messages (plain English in the pure functions) in the reader's language.
RULE_MESSAGES = {
    "The trial cannot end before it starts.": gettext_lazy("The trial cannot end before it starts."),
    "An extension must end after the planned end.": gettext_lazy("An extension must end after the planned end."),
    "A trial under the trial act (forsøksloven § 3) can last at most four years.": gettext_lazy(
        "A trial under the trial act (forsøksloven § 3) can last at most four years."
    ),
    "An extension under the trial act can be at most two years, unless it runs until a named reform enters into "
    "force.": gettext_lazy(
        "An extension under the trial act can be at most two years, unless it runs until a named reform enters "
        "into force."
    ),
    "This step has no date yet.": gettext_lazy("This step has no date yet."),
    "This step is dated before the step before it.": gettext_lazy("This step is dated before the step before it."),
    "This question is not answered.": gettext_lazy("This question is not answered."),
    "The trial act does not allow a trial that does this.": gettext_lazy(
        "The trial act does not allow a trial that does this."
    ),
    "Give the reason for the answer.": gettext_lazy("Give the reason for the answer."),
    "The number of units must be at least 1.": gettext_lazy("The number of units must be at least 1."),
    "The number of events cannot be negative.": gettext_lazy("The number of events cannot be negative."),
    "The number of events cannot be greater than the number of units.": gettext_lazy(
        "The number of events cannot be greater than the number of units."
    ),
    "Each arm needs at least 2 units to estimate its spread.": gettext_lazy(
        "Each arm needs at least 2 units to estimate its spread."
    ),
    "The standard deviation cannot be negative.": gettext_lazy("The standard deviation cannot be negative."),
    "A binary outcome must be 0 or 1.": gettext_lazy("A binary outcome must be 0 or 1."),
    "Either every row names its cluster, or none does.": gettext_lazy(
        "Either every row names its cluster, or none does."
    ),
    calculations.CLUSTER_WARNING: gettext_lazy(
        "The units are grouped in clusters, so they are not independent: an interval computed unit by unit would be "
        "too narrow. The estimate is made at the cluster level."
    ),
    calculations.DESIGN_EFFECT_WARNING: gettext_lazy(
        "The units are grouped in clusters: the interval is widened by the design effect 1 + (m − 1) × ICC "
        "from the intra-cluster correlation entered (m is the average cluster size)."
    ),
}


def rule_message(message: str) -> str:
    return str(RULE_MESSAGES.get(message, message))


class TrialError(Refusal):
    """A refused change: ``problems`` are (field, message) pairs, the messages fit to show next to the field."""


# Access


def can_change(user: Any, trial: Trial) -> bool:
    """Authors, editors of an owning organisation and operators (core.permissions.can_edit)."""
    return bool(can_edit(user, trial))


def require_change(user: Any, trial: Trial) -> None:
    if not can_change(user, trial):
        raise PermissionDenied(_("Only the trial's authors and editors of its owners can change it."))


def may_create(user: Any) -> bool:
    return is_operator(user) or organisations_edited_by(user).exists()


# Creating and editing

PLAN_FIELDS = rules.REGISTERED_FIELDS
EDITABLE_FIELDS = (
    "title",
    "kind",
    "sandbox",
    "project",
    "legal_act",
    "legal_section",
    *PLAN_FIELDS,
    "evaluator",
    "sector",
    "area",
    "starts_on",
    "ends_on",
    "extended_to",
    "extension_reform",
    "source",
    "visibility",
)


def _check_period(trial: Trial) -> None:
    problems = rules.period_problems(
        trial.starts_on,
        trial.ends_on,
        under_trial_act=trial.under_trial_act,
        extended_to=trial.extended_to,
        reform=trial.extension_reform,
    )
    field_names = {"end_date": "ends_on", "extended_to": "extended_to"}
    if problems:
        raise TrialError([(field_names.get(p.field, p.field), rule_message(p.message)) for p in problems])


def _check_fields(trial: Trial) -> None:
    problems = []
    if not trial.title.strip():
        problems.append(("title", _("Give the trial a title.")))
    if trial.kind == TrialKind.SANDBOX and trial.sandbox_id is None:
        problems.append(("sandbox", _("Choose the sandbox the trial is part of.")))
    if trial.kind != TrialKind.SANDBOX and trial.sandbox_id is not None:
        problems.append(("sandbox", _("Only a trial of the kind “regulatory sandbox” belongs to a sandbox.")))
    if problems:
        raise TrialError(problems)
    _check_period(trial)


def _check_owners(actor: Any, owners: Sequence[Organisation]) -> None:
    if not owners:
        raise TrialError.one("owners", _("Choose at least one owning organisation."))
    for owner in owners:
        require_editor_of(actor, owner)


@transaction.atomic
def trial_create(
    *,
    actor: Any,
    owners: Sequence[Organisation],
    partners: Iterable[Organisation] = (),
    fields: Mapping[str, Any],
) -> Trial:
    """A new trial, planned. The actor must edit for every owner and becomes the first author."""
    _check_owners(actor, owners)
    trial = Trial(status=TrialStatus.PLANNED)
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(trial, name, fields[name])
    _check_fields(trial)
    base = slug_base(trial.title) or "forsok"
    taken = set(Trial.objects.filter(slug__startswith=base).values_list("slug", flat=True)) | RESERVED_SLUGS
    trial.slug = unique_slug(base, taken)
    trial.save()
    trial.owners.set(owners)
    trial.partners.set(list(partners))
    trial.authors.add(actor)
    index_trial(trial)
    return trial


def current_plan(trial: Trial) -> dict[str, Any] | None:
    """The plan as last registered or amended (None before pre-registration)."""
    last = trial.amendments.order_by("-number").first()
    if last is not None:
        return dict(last.after)
    registration = Registration.objects.filter(trial=trial).first()
    return dict(registration.plan) if registration else None


@transaction.atomic
def trial_update(
    *,
    actor: Any,
    trial: Trial,
    fields: Mapping[str, Any],
    owners: Sequence[Organisation] | None = None,
    partners: Iterable[Organisation] | None = None,
    amendment_reason: str = "",
) -> Trial:
    """Change a trial. After pre-registration, a change to the plan is an amendment and needs a reason; the rest of
    the record (title, period, legal basis) changes as any record does, in the audit log."""
    require_change(actor, trial)
    trial = Trial.objects.select_for_update().get(pk=trial.pk)
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(trial, name, fields[name])
    _check_fields(trial)
    registered = current_plan(trial)
    if registered is not None:
        changed = rules.changed_fields(registered, trial.plan())
        if changed:
            if trial.status == TrialStatus.DECIDED:
                raise TrialError.one(changed[0], _("The plan of a decided trial can no longer be amended."))
            if not amendment_reason.strip():
                raise TrialError.one(
                    "amendment_reason", _("The plan is pre-registered: say why it is changed (an amendment).")
                )
            number = (trial.amendments.aggregate(n=Max("number"))["n"] or 0) + 1
            after = trial.plan()
            Amendment.objects.create(
                trial=trial,
                number=number,
                reason=amendment_reason.strip(),
                before=registered,
                after=after,
                fields=changed,
                fingerprint=rules.plan_fingerprint(after),
                by=actor,
            )
    trial.save()
    if owners is not None:
        if not owners:
            raise TrialError.one("owners", _("Choose at least one owning organisation."))
        current = set(trial.owners.values_list("pk", flat=True))
        for owner in owners:
            if owner.pk not in current:
                require_editor_of(actor, owner)
        trial.owners.set(owners)
    if partners is not None:
        trial.partners.set(list(partners))
    index_trial(trial)
    return trial


# Transitions


def _move(trial: Trial, actor: Any, status: str, *, allowed_from: Iterable[str]) -> None:
    if trial.status not in set(allowed_from):
        raise TrialError.one(
            "status",
            _("A trial that is “%(now)s” cannot become “%(next)s”.")
            % {"now": trial.get_status_display(), "next": TrialStatus(status).label},
        )
    trial.status = status
    trial.status_changed_at = timezone.now()
    StatusChange.objects.create(trial=trial, status=status, by=actor)


def _locked(actor: Any, trial: Trial) -> Trial:
    require_change(actor, trial)
    return Trial.objects.select_for_update().get(pk=trial.pk)


def registration_problems(trial: Trial) -> list[tuple[str, str]]:
    """What a plan must say before it can be pre-registered."""
    problems = []
    required = {
        "hypothesis": _("Write the hypothesis before pre-registering."),
        "intervention": _("Describe the intervention before pre-registering."),
        "primary_outcome": _("Name the primary outcome before pre-registering."),
        "design": _("Choose the design before pre-registering."),
        "analysis_plan": _("Write the evaluation plan before pre-registering."),
    }
    for name, message in required.items():
        if not str(getattr(trial, name) or "").strip():
            problems.append((name, message))
    if trial.design and trial.design != TrialDesign.NONE and trial.planned_sample_size is None:
        problems.append(("planned_sample_size", _("Give the planned sample size before pre-registering.")))
    return problems


@transaction.atomic
def preregister(*, actor: Any, trial: Trial) -> Registration:
    """Freeze the plan: its canonical JSON and SHA-256 fingerprint, with who and when."""
    trial = _locked(actor, trial)
    if trial.not_preregistered:
        raise TrialError.one(
            "status", _("The trial is labelled “not pre-registered”; it cannot be pre-registered now.")
        )
    problems = registration_problems(trial)
    if problems:
        raise TrialError(problems)
    _check_period(trial)
    _move(trial, actor, TrialStatus.PREREGISTERED, allowed_from=[TrialStatus.PLANNED])
    trial.save()
    plan = trial.plan()
    return Registration.objects.create(
        trial=trial, plan=plan, fingerprint=rules.plan_fingerprint(plan), registered_by=actor
    )


@transaction.atomic
def mark_not_preregistered(*, actor: Any, trial: Trial) -> Trial:
    """Label a trial that was never pre-registered, so it may go on and report results under that label."""
    trial = _locked(actor, trial)
    if Registration.objects.filter(trial=trial).exists():
        raise TrialError.one("status", _("The trial is pre-registered."))
    trial.not_preregistered = True
    trial.save(update_fields=["not_preregistered", "updated_at"])
    return trial


def approval_problems(trial: Trial) -> list[tuple[str, str]]:
    """For a trial under the trial act: every approval step dated in order and every § 4 question answered "no"
    with a reason (rules.approval_problems); for every trial: a lawful period."""
    problems: list[tuple[str, str]] = []
    if trial.under_trial_act:
        steps = {step.step: step.dated_on for step in trial.approval_steps.all()}
        answers = {a.item: (a.answer, a.reason) for a in trial.checklist_answers.all()}
        problems += [(p.field, rule_message(p.message)) for p in rules.approval_problems(steps, answers)]
        if trial.starts_on is None or trial.ends_on is None:
            problems.append(("ends_on", _("A trial under the trial act needs a start and an end date.")))
    problems += [
        (p.field, rule_message(p.message))
        for p in rules.period_problems(
            trial.starts_on,
            trial.ends_on,
            under_trial_act=trial.under_trial_act,
            extended_to=trial.extended_to,
            reform=trial.extension_reform,
        )
    ]
    return problems


@transaction.atomic
def approve(*, actor: Any, trial: Trial) -> Trial:
    trial = _locked(actor, trial)
    allowed = (
        [TrialStatus.PREREGISTERED, TrialStatus.PLANNED] if trial.not_preregistered else [TrialStatus.PREREGISTERED]
    )
    if trial.status == TrialStatus.PLANNED and not trial.not_preregistered:
        raise TrialError.one("status", _("Pre-register the plan first, or label the trial “not pre-registered”."))
    problems = approval_problems(trial)
    if problems:
        raise TrialError(problems)
    _move(trial, actor, TrialStatus.APPROVED, allowed_from=allowed)
    trial.save()
    return trial


@transaction.atomic
def start(*, actor: Any, trial: Trial, on: datetime.date | None = None) -> Trial:
    """Running: only with an evaluation plan (a trial labelled "not pre-registered" may have skipped the
    registration, which asks for one, but not the plan)."""
    trial = _locked(actor, trial)
    if not trial.analysis_plan.strip():
        raise TrialError.one("analysis_plan", _("Write the evaluation plan before the trial starts."))
    _move(trial, actor, TrialStatus.RUNNING, allowed_from=[TrialStatus.APPROVED])
    if trial.starts_on is None:
        trial.starts_on = on or timezone.localdate()
        _check_period(trial)
    trial.save()
    return trial


@transaction.atomic
def end(*, actor: Any, trial: Trial) -> Trial:
    trial = _locked(actor, trial)
    _move(trial, actor, TrialStatus.ENDED, allowed_from=[TrialStatus.RUNNING])
    trial.save()
    return trial


def _require_exit_report(trial: Trial) -> None:
    """A project admitted to a sandbox must publish its exit report (sluttrapport) before its results count as
    reported."""
    admission = SandboxAdmission.objects.filter(trial=trial).first()
    if admission is not None and admission.exit_report_published_on is None:
        raise TrialError.one("exit_report", _("Publish the exit report from the sandbox before reporting the results."))


def _require_registration_or_label(trial: Trial) -> None:
    if not trial.not_preregistered and not Registration.objects.filter(trial=trial).exists():
        raise TrialError.one(
            "status",
            _("Results need a pre-registered plan. Pre-register it, or label the trial “not pre-registered”."),
        )


@transaction.atomic
def report_results(*, actor: Any, trial: Trial, summary: str = "") -> Trial:
    """Results reported: at least one result entered, or a summary written."""
    trial = _locked(actor, trial)
    _require_registration_or_label(trial)
    _require_exit_report(trial)
    if summary.strip():
        trial.result_summary = summary.strip()
    if not trial.result_summary.strip() and not trial.results.exists():
        raise TrialError.one("result_summary", _("Enter a result or write a summary of the results."))
    _move(trial, actor, TrialStatus.RESULTS_REPORTED, allowed_from=[TrialStatus.ENDED])
    trial.save()
    index_trial(trial)
    return trial


@transaction.atomic
def decide(
    *, actor: Any, trial: Trial, decision: str, reason: str, lessons: str, adopted_by: Iterable[Any] = ()
) -> Trial:
    """What was decided after the trial, why, and what was learned: all three are required; and the projects in
    the library that adopted the result, if any."""
    trial = _locked(actor, trial)
    problems = []
    if decision not in TrialDecision.values:
        problems.append(("decision", _("Choose what was decided.")))
    if not reason.strip():
        problems.append(("decision_reason", _("Give the reason for the decision.")))
    if not lessons.strip():
        problems.append(("lessons", _("Write what was learned, also what did not work.")))
    if problems:
        raise TrialError(problems)
    _move(trial, actor, TrialStatus.DECIDED, allowed_from=[TrialStatus.RESULTS_REPORTED])
    trial.decision, trial.decision_reason, trial.lessons = decision, reason.strip(), lessons.strip()
    trial.save()
    trial.adopted_by.add(*adopted_by)
    index_trial(trial)
    return trial


# Approval under the trial act


@transaction.atomic
def approval_step_set(*, actor: Any, trial: Trial, step: str, dated_on: datetime.date | None) -> None:
    require_change(actor, trial)
    if step not in rules.APPROVAL_STEPS:
        raise TrialError.one("step", _("Choose a step."))
    if dated_on is None:
        ApprovalStep.objects.filter(trial=trial, step=step).delete()
        return
    ApprovalStep.objects.update_or_create(trial=trial, step=step, defaults={"dated_on": dated_on})


@transaction.atomic
def checklist_answer_set(*, actor: Any, trial: Trial, item: str, answer: bool | None, reason: str) -> None:
    require_change(actor, trial)
    if item not in rules.LIMITS_CHECKLIST:
        raise TrialError.one("item", _("Choose a question."))
    if answer is None:
        ChecklistAnswer.objects.filter(trial=trial, item=item).delete()
        return
    if not reason.strip():
        raise TrialError.one(f"reason_{item}", str(rule_message("Give the reason for the answer.")))
    ChecklistAnswer.objects.update_or_create(
        trial=trial, item=item, defaults={"answer": answer, "reason": reason.strip()}
    )


@transaction.atomic
def exemption_add(*, actor: Any, trial: Trial, rule: str, reason: str, for_whom: str) -> Exemption:
    require_change(actor, trial)
    if not rule.strip():
        raise TrialError.one("rule", _("Name the rule that is set aside."))
    return Exemption.objects.create(trial=trial, rule=rule.strip(), reason=reason.strip(), for_whom=for_whom.strip())


@transaction.atomic
def exemption_remove(*, actor: Any, exemption: Exemption) -> None:
    """The rule is no longer set aside for the trial (the change history keeps the removed exemption)."""
    require_change(actor, exemption.trial)
    exemption.delete()


# Sandboxes


@transaction.atomic
def sandbox_participation_set(
    *,
    actor: Any,
    trial: Trial,
    round: SandboxRound | None,
    plan: str,
    exit_report: str,
    today: datetime.date | None = None,
) -> SandboxAdmission | None:
    """The trial's admission to a round of its sandbox, with its plan, and its exit report: published (dated) the
    first time it is written; its text may be corrected later, the date stays. No round: no admission."""
    trial = _locked(actor, trial)
    if trial.kind != TrialKind.SANDBOX or trial.sandbox_id is None:
        raise TrialError.one("round", _("Only a trial in a regulatory sandbox is admitted to a round."))
    if round is None:
        if exit_report.strip():
            raise TrialError.one("round", _("Choose the round the project was admitted to."))
        SandboxAdmission.objects.filter(trial=trial).delete()
        return None
    problems = []
    if round.sandbox_id != trial.sandbox_id:
        problems.append(("round", _("The round is not one of the trial's sandbox.")))
    if not plan.strip():
        problems.append(("plan", _("Describe the project's plan in the sandbox.")))
    if problems:
        raise TrialError(problems)
    admission = SandboxAdmission.objects.filter(trial=trial).first() or SandboxAdmission(trial=trial)
    admission.round, admission.plan, admission.exit_report = round, plan.strip(), exit_report.strip()
    if admission.exit_report and admission.exit_report_published_on is None:
        admission.exit_report_published_on = today or timezone.localdate()
    if not admission.exit_report:
        admission.exit_report_published_on = None
    admission.save()
    return admission


# Results

RESULT_STATUSES = (TrialStatus.RUNNING, TrialStatus.ENDED, TrialStatus.RESULTS_REPORTED)


def _result_allowed(trial: Trial) -> None:
    _require_registration_or_label(trial)
    if trial.status not in RESULT_STATUSES:
        raise TrialError.one("status", _("Results are entered once the trial is running."))


def effect_of(result: Result) -> calculations.Effect:
    """The estimate of a stored result, computed from its inputs (raises calculations.EffectError)."""
    inputs = result.inputs
    if result.kind == ResultKind.COUNTS:
        arms = [calculations.CountArm(a["label"], int(a["events"]), int(a["n"])) for a in inputs["arms"]]
        return calculations.binary_effect(arms)
    if result.kind == ResultKind.MEANS:
        means = [
            calculations.MeanArm(a["label"], float(a["mean"]), float(a["sd"]), int(a["n"])) for a in inputs["arms"]
        ]
        return calculations.continuous_effect(means)
    rows = [calculations.UnitRow(r[0], float(r[1]), r[2]) for r in inputs["rows"]]
    return calculations.effect_from_units(rows, result.outcome_type, arms=inputs.get("arms"), icc=inputs.get("icc"))


def _save_result(*, actor: Any, trial: Trial, outcome: str, kind: str, outcome_type: str, inputs: Any) -> Result:
    result = Result(
        trial=trial, outcome=outcome.strip(), kind=kind, outcome_type=outcome_type, inputs=inputs, entered_by=actor
    )
    try:
        effect_of(result)
    except calculations.EffectError as error:
        raise TrialError.one(error.field.replace("[", "_").replace("].", "_"), rule_message(error.message)) from None
    result.save()
    return result


@transaction.atomic
def result_add_counts(*, actor: Any, trial: Trial, outcome: str, arms: Sequence[tuple[str, int, int]]) -> Result:
    """Counts per arm: (label, events, units), the trial arm first."""
    trial = _locked(actor, trial)
    _result_allowed(trial)
    inputs = {"arms": [{"label": label, "events": events, "n": n} for label, events, n in arms]}
    return _save_result(
        actor=actor, trial=trial, outcome=outcome, kind=ResultKind.COUNTS, outcome_type="binary", inputs=inputs
    )


@transaction.atomic
def result_add_means(
    *, actor: Any, trial: Trial, outcome: str, arms: Sequence[tuple[str, float, float, int]]
) -> Result:
    """Means per arm: (label, mean, standard deviation, units), the trial arm first."""
    trial = _locked(actor, trial)
    _result_allowed(trial)
    inputs = {"arms": [{"label": label, "mean": mean, "sd": sd, "n": n} for label, mean, sd, n in arms]}
    return _save_result(
        actor=actor, trial=trial, outcome=outcome, kind=ResultKind.MEANS, outcome_type="continuous", inputs=inputs
    )


UNIT_COLUMNS = ("arm", "outcome", "cluster")


def read_unit_rows(
    upload: IO[bytes],
    filename: str,
    *,
    outcome_type: str,
    on_total: Callable[[int], None] | None = None,
    on_row: Callable[[], None] | None = None,
) -> list[list[Any]]:
    """The rows of an uploaded table with the columns arm, outcome (0/1 or a number) and optionally cluster; every
    problem is reported with its row (the header is row 1) and column, and nothing is kept unless all are right.
    ``on_total`` is told the number of rows below the header once the file is read, and
    ``on_row`` is called for each of them as it is checked (a background upload's progress)."""
    table: Any = iter(())
    try:
        table = read_table(upload, filename)
        header = next(table, None)
        if header is None:
            raise TrialError.one("file", _("The file is empty."))
        names = [cell_text(cell).strip().lower() for cell in header]
        missing = [name for name in ("arm", "outcome") if name not in names]
        if missing:
            raise TrialError(
                [("file", _("Row 1: the column “%(column)s” is missing.") % {"column": name}) for name in missing]
            )
        positions = {name: names.index(name) for name in UNIT_COLUMNS if name in names}
        rows: list[list[Any]] = []
        problems: list[tuple[str, str]] = []
        # Read whole, so that the progress knows the total: a bounded number of rows, blank ones allowed beside the
        # units (a sheet often ends in empty rows).
        body = list(itertools.islice(table, 2 * MAX_UNIT_ROWS))
        if next(table, None) is not None:
            raise TrialError.one("file", _("At most %(n)d rows can be read.") % {"n": MAX_UNIT_ROWS})
        if on_total is not None:
            on_total(len(body))
        for number, cells in enumerate(body, start=2):
            if on_row is not None:
                on_row()
            if len(rows) >= MAX_UNIT_ROWS:
                raise TrialError.one("file", _("At most %(n)d rows can be read.") % {"n": MAX_UNIT_ROWS})
            values = {name: (cells[index] if index < len(cells) else None) for name, index in positions.items()}
            if all(value in (None, "") for value in values.values()):
                continue
            arm = cell_text(values["arm"]).strip()
            cluster = cell_text(values.get("cluster")).strip()
            where = {"row": number}
            refused = [
                (column, found)
                for column, text in (("arm", arm), ("cluster", cluster))
                if (found := first_refused_character(text, multiline=False)) is not None
            ]
            for column, found in refused:  # a control character would be stored in the result's inputs
                reason = REFUSED_CHARACTER_MESSAGE % {
                    "what": found.description,
                    "code_point": found.code_point,
                    "position": found.position,
                }
                place = {**where, "column": column, "reason": reason}
                problems.append(("file", _("Row %(row)d, column %(column)s: %(reason)s") % place))
            if refused:
                continue
            if not arm:
                problems.append(("file", _("Row %(row)d, column “arm”: name the arm.") % where))
            raw = values["outcome"]
            try:
                value = float(str(raw).replace(",", ".").strip()) if raw not in (None, "") else None
            except ValueError:
                value = None
            if value is None or value != value or value in (float("inf"), float("-inf")):
                problems.append(("file", _("Row %(row)d, column “outcome”: enter a number.") % where))
                continue
            if outcome_type == calculations.BINARY and value not in (0, 1):
                problems.append(("file", _("Row %(row)d, column “outcome”: a yes/no outcome is 0 or 1.") % where))
                continue
            rows.append([arm[:100], value, cluster[:100]])
    except SpreadsheetError as error:
        raise TrialError.one("file", error.message) from None
    finally:
        # A reader left half-read is closed now, while the upload is still open.
        close = getattr(table, "close", None)
        if close is not None:
            close()
    if problems:
        raise TrialError(problems[:50])
    if not rows:
        raise TrialError.one("file", _("The file has no rows."))
    return rows


def result_units_check(*, actor: Any, trial: Trial, outcome_type: str) -> None:
    """What a unit upload needs besides its file: checked in the request before the file is queued, and again, with
    the trial locked, when it is read."""
    require_change(actor, trial)
    _result_allowed(trial)
    if outcome_type not in (calculations.BINARY, calculations.CONTINUOUS):
        raise TrialError.one("outcome_type", _("Choose the kind of outcome."))


@transaction.atomic
def result_add_units(
    *,
    actor: Any,
    trial: Trial,
    outcome: str,
    outcome_type: str,
    upload: IO[bytes],
    filename: str,
    icc: float | None = None,
    on_total: Callable[[int], None] | None = None,
    on_row: Callable[[], None] | None = None,
) -> Result:
    """Unit rows from an uploaded table; with clusters and an ICC the estimate uses the design effect. The upload is
    read (``on_total`` and ``on_row`` report its rows, as in `read_unit_rows`) with the trial locked, so the result
    is saved for the trial as it stands."""
    trial = _locked(actor, trial)
    result_units_check(actor=actor, trial=trial, outcome_type=outcome_type)
    rows = read_unit_rows(upload, filename, outcome_type=outcome_type, on_total=on_total, on_row=on_row)
    arms = list(dict.fromkeys(row[0] for row in rows))
    return _save_result(
        actor=actor,
        trial=trial,
        outcome=outcome,
        kind=ResultKind.UNITS,
        outcome_type=outcome_type,
        inputs={"arms": arms, "rows": rows, **({"icc": icc} if icc is not None else {})},
    )


@transaction.atomic
def result_delete(*, actor: Any, result: Result) -> None:
    require_change(actor, result.trial)
    if result.trial.status == TrialStatus.DECIDED:
        raise TrialError.one("status", _("The results of a decided trial are kept."))
    result.delete()


# Reminders


def reminder_message(trial: Trial, user: Any, reason: str) -> EmailMultiAlternatives:
    """The reminder in the recipient's language (their profile; the site's default when none is chosen).
    ``reason`` is "results" (past the end without results) or "decision" (results without a decision)."""
    with translation.override(user.email_language):
        url = site_url(reverse("trials:detail", kwargs={"slug": trial.slug}))
        context = {"trial": trial, "url": url, "reason": reason, "user": user}
        subject = _("Nyskap: the trial “%(trial)s” is overdue") % {"trial": trial.title}
        text = render_to_string("trials/email/overdue.txt", context)
    return EmailMultiAlternatives(subject=subject, body=text, to=[user.email])


REMIND_EVERY = datetime.timedelta(days=30)


@transaction.atomic
def send_overdue_reminder(*, trial: Trial, reason: str, today: datetime.date) -> int:
    """E-mail the editors of the trial's owners, at most once every 30 days per trial; the number of e-mails."""
    locked = Trial.objects.select_for_update().get(pk=trial.pk)
    if locked.last_reminded_on is not None and locked.last_reminded_on > today - REMIND_EVERY:
        return 0
    sent = 0
    for user in editors_of(locked.owners.all()).order_by("pk"):
        sent += reminder_message(locked, user, reason).send()
    Trial.objects.filter(pk=trial.pk).update(last_reminded_on=today)
    return sent
