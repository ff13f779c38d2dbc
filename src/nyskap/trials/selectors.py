"""Reads of the trials registry: the overview with its filters, facet counts and full-text search, the overdue
trials, and what a detail page shows. Writes are in `services`."""

from __future__ import annotations

import datetime
import difflib
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from nyskap.core.history import field_label
from nyskap.core.search import filter_queryset
from nyskap.organisations.models import County, Organisation, OrganisationKind

from . import rules
from .models import (
    Amendment,
    Registration,
    Result,
    SandboxRound,
    Trial,
    TrialDecision,
    TrialDesign,
    TrialKind,
    TrialOutcome,
    TrialStatus,
)

# Results reported this long ago without a decision make a trial overdue.
DECISION_GRACE = datetime.timedelta(days=90)
OVERDUE_RESULTS = "results"
OVERDUE_DECISION = "decision"
WITHOUT_RESULTS = (TrialStatus.APPROVED, TrialStatus.RUNNING, TrialStatus.ENDED)

FACETS = (
    "kind",
    "status",
    "design",
    "sector",
    "area",
    "outcome",
    "decision",
    "legal_act",
    "county",
    "municipality",
    "size_band",
    "centrality",
)
# The facets read from the owning organisations (a trial counts once however many of its owners match):
# facet -> the organisation's field.
OWNER_FACETS = {
    "county": "county__number",
    "municipality": "slug",
    "size_band": "size_band",
    "centrality": "centrality_class",
}
OWN_FIELD_FACETS = ("kind", "status", "design", "sector", "area", "decision", "legal_act")
# The outcome facet is read from the results (`with_outcome`).
OUTCOME = "outcome"
OUTCOME_STATE = "outcome_state"


def with_outcome(trials: QuerySet[Trial]) -> QuerySet[Trial]:
    """The trials annotated with ``outcome_state`` (a `TrialOutcome`): results entered as data, else a summary of the
    results in words, else none yet."""
    return trials.annotate(
        **{
            OUTCOME_STATE: Case(
                When(Exists(Result.objects.filter(trial=OuterRef("pk"))), then=Value(TrialOutcome.ESTIMATED.value)),
                When(~Q(result_summary=""), then=Value(TrialOutcome.SUMMARY.value)),
                default=Value(TrialOutcome.NONE.value),
                output_field=CharField(),
            )
        }
    )


def _owner_values(facet: str, values: list[str]) -> list[str]:
    """Values fit for the owner field (the numbered ones as digits only: anything else matches nothing)."""
    if facet in ("county", "centrality"):
        return [value for value in values if value.isascii() and value.isdigit() and len(value) <= 4]
    return values


def overdue_condition(today: datetime.date) -> Q:
    """Past the (extended) end date without results, or results reported `DECISION_GRACE` ago without a decision."""
    past_end = Q(status__in=WITHOUT_RESULTS, end_by__lt=today)
    undecided = Q(
        status=TrialStatus.RESULTS_REPORTED,
        status_changed_at__lt=timezone.make_aware(datetime.datetime.combine(today - DECISION_GRACE, datetime.time())),
    )
    return past_end | undecided


def with_overdue(queryset: QuerySet[Trial], today: datetime.date | None = None) -> QuerySet[Trial]:
    """The trials annotated with ``end_by`` and ``is_overdue``."""
    day = today or timezone.localdate()
    return queryset.annotate(end_by=Coalesce("extended_to", "ends_on")).annotate(
        is_overdue=ExpressionWrapper(overdue_condition(day), output_field=BooleanField())
    )


def overdue(today: datetime.date | None = None) -> QuerySet[Trial]:
    """Every overdue trial (for the reminders), whatever its visibility."""
    day = today or timezone.localdate()
    return Trial.objects.annotate(end_by=Coalesce("extended_to", "ends_on")).filter(overdue_condition(day))


