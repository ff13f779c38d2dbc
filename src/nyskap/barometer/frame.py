"""Reading a round's sampling frame from CSV or XLSX, all or nothing: every bad row and cell is reported (row
numbered as in the spreadsheet, the header being row 1) and nothing is stored unless the whole file is good.

Columns (header names in English, case-insensitive): ``name``, ``sector``, ``org_type``, ``size_band``, ``county``,
``centrality``, ``organisation`` (organisation number or Nyskap slug; optional), ``email`` (the manager's;
optional), ``language`` (nb, nn or en; optional, default nb). Choices may be given by code or by label.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Annotated, Any

from django.conf import settings
from django.utils.translation import gettext as _
from pydantic import AfterValidator

from nyskap.core.spreadsheets import CellProblem, SpreadsheetError, read_table
from nyskap.core.tabular import (
    CellError,
    RowSchema,
    choice,
    choice_lookup,
    header_positions,
    is_blank,
    row_values,
    text,
    validate_row,
)
from nyskap.core.tabular import email as email_cell
from nyskap.organisations.models import Organisation, OrganisationKind

from .models import Centrality, Sector, SizeBand

MAX_ROWS = 100_000
COLUMNS = ("name", "sector", "org_type", "size_band", "county", "centrality", "organisation", "email", "language")
REQUIRED = ("name", "sector", "org_type", "size_band", "county", "centrality")


def _required(value: Any) -> Any:
    if value is None:
        raise CellError(_("This field is required."))
    return value


def _county(value: str) -> str:
    """A county as one name: inner spaces collapsed, and no "|" (it joins the breakdown values of a cell)."""
    if "|" in value:
        raise CellError(_("A county cannot contain “|”."))
    return " ".join(value.split())


class FrameRow(RowSchema):
    name: Annotated[str, text(required=True, limit=200)]
    sector: Annotated[str | None, choice(), AfterValidator(_required)]
    org_type: Annotated[str | None, choice(), AfterValidator(_required)]
    size_band: Annotated[str | None, choice(), AfterValidator(_required)]
    county: Annotated[str, text(required=True, limit=100), AfterValidator(_county)]
    centrality: Annotated[str | None, choice(), AfterValidator(_required)]
    organisation: Annotated[str | None, text(limit=220)] = None
    email: Annotated[str | None, email_cell(limit=254)] = None
    language: Annotated[str | None, choice()] = None


@dataclass(frozen=True)
class FrameEntry:
    row: int
    name: str
    sector: str
    org_type: str
    size_band: str
    county: str
    centrality: str
    organisation_id: int | None
    email: str | None
    language: str


class FrameError(Exception):
    def __init__(self, problems: Sequence[CellProblem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = list(problems)


LOOKUPS_FIELDS: dict[str, Any] = {
    "sector": Sector.choices,
    "org_type": OrganisationKind.choices,
    "size_band": SizeBand.choices,
    "centrality": Centrality.choices,
    "language": settings.LANGUAGES,
}


def read_frame(
    upload: IO[bytes],
    filename: str,
    *,
    on_total: Callable[[int], None] | None = None,
    on_row: Callable[[], None] | None = None,
) -> list[FrameEntry]:
    """The file's entries, or `FrameError` listing every problem. ``on_total`` is told the number of rows below the
    header once the file is read, and ``on_row`` is called for each of them as it is checked (a background upload's
    progress)."""
    try:
        table = list(read_table(upload, filename))
        if not table:
            raise FrameError([CellProblem("", 1, "", _("The file is empty."))])
        if on_total is not None:
            on_total(len(table) - 1)
        return parse_frame(table[0], table[1:], on_row=on_row)
    except SpreadsheetError as error:
        raise FrameError([CellProblem("", 0, "", error.message)]) from None


def parse_frame(
    header: Sequence[Any], rows: Iterable[Sequence[Any]], *, on_row: Callable[[], None] | None = None
) -> list[FrameEntry]:
    """The frame's entries, or `FrameError` listing every problem."""
    positions, header_problems = header_positions(
        header, COLUMNS, required=REQUIRED, unknown_message=_("There is no such column.")
    )
    problems = [CellProblem("", 1, column, message) for column, message in header_problems]
    if problems:
        raise FrameError(problems)
    context = {"lookups": {name: choice_lookup(choices) for name, choices in LOOKUPS_FIELDS.items()}}
    parsed: list[tuple[int, FrameRow]] = []
    for number, cells in enumerate(rows, start=2):
        if on_row is not None:
            on_row()
        if number - 1 > MAX_ROWS:
            raise FrameError([CellProblem("", number, "", _("The frame can have at most 100000 rows."))])
        values = row_values(positions, cells)
        if is_blank(values):
            continue
        for name in REQUIRED:
            values.setdefault(name, None)
        row, row_problems = validate_row(FrameRow, number, values, context=context)
        problems += row_problems
        if row is not None:
            parsed.append((number, row))
    organisations = _organisations({r.organisation for _n, r in parsed if r.organisation})
    # One spelling per county, the first in the file: the survey engine tells unit names apart without case.
    counties: dict[str, str] = {}
    for _number, row in parsed:
        row.county = counties.setdefault(row.county.casefold(), row.county)
    entries = []
    for number, row in parsed:
        organisation_id = None
        if row.organisation:
            organisation_id = organisations.get(row.organisation)
            if organisation_id is None:
                problems.append(
                    CellProblem("", number, "organisation", _("No organisation has this number or address."))
                )
                continue
        entries.append(
            FrameEntry(
                number,
                row.name,
                str(row.sector),
                str(row.org_type),
                str(row.size_band),
                row.county,
                str(row.centrality),
                organisation_id,
                row.email.lower() if row.email else None,
                str(row.language or "nb"),
            )
        )
    if problems:
        raise FrameError(sorted(problems, key=lambda p: (p.row, p.column)))
    if not entries:
        raise FrameError([CellProblem("", 2, "", _("The frame has no workplaces."))])
    return entries


def _organisations(keys: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    numbers = {k for k in keys if k.isdigit()}
    for number, pk in Organisation.objects.filter(organisation_number__in=numbers).values_list(
        "organisation_number", "pk"
    ):
        found[number] = pk
    for slug, pk in Organisation.objects.filter(slug__in=keys - numbers).values_list("slug", "pk"):
        found[slug] = pk
    return found
