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

import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

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


class _Derivation[M: Hashable]:
    """What a reader can add and subtract: the members fall into atoms (members in exactly the same groups), and a
    set a reader can derive is a union of atoms whose indicator lies in the span of the groups' indicators (x is in
    the span when xᵀ(I − P)x = 0). ``residual`` is I − P over the ``published`` and ``known`` groups together,
    ``known_residual`` over the ``known`` ones alone (what could be derived before)."""

    def __init__(self, published: Collection[frozenset[M]], known: Collection[frozenset[M]]) -> None:
        rows_sets = [g for g in published if g] + [g for g in known if g]
        where: dict[M, list[int]] = {}
        for index, group in enumerate(rows_sets):
            for member in group:
                where.setdefault(member, []).append(index)
        signatures: dict[tuple[int, ...], list[M]] = {}
        for member in sorted(where, key=repr):
            signatures.setdefault(tuple(where[member]), []).append(member)
        self.atoms = list(signatures.values())
        self.atom_of = {member: index for index, atom in enumerate(self.atoms) for member in atom}
        width = len(self.atoms)
        self.residual = _residual_projection(self._indicators(published) + self._indicators(known), width)
        self.known_residual = _residual_projection(self._indicators(known), width)

    def _indicators(self, groups: Iterable[frozenset[M]]) -> list[np.ndarray]:
        return [np.array([1.0 if atom[0] in g else 0.0 for atom in self.atoms]) for g in groups if g]

    def union(self, combo: Iterable[int]) -> frozenset[M]:
        return frozenset(m for i in combo for m in self.atoms[i])

    def search(self, candidates: list[int], scores: np.ndarray, bounds: np.ndarray, depth: int) -> list[int] | None:
        """A union of up to ``depth`` (at most 4) of the ``candidates`` atoms that can be derived now but not from
        the known groups alone, and whose scores add up to at least the bound of one criterion (a row of
        ``scores``, one column per candidate): the candidates' positions in the atoms, or None. Singles, pairs and
        triples are vectorised; four atoms are found by meeting in the middle: (I − P)(a + b) = −(I − P)(c + d)."""
        if not candidates:
            return None
        bounds = np.asarray(bounds, dtype=float)

        def fits(total: np.ndarray) -> np.ndarray:
            return (total >= bounds.reshape(-1, *([1] * (total.ndim - 1)))).any(axis=0)

        def found(combo: Iterable[int]) -> list[int]:
            return [candidates[int(i)] for i in combo]

        r = self.residual[np.ix_(candidates, candidates)]
        r0 = self.known_residual[np.ix_(candidates, candidates)]
        eps = 1e-8
        diag, diag0 = np.diag(r), np.diag(r0)
        hits = np.flatnonzero((diag < eps) & (diag0 > eps) & fits(scores))
        if len(hits):
            return found(hits[:1])
        count = len(candidates)
        if depth >= 2:
            pair = diag[:, None] + diag[None, :] + 2 * r
            pair0 = diag0[:, None] + diag0[None, :] + 2 * r0
            sums = scores[:, :, None] + scores[:, None, :]
            pairs = np.argwhere(np.triu(fits(sums) & (np.abs(pair) < eps) & (pair0 > eps), k=1))
            if len(pairs):
                return found(pairs[0])
        if depth >= 3:
            # A union that meets a rule here has an atom that meets it alone (sizes are positive; a share of 90 %
            # over a union needs a part with 90 %), so each triple is looked for from such an atom.
            for i in (int(a) for a in np.flatnonzero(fits(scores))):
                triple = pair + diag[i] + 2 * (r[i][:, None] + r[i][None, :])
                triple0 = pair0 + diag0[i] + 2 * (r0[i][:, None] + r0[i][None, :])
                mask = np.triu(fits(sums + scores[:, i, None, None]) & (np.abs(triple) < eps) & (triple0 > eps), k=1)
                mask[i, :] = False
                mask[:, i] = False
                triples = np.argwhere(mask)
                if len(triples):
                    return found((i, *triples[0]))
        best = scores.max(axis=1)
        if depth >= 4 and count >= 4 and bool((4 * best >= bounds).any()):
            return self._four(candidates, scores, bounds, best, fits, r0)
        return None

    def _four(
        self,
        candidates: list[int],
        scores: np.ndarray,
        bounds: np.ndarray,
        best: np.ndarray,
        fits: Callable[[np.ndarray], np.ndarray],
        r0: np.ndarray,
    ) -> list[int] | None:
        """Four atoms by meeting in the middle, all pairs at once: a pair's residual vector is keyed by a fixed
        random projection, and pairs whose keys cancel are compared in full. The first pair in order (i, j) with
        an earlier partner wins, as a search pair by pair would find it."""
        count = len(candidates)
        first, second = np.triu_indices(count, k=1)
        keep = fits(scores[:, first] + scores[:, second] + 2 * best[:, None])
        first, second = first[keep], second[keep]
        if len(first) < 2:
            return None
        columns = self.residual[:, candidates]
        vectors = np.round(columns[:, first] + columns[:, second], 6) + 0.0
        keys = np.random.default_rng(0).standard_normal(vectors.shape[0]) @ vectors
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        low = np.searchsorted(ordered, -keys - 1e-6, side="left")
        high = np.searchsorted(ordered, -keys + 1e-6, side="right")
        for p in np.flatnonzero(high > low):
            partners = sorted(int(q) for q in order[low[p] : high[p]] if q < p)
            for q in partners:
                combo = (int(first[p]), int(second[p]), int(first[q]), int(second[q]))
                if len(set(combo)) < 4 or not np.allclose(vectors[:, p], -vectors[:, q], atol=1e-6):
                    continue
                if not fits(scores[:, list(combo)].sum(axis=1)).item():
                    continue
                x = np.zeros(count)
                x[list(combo)] = 1.0
                if x @ r0 @ x > 1e-8:
                    return [candidates[i] for i in combo]
        return None


