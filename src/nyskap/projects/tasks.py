"""Background work of the project library. Tasks are thin: they pick the rows and call a service."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.tasks import task

from nyskap.core.mail import send_batched

from .following.services import send_digest

logger = logging.getLogger(__name__)

DIGEST_BATCH_SIZE = 500


@task()
def send_daily_digests(batch_size: int = DIGEST_BATCH_SIZE) -> int:
    """Send the daily digest to every active user who follows something, ``batch_size`` users at a time (by
    primary key, so memory stays flat at national scale). Each user's digest is its own transaction: one failure
    is logged and the others are still sent; the failed user's news waits for the next run. The number of mails."""
    users = get_user_model().objects.filter(is_active=True, project_subscriptions__isnull=False).distinct()
    return send_batched(
        users,
        send_digest,
        logger=logger,
        failure_event="digest_failed",
        failure_extra=lambda user: {"user_id": user.pk},
        batch_size=batch_size,
    )
