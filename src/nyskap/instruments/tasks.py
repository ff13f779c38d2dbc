"""Background work of the instrument catalogue. Tasks are thin: they pick the rows and call a service."""

from __future__ import annotations

import logging

from django.tasks import task

from nyskap.core.mail import send_batched

from .models import MatcherProfile
from .notifications import notify_profile

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


@task()
def send_call_alerts(batch_size: int = BATCH_SIZE) -> int:
    """For every saved matcher question of an active user, mail the new calls that fit, ``batch_size`` profiles
    at a time. One failure is logged and the others are still sent. The number of mails."""
    return send_batched(
        MatcherProfile.objects.filter(user__is_active=True),
        notify_profile,
        logger=logger,
        failure_event="call_alert_failed",
        failure_extra=lambda profile: {"profile_id": profile.pk},
        batch_size=batch_size,
    )
