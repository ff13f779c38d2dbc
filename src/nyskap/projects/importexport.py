"""Projects in and out of spreadsheets: export of any search result as CSV, XLSX or JSON, and import of a CSV or
XLSX file of new projects.

Export streams the rows in batches (never the whole result in memory) and neutralises spreadsheet formulas: a text
cell starting with ``= + - @`` (or a tab or carriage return) gets a leading apostrophe, in CSV as in XLSX, so a
spreadsheet program shows it as text instead of running it (OWASP "CSV injection").

Import checks every row before it writes anything and reports every problem as "Row N, column X: reason" (N is the
row number in the spreadsheet, the header being row 1). Only a file without problems is written, in one
transaction, each project through `services.project_create` (and `services.project_change_phase` for a later
phase) with the importing user as the actor — the same rules as the pages.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import IO, Annotated, Any

from django.db.models import QuerySet
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.translation import gettext as _
from pydantic import ValidationInfo

from nyskap.core import tabular
from nyskap.core.spreadsheets import (
    DEFAULT_SEPARATOR,
    CellProblem,
    SpreadsheetError,
    cell_text,
    csv_lines,
    csv_text,
    json_array,
    read_table,
    xlsx_file,
)
from nyskap.core.tabular import (
    CellError,
    RowSchema,
    choice_lookup,
    header_positions,
    is_blank,
    kroner,
    row_values,
    spreadsheet_cells,
    validate_row,
)
from nyskap.core.visibility import Visibility
from nyskap.organisations.models import Organisation

from . import services
from .models import (
    Degree,
    EffectsMeasurement,
    InnovationTypeCode,
    LifeEventCode,
    Novelty,
    Phase,
    Project,
    Sector,
    SustainableDevelopmentGoalNumber,
)

BATCH_SIZE = 500
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_IMPORT_ROWS = 20000


_SLUG_MARK = "project-slug-mark"


def project_page_path(slug: str) -> str:
    """The path of a project's page (resolved once per URL prefix: lists and exports ask for thousands)."""
    return _page_path_pattern(get_script_prefix()).replace(_SLUG_MARK, slug)


@lru_cache(maxsize=16)
def _page_path_pattern(prefix: str) -> str:
    try:
        return reverse("projects:detail", kwargs={"slug": _SLUG_MARK})
    except NoReverseMatch:  # the pages may not be wired yet; the path then follows the URL scheme
        return f"{prefix}prosjekter/{_SLUG_MARK}/"


# Export

# Stable column order: changing it breaks the spreadsheets people build on the export.
EXPORT_COLUMNS = [
    "slug",
    "title",
    "owners",
    "phase",
    "visibility",
    "sector",
    "innovation_types",
    "degree",
    "novelty",
    "need_problem",
    "need_who",
    "need_today",
    "need_effect",
    "description",
    "service_area",
    "sdgs",
    "life_events",
    "effects_achieved",
    "effects_measurement",
    "lessons_learned",
    "stopped_reason",
    "start_date",
    "end_date",
    "budget",
    "source",
    "url",
    "created_at",
    "updated_at",
]


def _batches(projects: QuerySet[Project]) -> Iterator[list[Project]]:
    """The projects in their order, ``BATCH_SIZE`` at a time, each batch with its relations in four queries."""
    batch: list[Project] = []
    iterator = projects.prefetch_related("owners", "innovation_types", "sdgs", "life_events").iterator(
        chunk_size=BATCH_SIZE
    )
    for project in iterator:
        batch.append(project)
        if len(batch) == BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


RowCallback = Callable[[], None]


