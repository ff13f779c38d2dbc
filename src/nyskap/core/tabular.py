"""Reading tables — the CSV files shipped in ``nyskap/data`` and the spreadsheets people upload — with every problem
reported where it is: file or sheet, row (numbered as in a spreadsheet: the header is row 1) and column.

- ``Problem``/``ReferenceDataError``: a problem in a shipped data file, and the error that lists them all; a load
  command reports it with ``problems_command_error``. ``read_csv_rows`` reads such a file and ``CellReader`` its
  cells, both noting problems instead of raising.
- ``header_positions``: a header row read against the known columns (unknown, repeated and missing ones refused).
- ``RowSchema`` and ``validate_row``: one data row checked against a declarative schema (a Pydantic model whose
  fields are the columns, each with a cell validator: ``text``, ``email``, ``choice``, ``choices``, ``date``,
  ``amount``); every bad cell of the row is reported, and only a row without problems gives values.
- ``choice_lookup``: a choice's codes and its labels in every language of the site, for reading a cell.
- ``spreadsheet_cells``: an export record flattened into spreadsheet cells (lists joined, dates as ISO text).

Writing the tables is `nyskap.core.spreadsheets`.
"""

from __future__ import annotations

import csv
import datetime
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.management.base import CommandError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, ValidationInfo
from pydantic_core import PydanticCustomError

from .spreadsheets import CellProblem, cell_text, parse_date

# Shipped data files


@dataclass(frozen=True)
class Problem:
    """One problem in a shipped data file (English: operators read it in a terminal or a deployment log)."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


class ReferenceDataError(Exception):
    """The reference data has problems; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


ROWS_NUMBERED = "Rows are numbered as in a spreadsheet: the header is row 1, the first data row is row 2."


def problems_command_error(what: str, problems: Sequence[object], *, rows_numbered: bool = True) -> CommandError:
    """The error a load command raises for a file with problems: how many, that nothing was written, and each
    problem on its own line. ``what`` names the data ("The reference data in /path")."""
    lines = [
        f"{what} has {len(problems)} problem(s); nothing was written.",
        *([ROWS_NUMBERED] if rows_numbered else []),
        *(f"- {problem}" for problem in problems),
    ]
    return CommandError("\n".join(lines))


# Header and choices


def read_csv_rows(
    path: Path, columns: Sequence[str], problems: list[Problem], *, file: str | None = None
) -> list[tuple[int, dict[str, str]]]:
    """The rows of a shipped CSV file as (row number, {column: text}), the header being row 1. What is wrong is
    added to ``problems`` instead of raised: a missing file, a file that is not UTF-8 or not CSV, each missing
    column, and each row with too few or too many fields (that row is left out)."""
    file = file or path.name
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [column for column in columns if column not in header]
            for column in missing:
                problems.append(Problem(file, 1, column, "column is missing from the header."))
            if missing:
                return []
            rows: list[tuple[int, dict[str, str]]] = []
            for number, values in enumerate(reader, start=2):
                if None in values or any(v is None for v in values.values()):
                    problems.append(
                        Problem(file, number, None, f"the row does not have {len(header)} comma-separated fields.")
                    )
                    continue
                rows.append((number, values))
            return rows
    except FileNotFoundError:
        problems.append(Problem(file, None, None, "file not found."))
    except UnicodeDecodeError as exc:
        problems.append(Problem(file, None, None, f"the file is not UTF-8 ({exc.reason})."))
    except csv.Error as exc:
        problems.append(Problem(file, None, None, f"the file is not valid CSV ({exc})."))
    return []


