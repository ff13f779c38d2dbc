"""Background work of the project library. Tasks are thin: they pick the rows and call a service."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.tasks import task

from .following.services import send_digest

logger = logging.getLogger(__name__)

DIGEST_BATCH_SIZE = 500


@task()
def send_daily_digests(batch_size: int = DIGEST_BATCH_SIZE) -> int:
    """Send the daily digest to every active user who follows something, ``batch_size`` users at a time (by
    primary key, so memory stays flat at national scale). Each user's digest is its own transaction: one failure
    is logged and the others are still sent; the failed user's news waits for the next run. The number of mails."""
    users = get_user_model().objects.filter(is_active=True, project_subscriptions__isnull=False).distinct()
    sent = 0
    last_pk = 0
    while True:
        batch = list(users.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
        if not batch:
            return sent
        for user in batch:
            try:
                sent += send_digest(user)
            except Exception:
                logger.exception("digest_failed", extra={"user_id": user.pk})
        last_pk = batch[-1].pk