def overdue_reason(trial: Trial) -> str:
    return OVERDUE_DECISION if trial.status == TrialStatus.RESULTS_REPORTED else OVERDUE_RESULTS


@dataclass
class Overview:
    trials: QuerySet[Trial]
    counts: dict[str, dict[Any, int]]
    total: int


def filtered(user: Any, params: dict[str, list[str]], query: str = "") -> QuerySet[Trial]:
    """The trials the user may see, narrowed by the chosen facet values (OR within a facet, AND across) and the
    text query (ranked by `nyskap.core.search` when given)."""
    trials = Trial.objects.visible_to(user)
    for facet in FACETS:
        values = [v for v in params.get(facet, []) if v]
        if not values:
            continue
        if facet in OWNER_FACETS:
            owned = Trial.owners.through.objects.filter(
                **{f"organisation__{OWNER_FACETS[facet]}__in": _owner_values(facet, values)}
            )
            if facet == "municipality":
                owned = owned.filter(organisation__kind=OrganisationKind.MUNICIPALITY)
            trials = trials.filter(pk__in=owned.values("trial_id"))
        elif facet == OUTCOME:
            chosen = with_outcome(Trial.objects.all()).filter(**{f"{OUTCOME_STATE}__in": values})
            trials = trials.filter(pk__in=chosen.values("pk"))
        else:
            trials = trials.filter(**{f"{facet}__in": values})
    if params.get("overdue"):
        trials = trials.annotate(end_by=Coalesce("extended_to", "ends_on")).filter(
            overdue_condition(timezone.localdate())
        )
    if query.strip():
        try:
            return filter_queryset(trials, query)  # type: ignore[return-value]
        except EmptyResultSet:  # a filter no value can meet (``centrality=x``): nothing to search
            return trials.none()
    return trials.order_by("-updated_at", "pk")


@dataclass(frozen=True)
class FacetCounts:
    """The overview's figures for a filtered set of trials: the number of trials per value of each facet, how many
    trials there are in all, and the names of the counties and municipalities counted (facet -> value -> name)."""

    counts: dict[str, dict[Any, int]]
    total: int
    names: dict[str, dict[Any, str]]


# Facet values the page compares with its choices as numbers.
NUMERIC_FACETS = ("centrality",)


def _own_counts_sql(vendor: str, text: str) -> str:
    """The part of `overview_counts` that counts the trials (``total``) and their own facets, as rows (facet, value,
    NULL, number) over ``hits``. PostgreSQL counts them all in one pass over the trials (GROUPING SETS: a row per
    set, the other columns NULL, told apart by GROUPING); elsewhere each is a GROUP BY of its own."""
    columns = [*OWN_FIELD_FACETS, "outcome"]
    facets = [*OWN_FIELD_FACETS, OUTCOME]
    if vendor == "postgresql":
        everything = (1 << len(columns)) - 1  # GROUPING(...) sets the bit of every column not grouped by
        sets = " ".join(
            f"WHEN {everything - (1 << (len(columns) - 1 - index))} THEN '{facet}'"
            for index, facet in enumerate(facets)
        )
        listed = ", ".join(columns)
        return f"""SELECT CASE GROUPING({listed}) WHEN {everything} THEN 'total' {sets} END,
            CAST(COALESCE({listed}) AS {text}), CAST(NULL AS {text}), COUNT(*)
            FROM hits GROUP BY GROUPING SETS ((), {", ".join(f"({column})" for column in columns)})"""  # noqa: S608
    return "\nUNION ALL ".join(
        [
            f"SELECT 'total', CAST(NULL AS {text}), CAST(NULL AS {text}), COUNT(*) FROM hits",  # noqa: S608
            *(
                f"SELECT '{facet}', {column}, NULL, COUNT(*) FROM hits GROUP BY {column}"  # noqa: S608
                for column, facet in zip(columns, facets, strict=True)
            ),
        ]
    )