def export_records(
    projects: QuerySet[Project], *, base_url: str, on_row: RowCallback | None = None
) -> Iterator[dict[str, Any]]:
    """One dict per project with the JSON export's values (the API's field names and formats); ``on_row`` is
    called after each (a background export's progress)."""
    for batch in _batches(projects):
        for project in batch:
            if on_row is not None:
                on_row()
            yield {
                "slug": project.slug,
                "title": project.title,
                "owners": [{"slug": o.slug, "name": o.name} for o in project.owners.all()],
                "phase": project.phase,
                "visibility": project.visibility,
                "sector": project.sector or None,
                "innovation_types": [t.code for t in project.innovation_types.all()],
                "degree": project.degree or None,
                "novelty": project.novelty or None,
                "need_problem": project.need_problem,
                "need_who": project.need_who,
                "need_today": project.need_today,
                "need_effect": project.need_effect,
                "description": project.description,
                "service_area": project.service_area,
                "sdgs": [goal.number for goal in project.sdgs.all()],
                "life_events": [event.code for event in project.life_events.all()],
                "effects_achieved": project.effects_achieved,
                "effects_measurement": project.effects_measurement,
                "lessons_learned": project.lessons_learned,
                "stopped_reason": project.stopped_reason,
                "start_date": project.start_date,
                "end_date": project.end_date,
                "budget": project.budget,
                "source": project.source,
                "url": base_url + project_page_path(project.slug),
                "created_at": project.created_at,
                "updated_at": project.updated_at,
            }


def _flat(record: dict[str, Any]) -> list[Any]:
    """A record as spreadsheet cells: lists joined with ``; ``, owners by name, dates as ISO text."""
    return spreadsheet_cells(record, EXPORT_COLUMNS)


def export_csv(
    projects: QuerySet[Project],
    *,
    base_url: str,
    separator: str = DEFAULT_SEPARATOR,
    on_row: RowCallback | None = None,
) -> Iterator[str]:
    """CSV lines, one project at a time."""
    rows = (
        [str(cell) if isinstance(cell, Decimal) else cell for cell in _flat(record)]
        for record in export_records(projects, base_url=base_url, on_row=on_row)
    )
    return csv_lines(EXPORT_COLUMNS, rows, separator=separator)


def export_json(projects: QuerySet[Project], *, base_url: str, on_row: RowCallback | None = None) -> Iterator[str]:
    """A JSON array, one project at a time, in the API's formats (the same encoder)."""
    return json_array(export_records(projects, base_url=base_url, on_row=on_row))


def export_xlsx(projects: QuerySet[Project], *, base_url: str, on_row: RowCallback | None = None) -> IO[bytes]:
    """An XLSX workbook in a temporary file; the budget as a number."""
    budget_index = EXPORT_COLUMNS.index("budget")

    def rows() -> Iterator[list[Any]]:
        for record in export_records(projects, base_url=base_url, on_row=on_row):
            cells = _flat(record)
            if record["budget"] is not None:
                cells[budget_index] = float(record["budget"])
            yield cells

    return xlsx_file(str(_("Projects")), EXPORT_COLUMNS, rows())


# Import

REQUIRED_COLUMNS = ["title", "need_problem", "need_who", "need_today", "need_effect"]
IGNORED_COLUMNS = {"slug", "owners", "url", "created_at", "updated_at"}
TEXT_LIMITS = {"title": 200, "service_area": 200, "contact_name": 150, "contact_email": 254, "source": 300}

EXAMPLE_ROW = {
    "title": "Varm mat til hjemmeboende eldre",
    "need_problem": "Eldre som bor hjemme får middag levert kald.",
    "need_who": "Hjemmeboende eldre med vedtak om matombringing.",
    "need_today": "Kjølt mat leveres to ganger i uka.",
    "need_effect": "Varm mat hver dag og bedre ernæring.",
    "phase": "ideas",
    "visibility": "public",
    "sector": "health_care",
    "innovation_types": "service; process",
    "degree": "incremental",
    "novelty": "inspired_adapted",
    "description": "Vi prøver ut levering av varm mat fra sykehjemmets kjøkken.",
    "service_area": "Hjemmetjenester",
    "sdgs": "3",
    "life_events": "",
    "effects_achieved": "",
    "effects_measurement": "none",
    "lessons_learned": "",
    "stopped_reason": "",
    "start_date": "01.09.2025",
    "end_date": "",
    "budget": "250000",
    "contact_name": "",
    "contact_email": "",
    "source": "",
}
# The import template's columns: the example row's, in its order. The export's other columns (slug, owners, url,
# dates of the record) are ignored, so an export can be edited and imported as new projects.
IMPORT_COLUMNS = list(EXAMPLE_ROW)


