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
5. Dominance: where one answer value holds 90 % or more of a group's answers on a dimension, the exact mean,
   interval and distribution would tell each member's answer (a unanimous unit of five reveals all five); such a
   group gets a band ("most agree") instead.

The same function decides for respondent counts and for each figure's own count of valid answers (a "don't know"
lowers the count of one figure but not of another), so a figure never reveals less than *k* answers.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

DEFAULT_THRESHOLD = 5
MINIMUM_THRESHOLD = 3
DOMINANCE_SHARE = 0.9


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


def dominant_value[V](counts: Mapping[V, int], share: float = DOMINANCE_SHARE) -> V | None:
    """The answer value that holds at least ``share`` of the answers, or None. Empty counts have none."""
    total = sum(counts.values())
    if total <= 0:
        return None
    value, count = max(counts.items(), key=lambda pair: pair[1])
    return value if count >= share * total else None


def _residual_projection(rows: list[np.ndarray], width: int) -> np.ndarray:
    """I − P, where P projects onto the span of ``rows``: xᵀ(I − P)x is 0 exactly when x is in the span."""
    if not rows:
        return np.eye(width)
    matrix = np.vstack(rows).astype(float)
    _u, singular, vt = np.linalg.svd(matrix, full_matrices=False)
    rank = int((singular > 1e-9 * max(matrix.shape)).sum())
    basis = vt[:rank].T
    return np.eye(width) - basis @ basis.T


def derivable_small_set[M: Hashable](
    published: Collection[frozenset[M]], threshold: int, known: Collection[frozenset[M]] = (), depth: int = 4
) -> frozenset[M] | None:
    """A set of fewer than ``threshold`` members whose total a reader can work out by adding and subtracting the
    totals of the ``published`` groups (and of groups published before, ``known``) — but could not from ``known``
    alone — or None when there is none.

    The members fall into atoms (members in exactly the same groups); any set a reader can derive is a union of
    atoms whose indicator lies in the span of the groups' indicators. Unions of up to ``depth`` (at most 4) small
    atoms are tried — with the default threshold of 5 that is every possible union, since each atom holds at least
    one member. Singles, pairs and triples are vectorised (x is in the span when xᵀ(I − P)x = 0); four atoms are
    found by meeting in the middle: (I − P)(a + b) = −(I − P)(c + d)."""
    rows_sets = [g for g in published if g] + [g for g in known if g]
    if not rows_sets:
        return None
    universe = sorted(set().union(*rows_sets), key=repr)
    signatures: dict[tuple[bool, ...], list[M]] = {}
    for member in universe:
        signatures.setdefault(tuple(member in g for g in rows_sets), []).append(member)
    atoms = list(signatures.values())

    def indicators(groups: Iterable[frozenset[M]]) -> list[np.ndarray]:
        return [np.array([1.0 if atom[0] in g else 0.0 for atom in atoms]) for g in groups if g]

    width = len(atoms)
    residual = _residual_projection(indicators(published) + indicators(known), width)
    known_residual = _residual_projection(indicators(known), width)
    small = [i for i in sorted(range(width), key=lambda i: len(atoms[i])) if len(atoms[i]) < threshold]
    if not small:
        return None
    sizes = np.array([len(atoms[i]) for i in small])
    r = residual[np.ix_(small, small)]
    r0 = known_residual[np.ix_(small, small)]
    eps = 1e-8

    def found(combo: tuple[int, ...]) -> frozenset[M]:
        return frozenset(m for i in combo for m in atoms[small[i]])

    diag, diag0 = np.diag(r), np.diag(r0)
    for i in range(len(small)):
        if diag[i] < eps and diag0[i] > eps:
            return found((i,))
    if depth >= 2:
        pair = diag[:, None] + diag[None, :] + 2 * r
        pair0 = diag0[:, None] + diag0[None, :] + 2 * r0
        light = (sizes[:, None] + sizes[None, :]) < threshold
        hits = np.argwhere(np.triu(light & (np.abs(pair) < eps) & (pair0 > eps), k=1))
        if len(hits):
            return found(tuple(hits[0]))
    if depth >= 3:
        for i in range(len(small)):
            triple = pair + diag[i] + 2 * (r[i][:, None] + r[i][None, :])
            triple0 = pair0 + diag0[i] + 2 * (r0[i][:, None] + r0[i][None, :])
            light = (sizes[i] + sizes[:, None] + sizes[None, :]) < threshold
            mask = np.triu(light & (np.abs(triple) < eps) & (triple0 > eps), k=1)
            mask[i, :] = False
            mask[:, i] = False
            hits = np.argwhere(mask)
            if len(hits):
                return found((i, *hits[0]))
    if depth >= 4 and len(small) >= 4 and 4 * int(sizes.min()) < threshold:
        columns = residual[:, small]
        seen: dict[tuple[float, ...], list[tuple[int, int]]] = {}
        for i in range(len(small)):
            for j in range(i + 1, len(small)):
                if sizes[i] + sizes[j] + 2 * int(sizes.min()) >= threshold:
                    continue
                vector = columns[:, i] + columns[:, j]
                for k, m in seen.get(_key(-vector), []):
                    combo = (i, j, k, m)
                    if len(set(combo)) < 4 or int(sizes[list(combo)].sum()) >= threshold:
                        continue
                    x = np.zeros(len(small))
                    x[list(combo)] = 1.0
                    if x @ r0 @ x > eps:
                        return found(combo)
                seen.setdefault(_key(vector), []).append((i, j))
    return None