def facet_counts(trials: QuerySet[Trial]) -> dict[str, dict[Any, int]]:
    """The number of trials per value of each facet (`overview_counts`)."""
    return overview_counts(trials).counts


def overview_counts(trials: QuerySet[Trial]) -> FacetCounts:
    """Every facet's counts, the total and the owners' names for `trials`, in one statement: the filtered trials
    are selected once and each facet is one GROUP BY over them, rather than one statement per facet each repeating
    the filters. The own fields count a trial once per value; the owner facets count a trial once however many of
    its owners share a value (a trial has a municipality once: the owners are distinct); an empty value is no facet
    value. The owners' values are grouped by their ids, and their names joined to the few groups."""
    counts: dict[str, dict[Any, int]] = {name: {} for name in (*OWN_FIELD_FACETS, OUTCOME, *OWNER_FACETS)}
    names: dict[str, dict[Any, str]] = {"county": {}, "municipality": {}}
    connection = connections[trials.db]
    # The filtered trials' facet values, each trial once (the filters are subqueries, never joins).
    facet_values = trials.order_by().annotate(
        **{
            OUTCOME_STATE: Case(
                When(pk__in=Result.objects.values("trial_id"), then=Value(TrialOutcome.ESTIMATED.value)),
                When(~Q(result_summary=""), then=Value(TrialOutcome.SUMMARY.value)),
                default=Value(TrialOutcome.NONE.value),
                output_field=CharField(),
            )
        }
    )
    try:
        query = facet_values.values("pk", *OWN_FIELD_FACETS, OUTCOME_STATE).query
        hits_sql, params = query.get_compiler(connection=connection).as_sql()
    except EmptyResultSet:  # no search hit, or a filter no value can meet
        return FacetCounts(counts=counts, total=0, names=names)
    quote = connection.ops.quote_name
    owners = quote(Trial.owners.through._meta.db_table)
    organisation = quote(Organisation._meta.db_table)
    county = quote(County._meta.db_table)
    text = "TEXT" if connection.vendor == "sqlite" else "VARCHAR"
    own = _own_counts_sql(connection.vendor, text)
    # Table and column names come from model metadata and this module; the values are the filters' parameters.
    sql = f"""
        WITH hits(id, {", ".join(OWN_FIELD_FACETS)}, outcome) AS MATERIALIZED ({hits_sql}),
        owner_values AS MATERIALIZED (
            SELECT w.trial_id, w.organisation_id, o.county_id, o.kind, o.size_band, o.centrality_class
            FROM {owners} w JOIN {organisation} o ON o.id = w.organisation_id
            WHERE w.trial_id IN (SELECT id FROM hits)
        )
        {own}
        UNION ALL SELECT 'county', c.number, c.name, x.n FROM (
            SELECT county_id, COUNT(*) AS n FROM (
                SELECT DISTINCT trial_id, county_id FROM owner_values WHERE county_id IS NOT NULL
            ) d GROUP BY county_id
        ) x JOIN {county} c ON c.id = x.county_id
        UNION ALL SELECT 'municipality', o.slug, o.name, x.n FROM (
            SELECT organisation_id, COUNT(*) AS n FROM owner_values
            WHERE kind = '{OrganisationKind.MUNICIPALITY.value}' GROUP BY organisation_id
        ) x JOIN {organisation} o ON o.id = x.organisation_id
        UNION ALL SELECT 'size_band', size_band, NULL, COUNT(*) FROM (
            SELECT DISTINCT trial_id, size_band FROM owner_values WHERE size_band IS NOT NULL AND size_band <> ''
        ) d GROUP BY size_band
        UNION ALL SELECT 'centrality', CAST(centrality_class AS {text}), NULL, COUNT(*) FROM (
            SELECT DISTINCT trial_id, centrality_class FROM owner_values WHERE centrality_class IS NOT NULL
        ) d GROUP BY centrality_class
    """  # noqa: S608
    total = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for facet, value, name, number in rows:
        if facet == "total":
            total = int(number)
            continue
        if value is None or value == "":  # no value is no facet value
            continue
        key = int(value) if facet in NUMERIC_FACETS else value
        counts[facet][key] = int(number)
        if facet in names:
            names[facet][key] = name
    return FacetCounts(counts=counts, total=total, names=names)


