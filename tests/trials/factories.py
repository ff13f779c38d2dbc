"""Trials for tests, made through the services so every rule applies."""

from __future__ import annotations

import datetime
from typing import Any

from nyskap.accounts.models import User
from nyskap.core.visibility import Visibility
from nyskap.organisations.models import Organisation
from nyskap.trials import rules, services
from nyskap.trials.models import Trial, TrialKind

PLAN = {
    "hypothesis": "Påminnelse på SMS dagen før gir færre uteblitte timer.",
    "intervention": "SMS dagen før timen.",
    "target_group": "Innbyggere med time på helsestasjonen.",
    "primary_outcome": "Andel som møter til timen.",
    "secondary_outcomes": "Tid brukt på ombooking\nTilfredshet",
    "design": "individual_rct",
    "planned_sample_size": 800,
    "sample_size_rationale": "80 % styrke for 8 prosentpoeng forskjell.",
    "analysis_plan": "Forskjell i andeler med Newcombe-intervall.",
}


def make_trial(
    *,
    actor: User,
    owner: Organisation,
    title: str = "SMS-påminnelse",
    kind: str = TrialKind.PILOT,
    visibility: str = Visibility.PUBLIC,
    **fields: Any,
) -> Trial:
    values = {
        "title": title,
        "kind": kind,
        "visibility": visibility,
        "starts_on": datetime.date(2025, 1, 1),
        "ends_on": datetime.date(2026, 6, 30),
        **PLAN,
        **fields,
    }
    return services.trial_create(actor=actor, owners=[owner], fields=values)


def approve_under_the_act(trial: Trial, actor: User) -> None:
    """Date every approval step in order and answer every § 4 question "no" with a reason."""
    day = datetime.date(2024, 1, 1)
    for offset, step in enumerate(rules.APPROVAL_STEPS):
        services.approval_step_set(actor=actor, trial=trial, step=step, dated_on=day + datetime.timedelta(days=offset))
    for item in rules.LIMITS_CHECKLIST:
        services.checklist_answer_set(actor=actor, trial=trial, item=item, answer=False, reason="Nei, se søknaden.")


def run_to_end(trial: Trial, actor: User) -> Trial:
    """Pre-register, approve, start and end a trial."""
    services.preregister(actor=actor, trial=trial)
    if trial.kind == TrialKind.FORSOKSLOVEN:
        approve_under_the_act(trial, actor)
    services.approve(actor=actor, trial=trial)
    services.start(actor=actor, trial=trial)
    return services.end(actor=actor, trial=trial)