def template_csv(separator: str = DEFAULT_SEPARATOR) -> str:
    return csv_text(IMPORT_COLUMNS, [[EXAMPLE_ROW[column] for column in IMPORT_COLUMNS]], separator=separator)


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Projects")[:31]
    sheet.append(IMPORT_COLUMNS)
    sheet.append([EXAMPLE_ROW[column] for column in IMPORT_COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# A problem is a `CellProblem` without a sheet: its text is "Row N, column X: reason" (the header is row 1).
ImportFileError = SpreadsheetError  # the file as a whole cannot be read (wrong type, too large, broken)


@dataclass
class ParsedRow:
    row: int
    fields: dict[str, Any]
    phase: str = Phase.NEED
    stopped_reason: str = ""


@dataclass
class ImportResult:
    created: list[Project] = field(default_factory=list)
    errors: list[CellProblem] = field(default_factory=list)


def _lookups() -> dict[str, dict[str, Any]]:
    return {
        "phase": choice_lookup(Phase.choices),
        "visibility": choice_lookup(Visibility.choices),
        "sector": choice_lookup(Sector.choices),
        "innovation_types": choice_lookup(InnovationTypeCode.choices),
        "degree": choice_lookup(Degree.choices),
        "novelty": choice_lookup(Novelty.choices),
        "sdgs": {
            **choice_lookup(SustainableDevelopmentGoalNumber.choices),
            **{str(n): n for n in SustainableDevelopmentGoalNumber.values},
        },
        "life_events": choice_lookup(LifeEventCode.choices),
        "effects_measurement": choice_lookup(EffectsMeasurement.choices),
    }


def _end_date(value: Any, info: ValidationInfo) -> datetime.date | None:
    end = tabular.date_cell(value)
    start = info.data.get("start_date")
    if start and end and end < start:
        raise CellError(_("The end date cannot be before the start date."))
    return end


def _budget(value: Any, info: ValidationInfo) -> Decimal | None:
    if not cell_text(value):
        return None
    message = _("Write the budget as a number of kroner, e.g. 250000.")
    try:
        budget = kroner(value)
    except (InvalidOperation, ValueError):
        raise CellError(message) from None
    if budget < 0:
        raise CellError(_("The budget cannot be negative."))
    if budget.as_tuple().exponent < -2 or abs(budget) >= Decimal(10) ** 12:  # type: ignore[operator]
        raise CellError(message)
    return budget


def _is_stopped(values: dict[str, Any]) -> bool:
    return values.get("phase") == Phase.STOPPED


class ProjectRow(RowSchema):
    """A data row of the import. The fields are in the order their problems are reported."""

    title: Annotated[str, tabular.text(required=True, limit=TEXT_LIMITS["title"])] = ""
    need_problem: Annotated[str, tabular.text(required=True)] = ""
    need_who: Annotated[str, tabular.text(required=True)] = ""
    need_today: Annotated[str, tabular.text(required=True)] = ""
    need_effect: Annotated[str, tabular.text(required=True)] = ""
    description: Annotated[str | None, tabular.text()] = None
    service_area: Annotated[str | None, tabular.text(limit=TEXT_LIMITS["service_area"])] = None
    effects_achieved: Annotated[str | None, tabular.text()] = None
    contact_name: Annotated[str | None, tabular.text(limit=TEXT_LIMITS["contact_name"])] = None
    contact_email: Annotated[str | None, tabular.email(limit=TEXT_LIMITS["contact_email"])] = None
    source: Annotated[str | None, tabular.text(limit=TEXT_LIMITS["source"])] = None
    visibility: Annotated[Any, tabular.choice()] = None
    sector: Annotated[Any, tabular.choice()] = None
    degree: Annotated[Any, tabular.choice()] = None
    novelty: Annotated[Any, tabular.choice()] = None
    effects_measurement: Annotated[Any, tabular.choice()] = None
    phase: Annotated[Any, tabular.choice()] = None
    innovation_types: Annotated[list[Any] | None, tabular.choices()] = None
    sdgs: Annotated[list[Any] | None, tabular.choices()] = None
    life_events: Annotated[list[Any] | None, tabular.choices()] = None
    start_date: Annotated[datetime.date | None, tabular.date()] = None
    end_date: Annotated[datetime.date | None, tabular.checked(_end_date)] = None
    budget: Annotated[Decimal | None, tabular.checked(_budget)] = None
    stopped_reason: Annotated[
        str, tabular.required_when(_is_stopped, lambda: _("Say why the project was stopped."))
    ] = ""
    lessons_learned: Annotated[
        str, tabular.required_when(_is_stopped, lambda: _("A stopped project must share what was learned."))
    ] = ""


class RowParser:
    """Checks one data row after another against `ProjectRow`, collecting every problem."""

    def __init__(self) -> None:
        self.context = {"lookups": _lookups()}
        self.errors: list[CellProblem] = []

    def header(self, cells: list[Any]) -> dict[str, int]:
        """The position of each column; problems go to ``errors`` as row 1."""
        positions, problems = header_positions(
            cells,
            IMPORT_COLUMNS,
            required=REQUIRED_COLUMNS,
            ignored=IGNORED_COLUMNS,
            unknown_message=_("Unknown column. Use the columns of the template."),
        )
        self.errors += [CellProblem("", 1, column, message) for column, message in problems]
        return positions

    def row(self, number: int, positions: dict[str, int], cells: list[Any]) -> ParsedRow | None:
        raw = row_values(positions, cells)
        if is_blank(raw):
            return None  # blank rows are skipped
        parsed, problems = validate_row(ProjectRow, number, raw, context=self.context)
        self.errors += problems
        if parsed is None:
            return None
        fields = parsed.model_dump(exclude_none=True, exclude={"phase", "stopped_reason"})
        if not fields.get("lessons_learned"):
            fields.pop("lessons_learned", None)
        return ParsedRow(
            row=number, fields=fields, phase=parsed.phase or Phase.NEED, stopped_reason=parsed.stopped_reason
        )


def count_data_rows(upload: IO[bytes], filename: str) -> int:
    """The rows below the header (blank ones too), read once before the import checks them, so its progress can
    say "rows done of rows"; the file is rewound."""
    rows = sum(1 for _cells in read_table(upload, filename))
    upload.seek(0)
    return max(0, rows - 1)


def parse_file(
    upload: IO[bytes], filename: str, *, on_row: RowCallback | None = None
) -> tuple[list[ParsedRow], list[CellProblem]]:
    """Every row checked; rows are returned only when no row has a problem. ``on_row`` is called after each row
    below the header."""
    parser = RowParser()
    rows: list[ParsedRow] = []
    columns: dict[str, int] | None = None
    count = 0
    for number, cells in enumerate(read_table(upload, filename), start=1):
        if columns is None:
            columns = parser.header(cells)
            if parser.errors:
                return [], parser.errors
            continue
        if on_row is not None:
            on_row()
        parsed = parser.row(number, columns, cells)
        if parsed is None:
            continue
        count += 1
        if count > MAX_IMPORT_ROWS:
            raise ImportFileError(_("Import at most %(limit)d projects at a time.") % {"limit": MAX_IMPORT_ROWS})
        rows.append(parsed)
    if columns is None:
        raise ImportFileError(_("The file is empty."))
    if not rows and not parser.errors:
        raise ImportFileError(_("The file has no projects below the header row."))
    return (rows if not parser.errors else []), parser.errors


def import_projects(
    *,
    upload: IO[bytes],
    filename: str,
    owner: Organisation,
    actor: Any,
    on_total: Callable[[int], None] | None = None,
    on_row: RowCallback | None = None,
) -> ImportResult:
    """Check the whole file, then create every project in one transaction — or nothing, if any row fails. With
    ``on_total`` the rows are counted first and it is told how many; ``on_row`` is called after each row checked
    (a background import's progress)."""
    services.require_editor_of(actor, owner)  # refused before the file is even read
    if on_total is not None:
        on_total(count_data_rows(upload, filename))
    rows, errors = parse_file(upload, filename, on_row=on_row)
    if errors:
        return ImportResult(errors=errors)
    bulk_rows = [
        services.BulkProjectRow(fields=row.fields, phase=row.phase, stopped_reason=row.stopped_reason) for row in rows
    ]
    try:
        created = services.projects_bulk_create(actor=actor, owner=owner, rows=bulk_rows, note=_("Imported"))
    except services.BulkProjectError as exc:
        return ImportResult(
            errors=[CellProblem("", rows[index].row, field, message) for index, field, message in exc.problems]
        )
    return ImportResult(created=created)
