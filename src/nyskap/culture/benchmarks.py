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

Everything comes from one grouped pass over the answers (`scan`), so the national recomputation reads a million
responses once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, When
from django.utils import timezone

from nyskap.surveys.calculations import Moments, cronbach_alpha_from_variances, mean_interval, moments
from nyskap.surveys.disclosure import disclose_overlapping
from nyskap.surveys.models import Dimension, Item, Response, Round
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


def _closed_shared_rounds() -> Any:
    today = timezone.localdate()
    return Round.objects.filter(version__questionnaire__key=instrument.KEY, share_in_benchmarks=True).filter(
        Q(closes_on__lt=today) | Q(closed_early=True)
    )


def contributing_rounds() -> list[int]:
    """The latest closed, shared round per organisation that met its threshold (the link threshold when it took
    answers by shared link)."""
    closed = _closed_shared_rounds().annotate(
        disclosure_threshold=Case(When(link_enabled=True, then=F("link_threshold")), default=F("threshold"))
    )
    counted = closed.annotate(
        n=Subquery(
            Response.objects.filter(round=OuterRef("pk"), submitted=True)
            .values("round")
            .annotate(c=Count("pk"))
            .values("c")[:1]
        )
    ).filter(n__gte=F("disclosure_threshold"))
    latest: dict[int, tuple] = {}
    for pk, organisation_id, closes_on in counted.values_list("pk", "organisation_id", "closes_on"):
        if organisation_id not in latest or (closes_on, pk) > latest[organisation_id]:
            latest[organisation_id] = (closes_on, pk)
    return sorted(pk for _closes, pk in latest.values())


@dataclass
class DimensionScan:
    """What one pass over the answers yields for one round and dimension: respondents' scores, and for the
    respondents who answered every item, the sums behind Cronbach's alpha."""

    respondents: int
    score_sum: float
    complete: Moments  # of complete respondents' total (sum over items)
    items: list[Moments]  # per item, over complete respondents


def scan(round_ids: list[int]) -> dict[tuple[int, str], DimensionScan]:
    """One grouped query over all contributing answers (raw SQL, the same on PostgreSQL and SQLite): per respondent
    and dimension the score and the item values, then per round and dimension the sums. A million responses are
    read once and only a few numbers per organisation come back."""
    if not round_ids:
        return {}
    items = list(
        Item.objects.filter(version__rounds__pk__in=round_ids, dimension__isnull=False)
        .distinct()
        .order_by("dimension_id", "order", "pk")
        .values_list("pk", "dimension_id")
    )
    slot: dict[int, int] = {}
    per_dimension: dict[int, int] = defaultdict(int)
    for item_id, dimension_id in items:
        slot[item_id] = per_dimension[dimension_id]
        per_dimension[dimension_id] += 1
    slots = max(per_dimension.values(), default=0)
    slot_columns = ", ".join(
        f"SUM(CASE WHEN a.item_id IN ({', '.join(str(i) for i, j in slot.items() if j == n) or 'NULL'}) "
        f"THEN a.value END) AS v{n}"
        for n in range(slots)
    )
    slot_sums = ", ".join(
        f"SUM(CASE WHEN s.k = s.m THEN s.v{n} ELSE 0 END), SUM(CASE WHEN s.k = s.m THEN s.v{n} * s.v{n} ELSE 0 END)"
        for n in range(slots)
    )
    placeholders = ", ".join(["%s"] * len(round_ids))
    # Only integers from the database and fixed SQL are formatted in; the round ids are parameters.
    sql = f"""
        SELECT s.round_id, s.dimension_id, MAX(s.m), COUNT(*), SUM(s.score),
               SUM(CASE WHEN s.k = s.m THEN 1 ELSE 0 END),
               SUM(CASE WHEN s.k = s.m THEN s.total ELSE 0 END),
               SUM(CASE WHEN s.k = s.m THEN s.total * s.total ELSE 0 END)
               {", " + slot_sums if slot_sums else ""}
        FROM (
            SELECT r.round_id AS round_id, i.dimension_id AS dimension_id, a.response_id AS response_id,
                   AVG(a.value) AS score, COUNT(*) AS k, SUM(a.value) AS total, MAX(ic.m) AS m
                   {", " + slot_columns if slot_columns else ""}
            FROM surveys_answer a
            JOIN surveys_response r ON r.id = a.response_id
            JOIN surveys_item i ON i.id = a.item_id
            JOIN (SELECT dimension_id, COUNT(*) AS m FROM surveys_item WHERE dimension_id IS NOT NULL
                  GROUP BY dimension_id) ic ON ic.dimension_id = i.dimension_id
            WHERE r.round_id IN ({placeholders}) AND r.submitted AND NOT a.dont_know AND a.value IS NOT NULL
            GROUP BY r.round_id, i.dimension_id, a.response_id
        ) s
        GROUP BY s.round_id, s.dimension_id
    """  # noqa: S608
    keys = dict(Dimension.objects.filter(pk__in=per_dimension).values_list("pk", "key"))
    result: dict[tuple[int, str], DimensionScan] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, round_ids)
        for row in cursor.fetchall():
            round_id, dimension_id, m, respondents, score_sum, complete_n, total, total_sq = row[:8]
            rest = [float(v or 0) for v in row[8:]]
            item_moments = [Moments(int(complete_n), rest[2 * n], rest[2 * n + 1]) for n in range(int(m))]
            result[(round_id, keys[dimension_id])] = DimensionScan(
                respondents=int(respondents),
                score_sum=float(score_sum),
                complete=Moments(int(complete_n), float(total or 0), float(total_sq or 0)),
                items=item_moments,
            )
    return result


def organisation_figures(round_ids: list[int], scanned: dict[tuple[int, str], DimensionScan]) -> list[OrgFigure]:
    """Each contributing organisation's dimension means (mean of its respondents' scores)."""
    rounds = Round.objects.filter(pk__in=round_ids).values_list(
        "pk", "organisation_id", "organisation__kind", "organisation__size_band", "organisation__county__number"
    )
    respondents = dict(
        Response.objects.filter(round_id__in=round_ids, submitted=True)
        .values("round_id")
        .annotate(n=Count("pk"))
        .values_list("round_id", "n")
    )
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
    scanned = scan(round_ids)
    figures = organisation_figures(round_ids, scanned)
    groups = _groups(figures)
    minimum = min_organisations()
    still_shared = frozenset(_closed_shared_rounds().values_list("pk", flat=True))
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
