"""The statistics: counts of competitions by year, sector, procedure, county and buyer, each computed by the
database (one GROUP BY per table), so the pages answer as fast over 100,000 notices as over a hundred."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet

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


# The filters the page offers, by the tally's (and the notices') column: the only names the statements below are
# built from; every value goes in as a parameter.
FILTER_COLUMNS = ("year", "cpv_division", "procedure", "county_number", "notice_class")
DIMENSIONS = ("year", "cpv_division", "procedure", "county_number")


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _where(filters: dict[str, Any]) -> tuple[str, list[Any]]:
    unknown = set(filters) - set(FILTER_COLUMNS)
    if unknown:
        raise ValueError(f"not a statistics filter: {sorted(unknown)}")
    clauses = [f"{_q(column)} = %s" for column in FILTER_COLUMNS if column in filters]
    return " AND ".join(clauses) or "1 = 1", [filters[column] for column in FILTER_COLUMNS if column in filters]


def _class_sums(count: str) -> str:
    """Total, procurement of innovation and innovation-friendly, as sums of ``count`` (a tally's column, or 1 for a
    notice) — the class names are the enum's values, never user input."""
    return (
        f"SUM({count}), SUM(CASE WHEN notice_class = '{NoticeClass.INNOVATION.value}' THEN {count} ELSE 0 END), "
        f"SUM(CASE WHEN notice_class = '{NoticeClass.INNOVATION_FRIENDLY.value}' THEN {count} ELSE 0 END)"
    )


def _select(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _buyers(filters: dict[str, Any]) -> list[Row]:
    """The buyers with most competitions: from the buyer tally when only year and class are chosen, else from the
    notices themselves (on PostgreSQL an index-only scan of the filter's covering index). One statement each, written
    out: the ORM's compilation of it cost more than the database's work on a page answered uncached."""
    where, params = _where(filters)
    tally = _q(BuyerTally._meta.db_table)
    from_tally = set(filters) <= {"year", "notice_class"}
    if from_tally:
        table, count, name = tally, _q("count"), "MAX(buyer_name)"
    else:
        table, count, name = _q(Notice._meta.db_table), "1", "''"
        where += " AND kind = %s AND buyer_org_number <> ''"
        params.append(NoticeKind.COMPETITION.value)
    rows = _select(
        f"SELECT buyer_org_number, {name}, {_class_sums(count)} FROM {table} WHERE {where} "  # noqa: S608
        f"GROUP BY buyer_org_number ORDER BY 3 DESC, buyer_org_number LIMIT {TOP_BUYERS}",
        params,
    )
    if rows and not from_tally:  # the names, of the top buyers only, from their tally
        numbers = [row[0] for row in rows]
        names = dict(
            _select(
                f"SELECT buyer_org_number, MAX(buyer_name) FROM {tally} "  # noqa: S608
                f"WHERE buyer_org_number IN ({', '.join(['%s'] * len(numbers))}) GROUP BY buyer_org_number",
                numbers,
            )
        )
        rows = [(row[0], names.get(row[0], ""), *row[2:]) for row in rows]
    return [
        Row(number, name or "", total or 0, innovation or 0, friendly or 0)
        for number, name, total, innovation, friendly in rows
    ]


def _tallied(filters: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The total and the counts by year, sector, procedure and county over the tally, in one statement:
    ``{"": [total], "year": [{"key": …, "total": …, …}, …], …}``. On PostgreSQL one pass with GROUPING SETS (a
    quarter of the time of five scans at national scale); elsewhere UNION ALL of one GROUP BY each."""
    where, params = _where(filters)
    table, sums = _q(NoticeTally._meta.db_table), _class_sums(_q("count"))
    columns = [_q(dimension) for dimension in DIMENSIONS]
    keys = [
        f"CAST({column} AS TEXT)" if dimension == "year" else column
        for dimension, column in zip(DIMENSIONS, columns, strict=True)
    ]
    found: dict[str, list[dict[str, Any]]] = {"": [], **{dimension: [] for dimension in DIMENSIONS}}
    if connection.vendor == "postgresql":
        # GROUPING(…) is a bit mask of the columns left out of a row's set: all four for the total, three for a row of
        # one dimension (its own bit clear)
        every = (1 << len(DIMENSIONS)) - 1
        dimension_of = {every: -1} | {every ^ (1 << (len(DIMENSIONS) - 1 - i)): i for i in range(len(DIMENSIONS))}
        sql = (
            f"SELECT GROUPING({', '.join(columns)}), {', '.join(keys)}, {sums} FROM {table} WHERE {where} "  # noqa: S608
            f"GROUP BY GROUPING SETS ((), {', '.join(f'({column})' for column in columns)})"
        )
        for mask, *values in _select(sql, params):
            index = dimension_of[mask]
            total, innovation, friendly = values[len(DIMENSIONS) :]
            found[DIMENSIONS[index] if index >= 0 else ""].append(
                {
                    "key": values[index] if index >= 0 else "",
                    "total": total or 0,
                    "innovation": innovation or 0,
                    "friendly": friendly or 0,
                }
            )
        return found
    parts = [f"SELECT '', '', {sums} FROM {table} WHERE {where}"]  # noqa: S608 — names ours, values parameters
    for dimension, column, key in zip(DIMENSIONS, columns, keys, strict=True):
        parts.append(f"SELECT '{dimension}', {key}, {sums} FROM {table} WHERE {where} GROUP BY {column}")  # noqa: S608
    for dimension, key, total, innovation, friendly in _select(" UNION ALL ".join(parts), params * len(parts)):
        found[dimension].append(
            {"key": key, "total": total or 0, "innovation": innovation or 0, "friendly": friendly or 0}
        )
    return found


def _rows(found: list[dict[str, Any]], label: Any, order: str) -> list[Row]:
    rows = [Row(r["key"], label(r["key"]), r["total"], r["innovation"], r["friendly"]) for r in found]
    if order == "-total":
        return sorted(rows, key=lambda row: (-row.total, row.key))  # ties by code: the same order on every database
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
