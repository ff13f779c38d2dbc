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

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import QuerySet
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from nyskap.core.spreadsheets import (
    DEFAULT_SEPARATOR,
    cell_text,
    csv_lines,
    csv_text,
    json_array,
    parse_date,
    xlsx_file,
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
    cells: list[Any] = []
    for column in EXPORT_COLUMNS:
        value = record[column]
        if column == "owners":
            value = "; ".join(owner["name"] for owner in value)
        elif isinstance(value, list):
            value = "; ".join(str(item) for item in value)
        elif isinstance(value, datetime.datetime):
            value = value.isoformat(timespec="seconds")
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        elif value is None:
            value = ""
        cells.append(value)  # neutralised by the writer (nyskap.core.spreadsheets)
    return cells


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

# The import template's columns; the export's other columns (slug, owners, url, dates of the record) are ignored,
# so an export can be edited and imported as new projects.
IMPORT_COLUMNS = [
    "title",
    "need_problem",
    "need_who",
    "need_today",
    "need_effect",
    "phase",
    "visibility",
    "sector",
    "innovation_types",
    "degree",
    "novelty",
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
    "contact_name",
    "contact_email",
    "source",
]
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


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.column:
            return _("Row %(row)d: %(reason)s") % {"row": self.row, "reason": self.message}
        return _("Row %(row)d, column %(column)s: %(reason)s") % {
            "row": self.row,
            "column": self.column,
            "reason": self.message,
        }


@dataclass
class ParsedRow:
    row: int
    fields: dict[str, Any]
    phase: str = Phase.NEED
    stopped_reason: str = ""


@dataclass
class ImportResult:
    created: list[Project] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, too large, broken)."""


def _normalise_key(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().casefold())


def _choice_lookup(choices: Iterable[tuple[Any, Any]]) -> dict[str, Any]:
    """Codes and labels (in every language of the site) → code, case-insensitively."""
    from django.conf import settings

    pairs = list(choices)
    lookup: dict[str, Any] = {}
    for code, _label in pairs:
        lookup[_normalise_key(str(code))] = code
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, label in pairs:
                lookup.setdefault(_normalise_key(str(label)), code)
    return lookup


def _lookups() -> dict[str, dict[str, Any]]:
    return {
        "phase": _choice_lookup(Phase.choices),
        "visibility": _choice_lookup(Visibility.choices),
        "sector": _choice_lookup(Sector.choices),
        "innovation_types": _choice_lookup(InnovationTypeCode.choices),
        "degree": _choice_lookup(Degree.choices),
        "novelty": _choice_lookup(Novelty.choices),
        "sdgs": {
            **_choice_lookup(SustainableDevelopmentGoalNumber.choices),
            **{str(n): n for n in SustainableDevelopmentGoalNumber.values},
        },
        "life_events": _choice_lookup(LifeEventCode.choices),
        "effects_measurement": _choice_lookup(EffectsMeasurement.choices),
    }


_cell_text = cell_text
_parse_date = parse_date


def _parse_budget(value: Any) -> Decimal:
    if isinstance(value, int | float) and not isinstance(value, bool):
        amount = Decimal(str(value))
    else:
        text = re.sub(r"[\s\u00a0]", "", _cell_text(value)).removeprefix("kr").removesuffix(",-")
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        amount = Decimal(text)
    if not amount.is_finite():
        raise InvalidOperation
    return amount


class RowParser:
    """Checks one data row after another, collecting every problem."""

    def __init__(self) -> None:
        self.lookups = _lookups()
        self.errors: list[RowError] = []

    def header(self, cells: list[Any]) -> list[str | None]:
        """The column name of each position (None for ignored columns); problems go to ``errors`` as row 1."""
        names: list[str | None] = []
        seen: set[str] = set()
        for cell in cells:
            name = _normalise_key(_cell_text(cell))
            if not name or name in IGNORED_COLUMNS:
                names.append(None)
                continue
            if name not in IMPORT_COLUMNS:
                self.errors.append(RowError(1, name, _("Unknown column. Use the columns of the template.")))
                names.append(None)
                continue
            if name in seen:
                self.errors.append(RowError(1, name, _("The column appears twice.")))
                names.append(None)
                continue
            seen.add(name)
            names.append(name)
        for required in REQUIRED_COLUMNS:
            if required not in seen:
                self.errors.append(RowError(1, required, _("This required column is missing.")))
        return names

    def row(self, number: int, columns: list[str | None], cells: list[Any]) -> ParsedRow | None:
        raw = {name: cells[index] for index, name in enumerate(columns) if name and index < len(cells)}
        if all(_cell_text(value) == "" for value in raw.values()):
            return None  # blank rows are skipped
        before = len(self.errors)

        def error(column: str, message: str) -> None:
            self.errors.append(RowError(number, column, message))

        fields: dict[str, Any] = {}
        for name in ("title", "need_problem", "need_who", "need_today", "need_effect"):
            text = _cell_text(raw.get(name))
            if not text:
                error(name, _("This field is required."))
            fields[name] = text
        for name in (
            "description",
            "service_area",
            "effects_achieved",
            "lessons_learned",
            "contact_name",
            "contact_email",
            "source",
        ):
            text = _cell_text(raw.get(name))
            if text:
                fields[name] = text
        for name, limit in TEXT_LIMITS.items():
            if len(fields.get(name, "")) > limit:
                error(name, _("Use at most %(limit)d characters.") % {"limit": limit})
        if fields.get("contact_email"):
            try:
                validate_email(fields["contact_email"])
            except ValidationError:
                error("contact_email", _("Enter a valid e-mail address."))

        for name in ("visibility", "sector", "degree", "novelty", "effects_measurement", "phase"):
            text = _cell_text(raw.get(name))
            if not text:
                continue
            code = self.lookups[name].get(_normalise_key(text))
            if code is None:
                error(name, _("“%(value)s” is not one of the options.") % {"value": text})
            else:
                fields[name] = code
        for name in ("innovation_types", "sdgs", "life_events"):
            text = _cell_text(raw.get(name))
            if not text:
                continue
            codes = []
            for part in re.split(r"[;,\n]", text):
                part = part.strip()
                if not part:
                    continue
                code = self.lookups[name].get(_normalise_key(part))
                if code is None:
                    error(name, _("“%(value)s” is not one of the options.") % {"value": part})
                else:
                    codes.append(code)
            fields[name] = codes
        for name in ("start_date", "end_date"):
            value = raw.get(name)
            if _cell_text(value) == "":
                continue
            try:
                fields[name] = _parse_date(value)
            except ValueError:
                error(name, _("Write the date as yyyy-mm-dd or dd.mm.yyyy."))
        if fields.get("start_date") and fields.get("end_date") and fields["end_date"] < fields["start_date"]:
            error("end_date", _("The end date cannot be before the start date."))
        if _cell_text(raw.get("budget")):
            try:
                budget = _parse_budget(raw.get("budget"))
            except (InvalidOperation, ValueError):
                error("budget", _("Write the budget as a number of kroner, e.g. 250000."))
            else:
                if budget < 0:
                    error("budget", _("The budget cannot be negative."))
                elif budget.as_tuple().exponent < -2 or abs(budget) >= Decimal(10) ** 12:  # type: ignore[operator]
                    error("budget", _("Write the budget as a number of kroner, e.g. 250000."))
                else:
                    fields["budget"] = budget

        phase = fields.pop("phase", Phase.NEED)
        stopped_reason = _cell_text(raw.get("stopped_reason"))
        if phase == Phase.STOPPED:
            if not stopped_reason:
                error("stopped_reason", _("Say why the project was stopped."))
            if not fields.get("lessons_learned"):
                error("lessons_learned", _("A stopped project must share what was learned."))
        if len(self.errors) > before:
            return None
        return ParsedRow(row=number, fields=fields, phase=phase, stopped_reason=stopped_reason)


def _csv_rows(upload: IO[bytes]) -> Iterator[list[Any]]:
    text = io.TextIOWrapper(upload, encoding="utf-8-sig", newline="")
    try:
        sample = text.read(4096)
        text.seek(0)
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        yield from csv.reader(text, dialect)
    except UnicodeDecodeError as exc:
        raise ImportFileError(_("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")) from exc
    except csv.Error as exc:
        raise ImportFileError(_("The CSV file could not be read.")) from exc
    finally:
        text.detach()


def _xlsx_rows(upload: IO[bytes]) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ImportFileError(_("The Excel file could not be read. Save it as .xlsx and try again.")) from exc
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def read_rows(upload: IO[bytes], filename: str) -> Iterator[list[Any]]:
    name = filename.lower()
    if name.endswith(".csv"):
        return _csv_rows(upload)
    if name.endswith(".xlsx"):
        return _xlsx_rows(upload)
    raise ImportFileError(_("Upload a .csv or .xlsx file."))


def count_data_rows(upload: IO[bytes], filename: str) -> int:
    """The rows below the header (blank ones too), read once before the import checks them, so its progress can
    say "rows done of rows"; the file is rewound."""
    rows = sum(1 for _cells in read_rows(upload, filename))
    upload.seek(0)
    return max(0, rows - 1)


def parse_file(
    upload: IO[bytes], filename: str, *, on_row: RowCallback | None = None
) -> tuple[list[ParsedRow], list[RowError]]:
    """Every row checked; rows are returned only when no row has a problem. ``on_row`` is called after each row
    below the header."""
    parser = RowParser()
    rows: list[ParsedRow] = []
    columns: list[str | None] | None = None
    count = 0
    for number, cells in enumerate(read_rows(upload, filename), start=1):
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
            errors=[RowError(rows[index].row, field, message) for index, field, message in exc.problems]
        )
    return ImportResult(created=created)
