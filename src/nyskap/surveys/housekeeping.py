"""The survey engine's daily housekeeping: discard drafts of closed rounds, erase closed rounds' address lists and
spent link tickets, and prune finished survey-mail tasks — so nothing is kept longer than a round needs it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from .models import LinkTicket, Response, Round
from .services import round_forget_addresses


def prune_mail_tasks() -> int:
    """Delete the stored rows of finished survey-mail tasks (they hold only ids, but need not be kept)."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - another task backend keeps no rows
        return 0
    paths = [f"{__package__}.tasks.send_invitation", f"{__package__}.tasks.send_round_reminders"]
    finished = DBTaskResult.objects.finished().filter(task_path__in=paths)
    deleted, _per_model = finished.delete()
    return int(deleted)


def forget_closed_rounds(*, today: datetime.date | None = None) -> int:
    """Erase the address lists of every round that has closed (by date or early). The number of rounds."""
    today = today or timezone.localdate()
    closed = Round.objects.filter(Q(closes_on__lt=today) | Q(closed_early=True)).filter(
        Q(invitations__email__isnull=False)
    )
    rounds = list(closed.distinct())
    for round in rounds:
        round_forget_addresses(round=round)
    LinkTicket.objects.filter(Q(round__closes_on__lt=today) | Q(round__closed_early=True)).delete()
    return len(rounds)


def discard_stale_drafts(*, today: datetime.date | None = None) -> int:
    """Drafts of closed rounds are never counted; delete them so no unsubmitted answers are kept."""
    today = today or timezone.localdate()
    stale = Response.objects.filter(submitted=False).filter(Q(round__closes_on__lt=today) | Q(round__closed_early=True))
    _total, per_model = stale.delete()
    return int(per_model.get(Response._meta.label, 0))


@dataclass(frozen=True)
class Housekeeping:
    drafts: int
    rounds_forgotten: int
    tasks_pruned: int


def survey_housekeeping(*, today: datetime.date | None = None) -> Housekeeping:
    """The daily job: discard stale drafts, erase closed rounds' addresses, prune finished survey-mail tasks."""
    return Housekeeping(
        drafts=discard_stale_drafts(today=today),
        rounds_forgotten=forget_closed_rounds(today=today),
        tasks_pruned=prune_mail_tasks(),
    )
