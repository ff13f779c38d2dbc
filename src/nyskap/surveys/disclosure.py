"""Disclosure control for survey results, as pure functions (no Django), applied to every page, export and API.

The rules (DOMAIN.md §2.4, the platform default):

1. Primary suppression: no figure for a group with fewer answers than the threshold *k* (default 5, never below 3).
   The whole result is withheld when the total itself is under *k*.
2. Complementary suppression: a reader who sees the total and the figures of some groups can subtract them and get
   the combined figure of the groups that are hidden. That residual must itself be empty or at least *k* large, so
   while it is not, the smallest shown group is hidden too. Example: units of 6 and 4 under a total of 10 with
   k = 5 — the 4 is hidden (primary) and the 6 too, since 10 − 6 = 4.
3. Answers that belong to no listed group (a respondent who chose no unit) are part of the residual: they are
   derivable by subtraction like a hidden group.
4. Free text is shown only for groups whose figures are shown.

The same function decides for respondent counts and for each figure's own count of valid answers (a "don't know"
lowers the count of one figure but not of another), so a figure never reveals less than *k* answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_THRESHOLD = 5
MINIMUM_THRESHOLD = 3


@dataclass(frozen=True)
class Disclosure:
    """What may be shown: the total, and which of the groups."""

    total_shown: bool
    shown: frozenset[str]
    suppressed: frozenset[str]

    def is_shown(self, group: str) -> bool:
        return group in self.shown


def check_threshold(threshold: int) -> int:
    if threshold < MINIMUM_THRESHOLD:
        raise ValueError(f"The anonymity threshold must be at least {MINIMUM_THRESHOLD}.")
    return threshold


def disclose(total: int, groups: Mapping[str, int], threshold: int = DEFAULT_THRESHOLD) -> Disclosure:
    """Decide which groups' figures may be shown, given each group's count and the total count.

    ``total`` may exceed the sum of ``groups`` (answers without a group); it may never be smaller. Groups with no
    answers have nothing to reveal but are not "shown" either (there is no figure for them)."""
    check_threshold(threshold)
    if total < sum(groups.values()) or any(n < 0 for n in groups.values()):
        raise ValueError("Group counts must be non-negative and add up to at most the total.")
    if total < threshold:
        return Disclosure(total_shown=False, shown=frozenset(), suppressed=frozenset(g for g, n in groups.items() if n))
    hidden = {g for g, n in groups.items() if 0 < n < threshold}
    candidates = sorted(((n, g) for g, n in groups.items() if n >= threshold), reverse=True)
    residual = total - sum(n for n, _g in candidates)
    # Hide the smallest shown group until what is hidden (including answers without a group) is empty or large
    # enough. The smallest is the one whose loss costs least information.
    while 0 < residual < threshold and candidates:
        n, group = candidates.pop()
        hidden.add(group)
        residual += n
    shown = frozenset(g for _n, g in candidates)
    return Disclosure(total_shown=True, shown=shown, suppressed=frozenset(hidden))


def disclosed_residual(total: int, groups: Mapping[str, int], decision: Disclosure) -> int:
    """What a reader can compute by subtraction from what is shown: the number of answers in hidden groups and
    without a group together. Zero or at least the threshold whenever the total is shown."""
    if not decision.total_shown:
        return 0
    return total - sum(groups[g] for g in decision.shown)
