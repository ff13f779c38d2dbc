"""The numbers of an evaluation and a proposal's receipt, as pure functions (no database).

- `weights_problem`: criteria weights are whole percentages that add up to 100.
- `weighted_scores`: each evaluator's scores (0–10) per criterion are averaged over the evaluators who scored the
  criterion, and the averages weighted by the criteria's weights give a total on the 0–10 scale.
- `ranking`: proposals ordered by total (highest first); equal totals share a rank ("1, 2, 2, 4").
- `receipt_hash`: SHA-256 over what was sent: the text as UTF-8, a separator, then the attachment's bytes.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

MAX_SCORE = 10


def weights_problem(weights: Sequence[int]) -> str:
    """ "" when the weights are fine, else the reason (plain English; the service translates)."""
    if not weights:
        return "Add at least one criterion."
    if any(w < 0 or w > 100 for w in weights):
        return "A weight is a percentage from 0 to 100."
    if sum(weights) != 100:
        return "The weights must add up to 100."
    return ""


def weighted_total(weights: Mapping[int, int], scores: Iterable[tuple[int, int]]) -> float | None:
    """One proposal's total (0–10): ``scores`` are (criterion id, value) pairs from any number of evaluators.
    A criterion nobody scored counts as 0. None when there are no scores at all."""
    by_criterion: dict[int, list[int]] = defaultdict(list)
    for criterion, value in scores:
        if criterion in weights:
            by_criterion[criterion].append(value)
    if not by_criterion:
        return None
    total = 0.0
    for criterion, weight in weights.items():
        values = by_criterion.get(criterion)
        if values:
            total += weight / 100 * (sum(values) / len(values))
    return round(total, 4)


@dataclass(frozen=True)
class Ranked:
    proposal: int
    total: float | None
    rank: int | None


def ranking(totals: Mapping[int, float | None]) -> list[Ranked]:
    """Proposals (id → total) ordered best first; unscored proposals last without a rank. Ties share the rank."""
    scored = sorted(((pid, t) for pid, t in totals.items() if t is not None), key=lambda item: (-item[1], item[0]))
    result: list[Ranked] = []
    previous: float | None = None
    rank = 0
    for position, (pid, total) in enumerate(scored, start=1):
        if total != previous:
            rank = position
            previous = total
        result.append(Ranked(pid, total, rank))
    result.extend(Ranked(pid, None, None) for pid in sorted(pid for pid, t in totals.items() if t is None))
    return result


def receipt_hash(text: str, attachment: bytes = b"") -> str:
    digest = hashlib.sha256()
    digest.update(text.encode("utf-8"))
    digest.update(b"\x00")
    digest.update(attachment)
    return digest.hexdigest()


def budget_problem(low: int | None, high: int | None) -> tuple[str, str]:
    """(field, reason) or ("", "")."""
    if low is not None and low < 0:
        return "budget_min", "The budget cannot be negative."
    if high is not None and high < 0:
        return "budget_max", "The budget cannot be negative."
    if low is not None and high is not None and low > high:
        return "budget_max", "The upper budget cannot be below the lower budget."
    return "", ""