class CellReader:
    """Reads the cells of one row of a shipped file and notes problems instead of raising, so that every problem
    of every row is reported at once. Apps add readers for their own kinds of value."""

    def __init__(self, file: str, row: int, values: Mapping[str, str], problems: list[Problem]) -> None:
        self.file = file
        self.row = row
        self.values = values
        self.problems = problems

    def problem(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.file, self.row, column, message))

    def text(self, column: str, *, required: bool = True) -> str:
        value = (self.values.get(column) or "").strip()
        if required and not value:
            self.problem(column, "value is missing.")
        return value

    def digits(self, column: str, length: int) -> str:
        value = self.text(column)
        if value and not (value.isdigit() and len(value) == length):
            self.problem(column, f"“{value}” is not a {length}-digit number (keep leading zeros).")
        return value

    def integer(self, column: str, low: int, high: int) -> int:
        value = self.text(column)
        if not value:
            return 0
        if not re.fullmatch(r"\d+", value):
            self.problem(column, f"“{value}” is not a whole number.")
            return 0
        number = int(value)
        if not low <= number <= high:
            self.problem(column, f"{number} is outside the allowed range {low}–{high}.")
        return number


def normalise_key(text: str) -> str:
    """A column name or a choice as typed, for comparing: spaces collapsed, case folded."""
    return " ".join(text.split()).casefold()


def choice_lookup(choices: Iterable[tuple[Any, Any]]) -> dict[str, Any]:
    """Codes and labels (in every language of the site) → code, case-insensitively."""
    from django.conf import settings
    from django.utils import translation

    pairs = list(choices)
    lookup: dict[str, Any] = {}
    for code, _label in pairs:
        lookup[normalise_key(str(code))] = code
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, label in pairs:
                lookup.setdefault(normalise_key(str(label)), code)
    return lookup


def header_positions(
    cells: Sequence[Any],
    columns: Iterable[str],
    *,
    required: Iterable[str],
    unknown_message: str,
    ignored: Iterable[str] = (),
) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """The position of each known column in the header row, and its problems as ``(column, message)`` (row 1):
    an unknown column (``unknown_message``), a column given twice, a required column missing. Blank cells and
    ``ignored`` columns are passed over."""
    known, skipped = set(columns), set(ignored)
    positions: dict[str, int] = {}
    problems: list[tuple[str, str]] = []
    for index, cell in enumerate(cells):
        name = normalise_key(cell_text(cell))
        if not name or name in skipped:
            continue
        if name not in known:
            problems.append((name, unknown_message))
        elif name in positions:
            problems.append((name, _("The column appears twice.")))
        else:
            positions[name] = index
    problems += [(name, _("This required column is missing.")) for name in required if name not in positions]
    return positions, problems


def row_values(positions: Mapping[str, int], cells: Sequence[Any]) -> dict[str, Any]:
    """A data row's cells by column name (a short row lacks the last columns)."""
    return {name: cells[index] for name, index in positions.items() if index < len(cells)}


def is_blank(values: Mapping[str, Any]) -> bool:
    return all(cell_text(value) == "" for value in values.values())


# Declarative rows


class RowSchema(BaseModel):
    """A data row: one field per column, each with a cell validator below. A missing cell is validated as empty;
    a field given no cell validator takes the cell as it is. Validators of later fields may look at earlier
    fields' values (``info.data``) for checks across cells."""

    model_config = ConfigDict(validate_default=True, extra="ignore", arbitrary_types_allowed=True)


def CellError(message: str) -> PydanticCustomError:
    """A cell's problem, for a cell validator to raise; the message is shown as it is."""
    return PydanticCustomError("cell", message)


def validate_row[M: RowSchema](
    schema: type[M], number: int, values: Mapping[str, Any], *, sheet: str = "", context: Any = None
) -> tuple[M | None, list[CellProblem]]:
    """The row as ``schema``, or None and every problem of the row, each with its row number and column."""
    try:
        return schema.model_validate(dict(values), context=context), []
    except ValidationError as error:
        problems = []
        for item in error.errors(include_url=False):
            problems.append(CellProblem(sheet, number, str(item["loc"][0]) if item["loc"] else "", item["msg"]))
        return None, problems


def text(*, required: bool = False, limit: int | None = None) -> BeforeValidator:
    """Text: surrounding space removed; None when empty and not required."""

    def check(value: Any) -> str | None:
        content = cell_text(value)
        if required and not content:
            raise CellError(_("This field is required."))
        if limit is not None and len(content) > limit:
            raise CellError(_("Use at most %(limit)d characters.") % {"limit": limit})
        return content if content or required else None

    return BeforeValidator(check)