_DERIVATIONS: OrderedDict[tuple[tuple[frozenset[Any], ...], tuple[frozenset[Any], ...]], _Derivation[Any]] = (
    OrderedDict()
)
_KEPT_DERIVATIONS = 32  # the latest few, each with at most _KEPT_ATOMS atoms (two projections of 0.5 MB at most)
_KEPT_ATOMS = 256
_DERIVATIONS_LOCK = threading.Lock()


def _derivation[M: Hashable](published: tuple[frozenset[M], ...], known: tuple[frozenset[M], ...]) -> _Derivation[M]:
    """The same groups give the same atoms and projections: a page checks one figure after another, most of them
    over the same groups. The latest few small ones are kept per process."""
    key = (published, known)
    with _DERIVATIONS_LOCK:
        found = _DERIVATIONS.get(key)
        if found is not None:
            _DERIVATIONS.move_to_end(key)
            return found
    derivation = _Derivation(published, known)
    if len(derivation.atoms) <= _KEPT_ATOMS:
        with _DERIVATIONS_LOCK:
            _DERIVATIONS[key] = derivation
            while len(_DERIVATIONS) > _KEPT_DERIVATIONS:
                _DERIVATIONS.popitem(last=False)
    return derivation


def derivable_small_set[M: Hashable](
    published: Collection[frozenset[M]], threshold: int, known: Collection[frozenset[M]] = (), depth: int = 4
) -> frozenset[M] | None:
    """A set of fewer than ``threshold`` members whose total a reader can work out by adding and subtracting the
    totals of the ``published`` groups (and of groups published before, ``known``) — but could not from ``known``
    alone — or None when there is none.

    Any set a reader can derive is a union of atoms (see `_Derivation`). Unions of up to ``depth`` (at most 4)
    small atoms are tried — with the default threshold of 5 that is every possible union, since each atom holds at
    least one member."""
    if not any(published) and not any(known):
        return None
    derivation = _derivation(tuple(published), tuple(known))
    return _small_set(derivation, threshold, depth)


def _small_set[M: Hashable](derivation: _Derivation[M], threshold: int, depth: int) -> frozenset[M] | None:
    atoms = derivation.atoms
    small = [i for i in sorted(range(len(atoms)), key=lambda i: len(atoms[i])) if len(atoms[i]) < threshold]
    sizes = np.array([[len(atoms[i]) for i in small]], dtype=float)
    combo = derivation.search(small, -sizes, np.array([1.0 - threshold]), depth)
    return None if combo is None else derivation.union(combo)


