"""The statistics: counts of competitions by year, sector, procedure, county and buyer, each computed by the
database (one GROUP BY per table), so the pages answer as fast over 100,000 notices as over a hundred."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

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


def _grouped(queryset: QuerySet[Any], column: str, order: str) -> list[dict[str, Any]]:
    return list(queryset.values(column).annotate(**TALLY).order_by(order))


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


def statistics(filters: dict[str, Any]) -> dict[str, Any]:
    """Every table of the page, each one GROUP BY over the tally (a few thousand rows at national scale)."""
    tally = NoticeTally.objects.filter(**filters)
    totals = tally.aggregate(**TALLY)
    total = Row("", "", totals["total"], totals["innovation"], totals["friendly"])
    counties = dict(county_choices())
    by_year = [
        Row(str(r["year"]), str(r["year"]), r["total"], r["innovation"], r["friendly"])
        for r in _grouped(tally, "year", "year")
    ]
    by_sector = [
        Row(r["cpv_division"], division_label(r["cpv_division"]), r["total"], r["innovation"], r["friendly"])
        for r in _grouped(tally, "cpv_division", "-total")
    ]
    by_procedure = [
        Row(
            r["procedure"],
            str(PROCEDURE_LABELS.get(r["procedure"], r["procedure"])),
            r["total"],
            r["innovation"],
            r["friendly"],
        )
        for r in _grouped(tally, "procedure", "-total")
    ]
    by_county = [
        Row(r["county_number"], counties.get(r["county_number"], ""), r["total"], r["innovation"], r["friendly"])
        for r in _grouped(tally, "county_number", "county_number")
    ]
    return {
        "total": total,
        "by_year": by_year,
        "by_sector": by_sector,
        "by_procedure": by_procedure,
        "by_county": by_county,
        "by_buyer": _buyers(filters),
    }


def years() -> list[int]:
    return list(NoticeTally.objects.values_list("year", flat=True).distinct().order_by("year"))


def has_synthetic() -> bool:
    return Notice.objects.filter(synthetic=True).exists()


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
