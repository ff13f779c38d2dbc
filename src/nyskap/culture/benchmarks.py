"""The national picture: recomputed by a task from each organisation's latest closed round of the culture
questionnaire, where the round allows comparison and met its own anonymity threshold. A round used here is frozen
(`Round.in_comparisons`): it can never be reopened or take late answers, which would change a published figure.

Weighting: every organisation counts once — a group's figure is the mean of its organisations' means, with a t
interval over organisations — so a large organisation does not drown the small ones.

Public figures must not be differenced (ADR 0006):

- A group needs at least ``CULTURE_MIN_ORGANISATIONS`` organisations (setting, default 5).
- The groups overlap (kind, kind and size band, size band, county), so they are checked together: no set of fewer
  organisations than that may be derivable by adding and subtracting the published groups — nor any group ever
  published before, which a reader may have kept (`PublishedMembership`,
  `nyskap.surveys.disclosure.disclose_overlapping`).
- A figure is republished only when at least that many of its organisations' rounds changed (added, removed or
  replaced); otherwise the published figure stays as it was, so one round added cannot be isolated over time.
- Means and interval ends are rounded to 0.1, counts of organisations and respondents to 5.

Cronbach's alpha per dimension is computed over all contributing respondents who answered every item of the
dimension (no "don't know"), from item variances and the variance of the sum, pooled from per-round sums.

Everything comes from one grouped pass over the answers (`nyskap.surveys.selectors.dimension_scan`), so the national
recomputation reads a million responses once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from nyskap.surveys import selectors
from nyskap.surveys.calculations import Moments, cronbach_alpha_from_variances, mean_interval, moments
from nyskap.surveys.disclosure import disclose_overlapping
from nyskap.surveys.selectors import DimensionScan
from nyskap.surveys.services import rounds_freeze_for_comparisons

from . import instrument
from .calculations import rounded_count, rounded_figure
from .models import Benchmark, PublishedMembership, Scope

DEFAULT_MIN_ORGANISATIONS = 5


def min_organisations() -> int:
    """Organisations a published group needs (setting ``CULTURE_MIN_ORGANISATIONS``, never below 3)."""
    return max(3, int(getattr(settings, "CULTURE_MIN_ORGANISATIONS", DEFAULT_MIN_ORGANISATIONS)))


@dataclass(frozen=True)
class OrgFigure:
    round_id: int
    organisation_id: int
    kind: str
    size_band: str
    county: str
    respondents: int
    means: dict[str, float]


def contributing_rounds() -> list[int]:
    """The latest closed, shared round of the culture questionnaire per organisation that met its threshold (the
    link threshold when it took answers by shared link)."""
    return selectors.latest_disclosed_shared_rounds(instrument.KEY)


def organisation_figures(round_ids: list[int], scanned: dict[tuple[int, str], DimensionScan]) -> list[OrgFigure]:
    """Each contributing organisation's dimension means (mean of its respondents' scores)."""
    rounds = selectors.round_organisation_profiles(round_ids)
    respondents = selectors.submitted_counts(round_ids)
    means: dict[int, dict[str, float]] = defaultdict(dict)
    for (round_id, dimension), figures in scanned.items():
        if figures.respondents:
            means[round_id][dimension] = figures.score_sum / figures.respondents
    return [
        OrgFigure(pk, org, kind, size, county or "", respondents.get(pk, 0), means[pk])
        for pk, org, kind, size, county in rounds
    ]


def cronbach_alpha_for(scanned: dict[tuple[int, str], DimensionScan], dimension: str) -> float | None:
    """Alpha over every complete respondent of every contributing round, from the pooled sums."""
    parts = [figures for (_round, key), figures in scanned.items() if key == dimension]
    if not parts:
        return None
    total = sum((p.complete for p in parts), Moments(0, 0.0, 0.0))
    width = min(len(p.items) for p in parts)
    items = [sum((p.items[n] for p in parts), Moments(0, 0.0, 0.0)) for n in range(width)]
    if total.variance is None or any(m.variance is None for m in items):
        return None
    return cronbach_alpha_from_variances([m.variance or 0.0 for m in items], total.variance)


def _groups(figures: Iterable[OrgFigure]) -> dict[tuple[str, str], list[OrgFigure]]:
    groups: dict[tuple[str, str], list[OrgFigure]] = defaultdict(list)
    for figure in figures:
        groups[(Scope.NATIONAL.value, "")].append(figure)
        groups[(Scope.KIND.value, figure.kind)].append(figure)
        if figure.size_band:
            groups[(Scope.KIND_SIZE.value, f"{figure.kind}:{figure.size_band}")].append(figure)
            groups[(Scope.SIZE.value, figure.size_band)].append(figure)
        if figure.county:
            groups[(Scope.COUNTY.value, figure.county)].append(figure)
    return groups


def _members(groups: dict[tuple[str, str], list[OrgFigure]], dimension: str) -> dict[tuple[str, str], frozenset]:
    return {
        key: frozenset(f.round_id for f in members if dimension in f.means)
        for key, members in groups.items()
        if any(dimension in f.means for f in members)
    }


@dataclass(frozen=True)
class Plan:
    """For one dimension: the groups whose stored figure stays as it is, and those computed afresh."""

    keep: set[tuple[str, str]]
    fresh: set[tuple[str, str]]


def plan(
    new: dict[tuple[str, str], frozenset],
    previous: dict[tuple[str, str], frozenset],
    still_shared: frozenset,
    minimum: int,
    history: list[frozenset] | None = None,
) -> Plan:
    """Decide, for one dimension, which groups to publish and from what. A group whose rounds changed by fewer than
    ``minimum`` keeps its previous figure (if every round in it still allows comparison; otherwise it is dropped,
    not kept); the rest get fresh figures. The whole set, with the previously published groups as what a reader
    already knows (with ``history``, every group ever published), then goes through complementary suppression
    across the overlapping groups."""
    candidates: dict[tuple[str, str], frozenset] = {}
    kept: set[tuple[str, str]] = set()
    for key, members in new.items():
        before = previous.get(key)
        if before is not None and len(before ^ members) < minimum:
            if before <= still_shared:
                candidates[key] = before
                kept.add(key)
            continue
        candidates[key] = members
    known = {*previous.values(), *(history or [])}
    shown = disclose_overlapping(candidates, minimum, known=list(known))
    return Plan(keep={k for k in shown if k in kept}, fresh={k for k in shown if k not in kept})


@transaction.atomic
def recompute() -> int:
    """Replace the comparison figures by the rules above. The number of figures stored."""
    round_ids = contributing_rounds()
    scanned = selectors.dimension_scan(round_ids)
    figures = organisation_figures(round_ids, scanned)
    groups = _groups(figures)
    minimum = min_organisations()
    still_shared = frozenset(selectors.closed_shared_rounds(instrument.KEY))
    previous_rows = {(b.scope, b.key, b.dimension): b for b in Benchmark.objects.select_for_update()}
    history: dict[str, set[frozenset]] = defaultdict(set)
    for dimension_key, members in PublishedMembership.objects.values_list("dimension", "rounds"):
        history[dimension_key].add(frozenset(members))
    now = timezone.now()
    rows = []
    used: set[int] = set()
    for spec in instrument.DIMENSIONS:
        dimension = spec["key"]
        alpha = cronbach_alpha_for(scanned, dimension)
        previous = {
            (scope, key): frozenset(row.rounds) for (scope, key, dim), row in previous_rows.items() if dim == dimension
        }
        decided = plan(_members(groups, dimension), previous, still_shared, minimum, list(history[dimension]))
        for scope_key in decided.keep:
            old = previous_rows[(*scope_key, dimension)]
            old.pk = None
            rows.append(old)
            used |= set(old.rounds)
        for scope_key in decided.fresh:
            members = [f for f in groups[scope_key] if dimension in f.means]
            interval = mean_interval(moments(f.means[dimension] for f in members), bounds=(1.0, 5.0))
            if interval is None:
                continue
            used |= {f.round_id for f in members}
            rows.append(
                Benchmark(
                    scope=scope_key[0],
                    key=scope_key[1],
                    dimension=dimension,
                    organisations=rounded_count(len(members)),
                    respondents=rounded_count(sum(f.respondents for f in members)),
                    mean=rounded_figure(interval.estimate),
                    low=rounded_figure(interval.low),
                    high=rounded_figure(interval.high),
                    alpha=rounded_figure(alpha, 2) if scope_key[0] == Scope.NATIONAL else None,
                    computed_at=now,
                    rounds=sorted(f.round_id for f in members),
                )
            )
    # The rounds behind a published figure are frozen in the same transaction: none can be reopened after.
    rounds_freeze_for_comparisons(round_ids=sorted(used))
    Benchmark.objects.all().delete()
    Benchmark.objects.bulk_create(rows)
    new_memberships = {(row.dimension, frozenset(row.rounds)) for row in rows} - {
        (dimension, members) for dimension, seen in history.items() for members in seen
    }
    PublishedMembership.objects.bulk_create(
        PublishedMembership(dimension=dimension, rounds=sorted(members), published_at=now)
        for dimension, members in sorted(new_memberships, key=lambda item: (item[0], sorted(item[1])))
    )
    return len(rows)