def owner_names(trial_ids: list[int]) -> dict[int, list[str]]:
    """The names of each trial's owners, in name order (one query, no model instances: what a card shows)."""
    names: dict[int, list[str]] = {}
    rows = (
        Trial.owners.through.objects.filter(trial_id__in=trial_ids)
        .order_by("organisation__name", "organisation_id")
        .values_list("trial_id", "organisation__name")
    )
    for trial_id, name in rows:
        names.setdefault(trial_id, []).append(name)
    return names


@dataclass
class AmendmentView:
    amendment: Amendment
    changes: list[tuple[str, Any, Any]]


def amendments(trial: Trial) -> list[AmendmentView]:
    views = []
    for amendment in trial.amendments.all():
        fields = rules.changed_fields(amendment.before, amendment.after)
        views.append(
            AmendmentView(
                amendment,
                [(field_label(Trial, name), amendment.before.get(name), amendment.after.get(name)) for name in fields],
            )
        )
    return views


def _plan_text(name: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    if name == "design" and value in TrialDesign.values:
        return str(TrialDesign(value).label)
    return str(value)


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """The change from one text to another, word by word: ("equal" | "del" | "ins", text) pieces in reading order
    (a replaced stretch is its deletion, then its insertion)."""
    old, new = re.split(r"(\s+)", before), re.split(r"(\s+)", after)
    pieces: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("equal", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("del", "".join(old[i1:i2])))
        if j2 > j1:
            pieces.append(("ins", "".join(new[j1:j2])))
    return [piece for piece in pieces if piece[1]]


@dataclass
class FieldDiff:
    label: str
    pieces: list[tuple[str, str]]


def diff_since_registration(registered: dict[str, Any] | None, current: dict[str, Any] | None) -> list[FieldDiff]:
    """Every registered field the amendments changed, as a word diff of the plan as registered against the plan
    as it stands (empty before registration or when nothing changed)."""
    if not registered or not current:
        return []
    return [
        FieldDiff(
            str(field_label(Trial, name)),
            word_diff(_plan_text(name, registered.get(name)), _plan_text(name, current.get(name))),
        )
        for name in rules.changed_fields(registered, current)
    ]


def results_with_effects(trial: Trial) -> list[tuple[Result, Any, str]]:
    """Each stored result with its effect estimate computed now (or the reason it cannot be)."""
    from . import calculations, services

    shown: list[tuple[Result, Any, str]] = []
    for result in trial.results.all():
        try:
            shown.append((result, services.effect_of(result), ""))
        except calculations.EffectError as error:
            shown.append((result, None, services.rule_message(error.message)))
    return shown


# Statistics of the overview (the same trials as the list: what the visitor may see, with the same filters)

RANDOMISED = (TrialDesign.INDIVIDUAL_RCT, TrialDesign.CLUSTER_RCT, TrialDesign.STEPPED_WEDGE)
ENDED_STATUSES = (TrialStatus.ENDED, TrialStatus.RESULTS_REPORTED, TrialStatus.DECIDED)


@dataclass(frozen=True)
class Share:
    key: str
    count: int
    of: int

    @property
    def percent(self) -> int:
        """Whole percent (rounded half up), 0 of nothing."""
        return (200 * self.count + self.of) // (2 * self.of) if self.of else 0


@dataclass
class Statistics:
    kinds: list[str]  # the kinds with at least one trial, in TrialKind order
    by_year: list[tuple[int | None, list[int], int]]  # (start year or None, a count per kind, total)
    shares: list[Share]
    total: int


def statistics(trials: QuerySet[Trial]) -> Statistics:
    """Trials per start year by kind, and the shares pre-registered and randomised (of all), decided (of the ended)
    and made permanent (of the decided): four queries."""
    base = Trial.objects.filter(pk__in=trials.order_by().values("pk")).order_by()
    rows = base.annotate(year=ExtractYear("starts_on")).values_list("year", "kind").annotate(n=Count("pk"))
    grid: dict[int | None, Counter[str]] = {}
    for year, kind, n in rows:
        grid.setdefault(year, Counter())[kind] += n
    present = {kind for counter in grid.values() for kind in counter}
    kinds = [kind for kind in TrialKind.values if kind in present]
    years = sorted((year for year in grid if year is not None), reverse=True) + ([None] if None in grid else [])
    by_year = [(year, [grid[year][kind] for kind in kinds], sum(grid[year].values())) for year in years]
    totals = base.aggregate(
        total=Count("pk"),
        registered=Count("pk", filter=Q(registration__isnull=False)),
        randomised=Count("pk", filter=Q(design__in=RANDOMISED)),
        ended=Count("pk", filter=Q(status__in=ENDED_STATUSES)),
        decided=Count("pk", filter=Q(status__in=ENDED_STATUSES) & ~Q(decision="")),
        permanent=Count("pk", filter=Q(status__in=ENDED_STATUSES, decision=TrialDecision.PERMANENT)),
    )
    total = totals["total"]
    shares = [
        Share("preregistered", totals["registered"], total),
        Share("randomised", totals["randomised"], total),
        Share("decided", totals["decided"], totals["ended"]),
        Share("permanent", totals["permanent"], totals["decided"]),
    ]
    return Statistics(kinds=kinds, by_year=by_year, shares=shares, total=total)


# Facts for the dashboards (M8)


@dataclass(frozen=True)
class TrialFact:
    id: int
    public: bool
    kind: str
    status: str
    sector: str
    preregistered: bool  # a pre-registration was frozen before the start
    decision: str
    overdue: bool
    owners: tuple[int, ...]


@dataclass(frozen=True)
class SandboxFact:
    owner: int | None
    applications: int
    admitted: int


def trial_facts(today: datetime.date | None = None) -> list[TrialFact]:
    """Every trial that is not a draft, with its owners and whether it is overdue today (two queries)."""
    owners: dict[int, list[int]] = {}
    for trial_id, organisation_id in Trial.owners.through.objects.values_list("trial_id", "organisation_id"):
        owners.setdefault(trial_id, []).append(organisation_id)
    rows = (
        with_overdue(Trial.objects.filter(visibility__in=("public", "network", "organisation")), today)
        .annotate(registered=Exists(Registration.objects.filter(trial=OuterRef("pk"))))
        .order_by()
        .values_list("pk", "visibility", "kind", "status", "sector", "registered", "decision", "is_overdue")
    )
    return [
        TrialFact(
            id=pk,
            public=visibility == "public",
            kind=kind,
            status=status,
            sector=sector,
            preregistered=bool(registered),
            decision=decision,
            overdue=bool(is_overdue),
            owners=tuple(sorted(owners.get(pk, ()))),
        )
        for pk, visibility, kind, status, sector, registered, decision, is_overdue in rows
    ]


def sandbox_facts() -> list[SandboxFact]:
    """Applications and admissions per sandbox round (public: the sandboxes publish them)."""
    return [
        SandboxFact(owner=owner, applications=applications or 0, admitted=admitted or 0)
        for owner, applications, admitted in SandboxRound.objects.order_by().values_list(
            "sandbox__owner_id", "applications", "admitted"
        )
    ]


def vocabularies() -> dict[str, list[tuple[str, Any]]]:
    return {
        "kind": list(TrialKind.choices),
        "status": list(TrialStatus.choices),
        "decision": list(TrialDecision.choices),
    }
