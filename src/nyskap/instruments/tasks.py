"""Background work of the instrument catalogue. Tasks are thin: they pick the rows and call a service."""

from __future__ import annotations

import logging

from django.tasks import task

from .models import MatcherProfile
from .notifications import notify_profile

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


@task()
def send_call_alerts(batch_size: int = BATCH_SIZE) -> int:
    """For every saved matcher question of an active user, mail the new calls that fit, ``batch_size`` profiles
    at a time. One failure is logged and the others are still sent. The number of mails."""
    profiles = MatcherProfile.objects.filter(user__is_active=True)
    sent = 0
    last_pk = 0
    while True:
        batch = list(profiles.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
        if not batch:
            return sent
        for profile in batch:
            try:
                sent += notify_profile(profile)
            except Exception:
                logger.exception("call_alert_failed", extra={"profile_id": profile.pk})
        last_pk = batch[-1].pk
