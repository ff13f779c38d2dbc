"""Background work of the trials registry. Thin: pick the overdue trials and call the service."""

from __future__ import annotations

import datetime
import logging

from django.tasks import task
from django.utils import timezone

from nyskap.core.mail import send_batched

from . import selectors, services

logger = logging.getLogger(__name__)


@task()
def send_overdue_reminders(today: str | None = None) -> int:
    """E-mail the editors of the owners of every overdue trial (at most once a month per trial), each in their own
    language. Each trial is its own transaction: one failure is logged and the others are still sent. The number of
    e-mails."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return send_batched(
        selectors.overdue(day),
        lambda trial: services.send_overdue_reminder(trial=trial, reason=selectors.overdue_reason(trial), today=day),
        logger=logger,
        failure_event="trial_reminder_failed",
        failure_extra=lambda trial: {"trial_id": trial.pk},
    )