def _key(vector: np.ndarray) -> tuple[float, ...]:
    """A hashable form of a residual vector: its entries are ratios of small integers, so six decimals tell them
    apart, and adding 0.0 turns -0.0 into 0.0."""
    return tuple((np.round(vector, 6) + 0.0).tolist())


def disclose_overlapping[K, M: Hashable](
    groups: Mapping[K, frozenset[M]], threshold: int, known: Collection[frozenset[M]] = ()
) -> frozenset[K]:
    """Which of overlapping groups (organisation kind, size band, county …) may be published together.

    Primary suppression drops groups under the threshold. Then, while some set of fewer than ``threshold``
    members can be derived from the published groups (and the ``known`` ones published before), the smallest
    group whose withdrawal makes that set underivable is withdrawn (the smallest costs least information). This
    is complementary suppression across every grouping at once, not one breakdown at a time: with four
    municipalities, three of them in one size band, "municipalities" minus "size band" is one municipality."""
    check_threshold(threshold)
    shown = {key for key, members in groups.items() if len(members) >= threshold}
    while shown:
        leak = derivable_small_set([groups[k] for k in shown], threshold, known)
        if leak is None:
            break
        # Groups with the same members are one figure under different names: they go or stay together.
        classes: dict[frozenset[M], list[K]] = {}
        for key in sorted(shown, key=repr):
            classes.setdefault(groups[key], []).append(key)
        ordered = sorted(classes.items(), key=lambda item: (len(item[0]), repr(item[1])))
        for members, keys in ordered:
            rest = [m for m in classes if m != members]
            if not _still_derivable(rest, leak, known):
                shown.difference_update(keys)
                break
        else:
            # No single withdrawal helps: withdraw the smallest figure touching the leak, and look again.
            touching = [keys for members, keys in ordered if members & leak] or [ordered[0][1]]
            shown.difference_update(touching[0])
    return frozenset(shown)


def _still_derivable[M: Hashable](
    published: Collection[frozenset[M]], target: frozenset[M], known: Collection[frozenset[M]]
) -> bool:
    rows_sets = [g for g in published if g] + [g for g in known if g]
    universe = sorted(set().union(target, *rows_sets), key=repr)
    position = {m: i for i, m in enumerate(universe)}

    def vector(members: frozenset[M]) -> np.ndarray:
        v = np.zeros(len(universe))
        for m in members:
            v[position[m]] = 1.0
        return v

    x = vector(target)
    return bool(abs(x @ _residual_projection([vector(g) for g in rows_sets], len(universe)) @ x) < 1e-8)
