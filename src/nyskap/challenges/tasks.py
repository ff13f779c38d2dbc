"""Background work of challenges. Thin: pick the recipients and call the service."""

from __future__ import annotations

import logging

from django.tasks import task

from nyskap.core.mail import send_batched

from . import services
from .models import Challenge

logger = logging.getLogger(__name__)


@task()
def send_opening_alerts(challenge_id: int) -> int:
    """E-mail every supplier following the opened challenge's sector or topics, each in their own language, once.
    The number of e-mails."""
    challenge = Challenge.objects.filter(pk=challenge_id).first()
    if challenge is None or not challenge.is_public:
        return 0
    return send_batched(
        services.followers_of(challenge),
        lambda user: services.send_opening_alert(challenge=challenge, user=user),
        logger=logger,
        failure_event="challenge_alert_failed",
        failure_extra=lambda user: {"challenge_id": challenge_id, "user_id": user.pk},
    )
