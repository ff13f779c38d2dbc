"""Background work of the survey engine. Tasks are thin: they call a service."""

from __future__ import annotations

from django.tasks import task

from . import services


@task()
def send_round_reminders(round_id: int) -> int:
    """Remind everybody invited to the round who has not answered (a fresh link each). The number sent."""
    return services.round_send_reminders(round_id=round_id)


@task()
def discard_stale_drafts() -> int:
    """Delete unsubmitted drafts of closed rounds."""
    return services.discard_stale_drafts()
