"""Background work of the survey engine. Tasks are thin: they call a service.

Mail tasks are given ids only: the task table keeps a task's arguments and result, so a personal link or an
address passed in would stay there for an operator to read (ADR 0006). Their rows are pruned daily.
"""

from __future__ import annotations

from django.tasks import task

from . import housekeeping, services


@task()
def send_invitation(invitation_id: int) -> None:
    """Make the invitation's personal link and send it. Returns nothing, so the result stores nothing."""
    services.invitation_send(invitation_id=invitation_id)


@task()
def send_round_reminders(round_id: int) -> int:
    """Remind everybody invited to the round who has not answered (a fresh link each). The number sent."""
    return services.round_send_reminders(round_id=round_id)


@task()
def discard_stale_drafts() -> int:
    """Delete unsubmitted drafts of closed rounds, erase closed rounds' address lists, prune survey-mail tasks."""
    return housekeeping.survey_housekeeping().drafts
