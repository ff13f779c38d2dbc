"""Reads of the survey engine that modules on top share."""

from __future__ import annotations

from .models import Answer, Item, ItemKind, Response, Round


def submitted_count(round: Round) -> int:
    return Response.objects.filter(round=round, submitted=True).count()


def free_text(round: Round, item: Item) -> list[str] | None:
    """The free-text answers to ``item`` for the whole round, or None when fewer people than the threshold
    answered the round (free text is never shown for a small group, DOMAIN.md §2.4). Sorted alphabetically, so
    the order of answering is not revealed; empty answers left out."""
    if item.kind != ItemKind.TEXT or submitted_count(round) < round.threshold:
        return None
    texts = Answer.objects.filter(response__round=round, response__submitted=True, item=item).exclude(text="")
    return sorted(texts.values_list("text", flat=True), key=str.casefold)