def derivable_dominant_set[M: Hashable, V](
    published: Collection[frozenset[M]],
    counts: Mapping[M, Mapping[V, int]],
    known: Collection[frozenset[M]] = (),
    depth: int = 4,
    share: float = DOMINANCE_SHARE,
) -> frozenset[M] | None:
    """A set of members whose answers a reader can count by adding and subtracting the figures of the
    ``published`` groups (and of ``known`` ones) — but could not from ``known`` alone — and in which one answer
    value holds at least ``share`` of the answers (the rule of `dominant_value`): or None when there is none.

    ``counts`` gives each member's answers by value (a member may stand for several answers, such as a unit's;
    a member without counts has none). The set may be of any size: a reader who works out that twelve workplaces
    all answered "yes" knows each one's answer. The sets tried are those of `derivable_small_set`, unions of up to
    ``depth`` atoms, of any size. A union of atoms none of which is dominant is not dominant either (the shares
    of its parts all fall short), so where no atom is dominant nothing is searched."""
    published = [g for g in published if g]
    if not published:
        return None
    return _dominant_set(_derivation(tuple(published), tuple(known)), counts, depth, share)


def _dominant_set[M: Hashable, V](
    derivation: _Derivation[M], counts: Mapping[M, Mapping[V, int]], depth: int, share: float
) -> frozenset[M] | None:
    atoms = derivation.atoms
    values = sorted({v for member_counts in counts.values() for v in member_counts}, key=repr)
    if not values or not atoms:
        return None
    tally = np.zeros((len(values), len(atoms)))
    position = {v: i for i, v in enumerate(values)}
    for member, member_counts in counts.items():
        atom = derivation.atom_of.get(member)
        if atom is not None:
            for value, n in member_counts.items():
                tally[position[value], atom] += n
    # count ≥ share × total in whole numbers (share = p / q), so sums of atoms are exact.
    ratio = Fraction(share).limit_denominator(1000)
    scores = ratio.denominator * tally - ratio.numerator * tally.sum(axis=0)
    answered = tally.sum(axis=0) > 0
    if not (scores[:, answered] >= 0).any():
        return None
    candidates = [a for a in range(len(atoms)) if answered[a]]
    combo = derivation.search(candidates, scores[:, candidates], np.zeros(len(values)), depth)
    return None if combo is None else derivation.union(combo)


def disclose_overlapping[K, M: Hashable, V](
    groups: Mapping[K, frozenset[M]],
    threshold: int,
    known: Collection[frozenset[M]] = (),
    counts: Mapping[M, Mapping[V, int]] | None = None,
    share: float = DOMINANCE_SHARE,
) -> frozenset[K]:
    """Which of overlapping groups (organisation kind, size band, county …) may be published together.

    Primary suppression drops groups under the threshold. Then, while some set of fewer than ``threshold``
    members can be derived from the published groups (and the ``known`` ones published before), the smallest
    group whose withdrawal makes that set underivable is withdrawn (the smallest costs least information). This
    is complementary suppression across every grouping at once, not one breakdown at a time: with four
    municipalities, three of them in one size band, "municipalities" minus "size band" is one municipality.

    With ``counts`` (each member's answers by value, see `derivable_dominant_set`) the groups are figures of
    answers, and a derivable set of any size in which one value is dominant (``share``, the rule of
    `dominant_value`) is withdrawn in the same way: "Vestland" plus "10–49 employees" minus "health care" may be
    six workplaces that all said yes. ``known`` groups are then those whose counts a reader has but whose values
    are not exact (a band) or were checked before."""
    check_threshold(threshold)
    shown = {key for key, members in groups.items() if len(members) >= threshold}
    while shown:
        derivation = _derivation(tuple(groups[k] for k in sorted(shown, key=repr)), tuple(known))
        leak = _small_set(derivation, threshold, depth=4)
        if leak is None and counts is not None:
            leak = _dominant_set(derivation, counts, depth=4, share=share)
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