def email(*, limit: int) -> BeforeValidator:
    """An optional e-mail address."""

    def check(value: Any) -> str | None:
        content = cell_text(value)
        if len(content) > limit:
            raise CellError(_("Use at most %(limit)d characters.") % {"limit": limit})
        if not content:
            return None
        try:
            validate_email(content)
        except DjangoValidationError:
            raise CellError(_("Enter a valid e-mail address.")) from None
        return content

    return BeforeValidator(check)


def _lookup(info: ValidationInfo) -> dict[str, Any]:
    """The field's choices, given in the validation context (``{"lookups": {field: lookup}}``)."""
    return dict((info.context or {})["lookups"][info.field_name])


def choice() -> BeforeValidator:
    """One of the field's choices, by code or label; None when empty."""

    def check(value: Any, info: ValidationInfo) -> Any:
        content = cell_text(value)
        if not content:
            return None
        code = _lookup(info).get(normalise_key(content))
        if code is None:
            raise CellError(_("“%(value)s” is not one of the options.") % {"value": content})
        return code

    return BeforeValidator(check)


def choices() -> BeforeValidator:
    """Several of the field's choices separated by ``;``, ``,`` or line breaks; None when empty."""

    def check(value: Any, info: ValidationInfo) -> list[Any] | None:
        content = cell_text(value)
        if not content:
            return None
        lookup, codes = _lookup(info), []
        for part in re.split(r"[;,\n]", content):
            part = part.strip()
            if not part:
                continue
            code = lookup.get(normalise_key(part))
            if code is None:
                raise CellError(_("“%(value)s” is not one of the options.") % {"value": part})
            codes.append(code)
        return codes

    return BeforeValidator(check)


def date_cell(value: Any) -> datetime.date | None:
    """A date cell or ``yyyy-mm-dd``/``dd.mm.yyyy``; None when empty; ``CellError`` otherwise."""
    if cell_text(value) == "":
        return None
    try:
        return parse_date(value)
    except ValueError:
        raise CellError(_("Write the date as yyyy-mm-dd or dd.mm.yyyy.")) from None


def date() -> BeforeValidator:
    """An optional date (``date_cell``)."""
    return BeforeValidator(date_cell)


def kroner(value: Any) -> Decimal:
    """A number of kroner as written in a cell: ``250 000``, ``kr 250000,-``, ``1250,50``; InvalidOperation
    otherwise."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = Decimal(str(value))
    else:
        content = re.sub(r"[\s\u00a0]", "", cell_text(value)).removeprefix("kr").removesuffix(",-")
        if "," in content and "." not in content:
            content = content.replace(",", ".")
        number = Decimal(content)
    if not number.is_finite():
        raise InvalidOperation
    return number


def checked(check: Callable[[Any, ValidationInfo], Any]) -> BeforeValidator:
    """A cell validator of the schema's own: ``check(cell, info)`` returns the value or raises ``CellError``."""
    return BeforeValidator(check)


def required_when(condition: Callable[[dict[str, Any]], bool], message: Callable[[], str]) -> BeforeValidator:
    """Text that is required when ``condition(earlier values)`` holds; the text as it is (maybe empty)."""

    def check(value: Any, info: ValidationInfo) -> str:
        content = cell_text(value)
        if not content and condition(info.data):
            raise CellError(message())
        return content

    return BeforeValidator(check)


# Export


def spreadsheet_cells(
    record: Mapping[str, Any], columns: Iterable[str], *, decimal: Callable[[Decimal], Any] = lambda value: value
) -> list[Any]:
    """An export record as spreadsheet cells: lists joined with ``; `` (owners by name), dates as ISO text, None
    as an empty cell, decimals through ``decimal``. Neutralised by the writer (`nyskap.core.spreadsheets`)."""
    cells: list[Any] = []
    for column in columns:
        value = record[column]
        if column == "owners":
            value = "; ".join(owner["name"] for owner in value)
        elif isinstance(value, list):
            value = "; ".join(str(item) for item in value)
        elif isinstance(value, datetime.datetime):
            value = value.isoformat(timespec="seconds")
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = decimal(value)
        elif value is None:
            value = ""
        cells.append(value)
    return cells
