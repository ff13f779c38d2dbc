"""The statistics: counts of competitions by year, sector, procedure, county and buyer, each computed by the
database (one GROUP BY per table), so the pages answer as fast over 100,000 notices as over a hundred."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, Count, F, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Coalesce

from nyskap.core import versions
from nyskap.organisations.selectors import county_choices

from . import calculations
from .labels import PROCEDURE_LABELS, division_label
from .models import BuyerTally, ImportRun, Notice, NoticeClass, NoticeKind, NoticeTally

TOP_BUYERS = 20


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    total: int
    innovation: int
    friendly: int

    @property
    def innovation_share(self) -> float | None:
        return calculations.share(self.innovation, self.total)

    @property
    def friendly_share(self) -> float | None:
        return calculations.share(self.friendly, self.total)


def competitions(filters: dict[str, Any] | None = None) -> QuerySet[Notice]:
    """The notices the statistics count: competitions (contract notices), not prior information or awards."""
    return Notice.objects.filter(kind=NoticeKind.COMPETITION, **(filters or {}))


def _counts(field: str) -> dict[str, Any]:
    """Total, procurement of innovation and innovation-friendly: sums of ``field`` (a tally's count) or, for
    ``"pk"``, counts of notices (of a column the filters' indexes carry, never null, so that an index-only scan
    answers)."""
    if field == "pk":
        return {
            "total": Count("notice_class"),
            "innovation": Count("notice_class", filter=Q(notice_class=NoticeClass.INNOVATION)),
            "friendly": Count("notice_class", filter=Q(notice_class=NoticeClass.INNOVATION_FRIENDLY)),
        }
    return {
        "total": Coalesce(Sum(field), 0),
        "innovation": Coalesce(Sum(field, filter=Q(notice_class=NoticeClass.INNOVATION)), 0),
        "friendly": Coalesce(Sum(field, filter=Q(notice_class=NoticeClass.INNOVATION_FRIENDLY)), 0),
    }


TALLY = _counts("count")


def _buyers(filters: dict[str, Any]) -> list[Row]:
    """The buyers with most competitions: from the buyer tally when only year and class are chosen, else from the
    notices themselves (a narrow choice, so an index scan)."""
    if set(filters) <= {"year", "notice_class"}:
        grouped: Any = (
            BuyerTally.objects.filter(**filters).values("buyer_org_number").annotate(name=Max("buyer_name"), **TALLY)
        )
    else:  # counted from the filters' covering indexes; the names, of the top buyers only, from their tally
        grouped = (
            competitions(filters).exclude(buyer_org_number="").values("buyer_org_number").annotate(**_counts("pk"))
        )
    rows = list(grouped.order_by("-total", "buyer_org_number")[:TOP_BUYERS])
    if rows and "name" not in rows[0]:
        names = dict(
            BuyerTally.objects.filter(buyer_org_number__in=[r["buyer_org_number"] for r in rows])
            .values("buyer_org_number")
            .annotate(name=Max("buyer_name"))
            .values_list("buyer_org_number", "name")
        )
        rows = [{**r, "name": names.get(r["buyer_org_number"], "")} for r in rows]
    return [Row(r["buyer_org_number"], r["name"], r["total"], r["innovation"], r["friendly"]) for r in rows]


DIMENSIONS = ("year", "cpv_division", "procedure", "county_number")


def _tallied(filters: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The total and the counts by year, sector, procedure and county over the tally, in one query (UNION ALL of
    one GROUP BY each): ``{"": [total], "year": [{"key": …, "total": …, …}, …], …}``."""
    tally = NoticeTally.objects.filter(**filters)
    columns = ("dimension", "key", "total", "innovation", "friendly")
    parts = [
        tally.annotate(dimension=Value(""), key=Value(""))
        .values("dimension", "key")
        .annotate(**TALLY)
        .values_list(*columns)
        .order_by()
    ]
    for dimension in DIMENSIONS:
        key = Cast(dimension, CharField()) if dimension == "year" else F(dimension)
        parts.append(
            tally.annotate(dimension=Value(dimension), key=key)
            .values("dimension", "key")
            .annotate(**TALLY)
            .values_list(*columns)
            .order_by()
        )
    found: dict[str, list[dict[str, Any]]] = {"": [], **{dimension: [] for dimension in DIMENSIONS}}
    for dimension, key, total, innovation, friendly in parts[0].union(*parts[1:], all=True):
        found[dimension].append(
            {"key": key, "total": total or 0, "innovation": innovation or 0, "friendly": friendly or 0}
        )
    return found


def _rows(found: list[dict[str, Any]], label: Any, order: str) -> list[Row]:
    rows = [Row(r["key"], label(r["key"]), r["total"], r["innovation"], r["friendly"]) for r in found]
    if order == "-total":
        return sorted(rows, key=lambda row: -row.total)
    return sorted(rows, key=lambda row: row.key)


def statistics(filters: dict[str, Any]) -> dict[str, Any]:
    """Every table of the page: the tally's in one query over a few thousand rows at national scale, and the
    buyers."""
    found = _tallied(filters)
    totals = found[""][0] if found[""] else {"total": 0, "innovation": 0, "friendly": 0}
    total = Row("", "", totals["total"], totals["innovation"], totals["friendly"])
    counties = dict(county_choices())
    return {
        "total": total,
        "by_year": _rows(found["year"], str, "year"),
        "by_sector": _rows(found["cpv_division"], division_label, "-total"),
        "by_procedure": _rows(found["procedure"], lambda key: str(PROCEDURE_LABELS.get(key, key)), "-total"),
        "by_county": _rows(found["county_number"], lambda key: counties.get(key, ""), "county_number"),
        "by_buyer": _buyers(filters),
    }


# What the filter form and the page's note need, the same until the next import (the tallies are rebuilt then)
_years_and_synthetic = versions.Memo(
    "procurement:tallies-version",
    lambda: (
        list(NoticeTally.objects.values_list("year", flat=True).distinct().order_by("year")),
        Notice.objects.filter(synthetic=True).exists(),
    ),
)


def forget_tallies() -> None:
    _years_and_synthetic.forget()


def years() -> list[int]:
    return list(_years_and_synthetic()[0])


def has_synthetic() -> bool:
    return _years_and_synthetic()[1]


def recent_imports(limit: int = 20) -> QuerySet[ImportRun]:
    return ImportRun.objects.select_related("created_by")[:limit]


# Facts for the dashboards (M8)


@dataclass(frozen=True)
class NoticeCount:
    buyer: int | None  # the registered organisation that bought, when the notice named one we know
    county_number: str
    notice_class: str
    count: int


def notice_counts() -> list[NoticeCount]:
    """Competitions counted by buyer, county and class (one GROUP BY over the notices)."""
    return [
        NoticeCount(
            buyer=row["buyer_id"], county_number=row["county_number"], notice_class=row["notice_class"], count=row["n"]
        )
        for row in competitions().values("buyer_id", "county_number", "notice_class").annotate(n=Count("pk")).order_by()
    ]


INNOVATION_CLASS = NoticeClass.INNOVATION.value
FRIENDLY_CLASS = NoticeClass.INNOVATION_FRIENDLY.value


def class_choices() -> list[tuple[str, Any]]:
    return list(NoticeClass.choices)
