"""Background work of benefit realisation. Thin: pick the benefits that are due and call the service."""

from __future__ import annotations

import datetime
import logging

from django.tasks import task
from django.utils import timezone

from nyskap.core.mail import send_batched

from . import followup, services

logger = logging.getLogger(__name__)


@task()
def send_measurement_reminders(today: str | None = None) -> int:
    """E-mail each benefit owner whose measurement is due (once per due date). Each reminder is its own
    transaction: one failure is logged and the others are still sent. The number of e-mails."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return send_batched(
        followup.due_benefits(day),
        lambda item: services.send_reminder(benefit=item[0], due=item[1], today=day),
        logger=logger,
        failure_event="benefit_reminder_failed",
        failure_extra=lambda item: {"benefit_id": item[0].pk},
    )
