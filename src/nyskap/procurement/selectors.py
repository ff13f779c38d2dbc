"""The statistics: counts of competitions by year, sector, procedure, county and buyer, each computed by the
database (one GROUP BY per table), so the pages answer as fast over 100,000 notices as over a hundred."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from nyskap.organisations.selectors import county_choices

from . import calculations
from .labels import PROCEDURE_LABELS, division_label
from .models import ImportRun, Notice, NoticeClass, NoticeKind

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


COUNTS = {
    "total": Count("pk"),
    "innovation": Count("pk", filter=Q(notice_class=NoticeClass.INNOVATION)),
    "friendly": Count("pk", filter=Q(notice_class=NoticeClass.INNOVATION_FRIENDLY)),
}


def _grouped(queryset: QuerySet[Notice], column: str, order: str) -> list[dict[str, Any]]:
    return list(queryset.values(column).annotate(**COUNTS).order_by(order))


def statistics(filters: dict[str, Any]) -> dict[str, Any]:
    queryset = competitions(filters)
    totals = queryset.aggregate(**COUNTS)
    total = Row("", "", totals["total"], totals["innovation"], totals["friendly"])
    counties = dict(county_choices())
    by_year = [
        Row(str(r["year"]), str(r["year"]), r["total"], r["innovation"], r["friendly"])
        for r in _grouped(queryset, "year", "year")
    ]
    by_sector = [
        Row(r["cpv_division"], division_label(r["cpv_division"]), r["total"], r["innovation"], r["friendly"])
        for r in _grouped(queryset, "cpv_division", "-total")
    ]
    by_procedure = [
        Row(
            r["procedure"],
            str(PROCEDURE_LABELS.get(r["procedure"], r["procedure"])),
            r["total"],
            r["innovation"],
            r["friendly"],
        )
        for r in _grouped(queryset, "procedure", "-total")
    ]
    by_county = [
        Row(r["county_number"], counties.get(r["county_number"], ""), r["total"], r["innovation"], r["friendly"])
        for r in _grouped(queryset, "county_number", "county_number")
    ]
    # The counts are annotations the type checker cannot see through **COUNTS.
    by_org: Any = (
        queryset.exclude(buyer_org_number="").values("buyer_org_number").annotate(name=Max("buyer_name"), **COUNTS)
    )
    buyers = by_org.order_by("-total", "buyer_org_number")[:TOP_BUYERS]
    by_buyer = [Row(r["buyer_org_number"], r["name"], r["total"], r["innovation"], r["friendly"]) for r in buyers]
    return {
        "total": total,
        "by_year": by_year,
        "by_sector": by_sector,
        "by_procedure": by_procedure,
        "by_county": by_county,
        "by_buyer": by_buyer,
    }


def years() -> list[int]:
    return list(competitions().values_list("year", flat=True).distinct().order_by("year"))


def has_synthetic() -> bool:
    return Notice.objects.filter(synthetic=True).exists()


def recent_imports(limit: int = 20) -> QuerySet[ImportRun]:
    return ImportRun.objects.select_related("created_by")[:limit]
