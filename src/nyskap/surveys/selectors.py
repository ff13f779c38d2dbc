"""Reads of the survey engine that modules on top share."""

from __future__ import annotations

import random
from collections.abc import Collection

from django.db.models import Q

from .models import Answer, Item, ItemKind, Response, Round


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
