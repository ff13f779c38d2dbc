"""Pure numbers for the project library (no Django imports)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NoveltyShares:
    """Shares of projects by novelty, among the ``known`` projects that state it. ``reuse`` is inspired-and-adapted
    plus copied — the white paper's "8 of 10 innovations reuse others' ideas" (ch. 13). Shares are ``None`` when no
    project states its novelty: 0 % would claim something the data do not say."""

    known: int
    first_of_its_kind: float | None
    inspired_adapted: float | None
    copied: float | None
    reuse: float | None


def novelty_shares(*, first_of_its_kind: int, inspired_adapted: int, copied: int) -> NoveltyShares:
    counts = (first_of_its_kind, inspired_adapted, copied)
    if any(count < 0 for count in counts):
        raise ValueError("counts cannot be negative")
    known = sum(counts)
    if known == 0:
        return NoveltyShares(known=0, first_of_its_kind=None, inspired_adapted=None, copied=None, reuse=None)
    return NoveltyShares(
        known=known,
        first_of_its_kind=first_of_its_kind / known,
        inspired_adapted=inspired_adapted / known,
        copied=copied / known,
        reuse=(inspired_adapted + copied) / known,
    )
