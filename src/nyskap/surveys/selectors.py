"""Reads of the survey engine that modules on top share."""

from __future__ import annotations

import random
from collections.abc import Collection
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import SurveyError
from .models import Answer, Invitation, Item, ItemKind, Response, Round, hash_secret


def submitted_count(round: Round) -> int:
    return Response.objects.filter(round=round, submitted=True).count()


def free_text(
    round: Round, item: Item, *, shown_units: Collection[int] = (), without_unit: bool = True
) -> list[str] | None:
    """The free-text answers to ``item``, or None while the round is open or when fewer people than its threshold
    answered it (DOMAIN.md §2.4). Only answers from units whose figures are shown (``shown_units``) and, when
    ``without_unit``, from respondents without a unit (a group the caller found large enough) — never from a
    hidden unit. In random order, with no time: the order of answering is not revealed. Empty answers left out."""
    if item.kind != ItemKind.TEXT or not round.is_closed() or submitted_count(round) < round.disclosure_threshold:
        return None
    allowed = Q(response__unit_id__in=list(shown_units))
    if without_unit:
        allowed |= Q(response__unit__isnull=True)
    texts = list(
        Answer.objects.filter(allowed, response__round=round, response__submitted=True, item=item)
        .exclude(text="")
        .values_list("text", flat=True)
    )
    random.SystemRandom().shuffle(texts)
    return texts


# Progress of a round


@dataclass(frozen=True)
class UnitProgress:
    name: str
    invited: int
    answered: int


@dataclass(frozen=True)
class RoundProgress:
    responses: int
    invited: int
    expected: int | None
    rate: float | None
    by_link: int = 0
    units: list[UnitProgress] = field(default_factory=list)

    @property
    def over_invited(self) -> bool:
        """More answers than people invited or asked: visible, never hidden by capping the rate at 100 %."""
        return self.rate is not None and self.rate > 1


def round_progress(round: Round) -> RoundProgress:
    """Submitted responses and the response rate: of the invitations sent, or of the number of people asked. The
    rate is never capped, so answers beyond the people asked stand out. Per unit: invited and answered (units come
    from invitations, so a respondent cannot move into a unit); answers by shared link are counted apart."""
    counts = dict(
        Response.objects.filter(round=round, submitted=True)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    by_link = Response.objects.filter(round=round, submitted=True, via_link=True).count()
    invited = dict(
        Invitation.objects.filter(round=round).values("unit_id").annotate(n=Count("pk")).values_list("unit_id", "n")
    )
    responses = sum(counts.values())
    invited_total = sum(invited.values())
    base = invited_total + (round.expected_respondents or 0 if round.link_enabled else 0)
    if not invited_total:
        base = round.expected_respondents or 0
    return RoundProgress(
        responses=responses,
        invited=invited_total,
        expected=round.expected_respondents,
        rate=responses / base if base else None,
        by_link=by_link,
        units=[UnitProgress(u.name, invited.get(u.pk, 0), counts.get(u.pk, 0)) for u in round.units.all()],
    )


# Reaching a round (respondents' links)


@dataclass(frozen=True)
class Access:
    """How a respondent reached a round: by the shared link, a personal invitation, or a saved draft."""

    round: Round
    invitation: Invitation | None = None
    draft: Response | None = None


def resolve_token(token: str) -> Access:
    """The round behind a link, or a `SurveyError` that says why the link does not work. Forged links, used
    invitations and links to closed rounds are told apart so the respondent knows what happened."""
    if not token or len(token) > 100 or "\x00" in token:
        raise SurveyError(_("This survey link is not valid. Check that you copied the whole link."), unknown=True)
    invitation = Invitation.objects.select_related("round__organisation", "round__version").filter(
        token_hash=hash_secret(token)
    )
    found = invitation.first()
    if found is not None:
        if found.used:
            raise SurveyError(
                _("This link has already been used. Use the link to continue that you got when you saved.")
            )
        require_open(found.round)
        return Access(round=found.round, invitation=found)
    round = Round.objects.select_related("organisation", "version").filter(link_token=token).first()
    if round is None:
        raise SurveyError(_("This survey link is not valid. Check that you copied the whole link."), unknown=True)
    if not round.link_enabled:
        raise SurveyError(_("This survey is answered through personal invitations only."))
    require_open(round)
    return Access(round=round)


def resolve_resume(secret: str) -> Access:
    if not secret or len(secret) > 100 or "\x00" in secret:
        raise SurveyError(_("This link to continue is not valid."), unknown=True)
    draft = (
        Response.objects.select_related("round__organisation", "round__version")
        .filter(resume_hash=hash_secret(secret), submitted=False)
        .first()
    )
    if draft is None:
        raise SurveyError(
            _("This link to continue is not valid, or the answers have already been submitted."), unknown=True
        )
    require_open(draft.round)
    return Access(round=draft.round, draft=draft)


def require_open(round: Round) -> None:
    """Refuse answers to a round that is not open (checked again by `services.response_save` when it writes)."""
    if round.frozen:
        raise SurveyError(_("The survey is closed; answers can no longer be given."))
    today = timezone.localdate()
    if today < round.opens_on:
        raise SurveyError(
            _("The survey opens on %(date)s.") % {"date": round.opens_on.isoformat()},
        )
    if not round.is_open(today):
        raise SurveyError(_("The survey is closed; answers can no longer be given."))
