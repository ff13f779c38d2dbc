"""Background work of benefit realisation. Thin: pick the benefits that are due and call the service."""

from __future__ import annotations

import datetime
import logging

from django.tasks import task
from django.utils import timezone

from . import followup, services

logger = logging.getLogger(__name__)


@task()
def send_measurement_reminders(today: str | None = None) -> int:
    """E-mail each benefit owner whose measurement is due (once per due date). Each reminder is its own
    transaction: one failure is logged and the others are still sent. The number of e-mails."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    sent = 0
    for benefit, due in followup.due_benefits(day):
        try:
            sent += services.send_reminder(benefit=benefit, due=due, today=day)
        except Exception:
            logger.exception("benefit_reminder_failed", extra={"benefit_id": benefit.pk})
    return sent
