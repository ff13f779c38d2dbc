"""Writing tables for people to open in a spreadsheet: CSV, XLSX and a JSON array, streamed row by row, with text
that a spreadsheet would run as a formula neutralised. Every export in Nyskap goes through here.

CSV is written the way Excel with Norwegian regional settings opens a double-clicked file: UTF-8 with a byte-order
mark, `;` between fields (`,` on request: `?sep=comma`), every field quoted. Because a file may still be opened with
the other separator, every `;`- or `,`-separated segment of a text that begins like a formula is neutralised too.
XLSX cannot hold most control characters: stored text holding one (legacy rows, from before input refused them) is
written with OOXML's own escape (`_x0001_`), so an export never fails on what is stored. A cell holds at most
32,767 characters in Excel: a longer text is cut there and ends with a note that says so, never cut in
silence."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these is read as a formula by Excel and LibreOffice (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 (and so XLSX and SVG) cannot hold: openpyxl refuses the control characters with
# IllegalCharacterError, and writes the two non-characters into a file Excel cannot open.
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
CSV_SEGMENT = re.compile(r"([;,])")
SEPARATORS = {"semicolon": ";", "comma": ","}
DEFAULT_SEPARATOR = ";"


def _xml_escape(match: re.Match[str]) -> str:
    return f"_x{ord(match.group(0)):04X}_"


# The most characters an Excel cell holds (Excel's specifications and limits); a longer text is cut to fit with a note.
XLSX_CELL_LENGTH = 32_767


def _cut_note(length: int) -> str:
    numbers = {name: f"{n:,}".replace(",", "\u00a0") for name, n in (("most", XLSX_CELL_LENGTH), ("length", length))}
    return (
        " "
        + _(
            "[Cut here: a spreadsheet cell holds at most %(most)s characters and this text has %(length)s. "
            "The whole text is in Nyskap.]"
        )
        % numbers
    )


def neutralise(value: Any) -> Any:
    """A cell for XLSX: text that a spreadsheet would read as a formula gets a leading apostrophe, characters XML
    cannot hold are escaped the OOXML way, and a text longer than a cell holds is cut with a note saying so; other
    values are unchanged."""
    if isinstance(value, str):
        if value.startswith(FORMULA_PREFIXES):
            value = "'" + value
        value = XML_ILLEGAL.sub(_xml_escape, value)
        if len(value) > XLSX_CELL_LENGTH:
            note = _cut_note(len(value))
            value = value[: XLSX_CELL_LENGTH - len(note)] + note
        return value
    return value


def neutralise_csv(value: Any) -> Any:
    """A CSV field: the text and each of its `;`/`,`-separated segments that begins like a formula gets a leading
    apostrophe (Excel splitting on the other separator must not find a formula either); numbers are unchanged."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    parts = CSV_SEGMENT.split(value)
    return "".join(
        "'" + part if index % 2 == 0 and part.startswith(FORMULA_PREFIXES) else part for index, part in enumerate(parts)
    )


def csv_separator(choice: str | None) -> str:
    """The separator asked for (`sep=comma` or `sep=semicolon`); `;` otherwise, as Norwegian Excel expects."""
    return SEPARATORS.get(choice or "", DEFAULT_SEPARATOR)


class _Echo:
    """A file-like object whose ``write`` returns what it was given, for streaming `csv.writer` output."""

    def write(self, value: str) -> str:
        return value


def csv_lines(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, separator: str = DEFAULT_SEPARATOR
) -> Iterator[str]:
    """CSV lines, UTF-8 with a byte-order mark so Excel reads the Norwegian letters; every field quoted and
    neutralised."""
    writer = csv.writer(_Echo(), delimiter=separator, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    yield "\ufeff" + writer.writerow([neutralise_csv(cell) for cell in header])
    for row in rows:
        yield writer.writerow([neutralise_csv(cell) for cell in row])


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]], *, separator: str = DEFAULT_SEPARATOR) -> str:
    return "".join(csv_lines(header, rows, separator=separator))


def json_array(records: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """A JSON array written one record at a time, with the API's encoder (dates, decimals)."""
    yield "["
    first = True
    for record in records:
        yield ("" if first else ",") + "\n" + json.dumps(record, cls=DjangoJSONEncoder, ensure_ascii=False)
        first = False
    yield "\n]\n"


def xlsx_file(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> IO[bytes]:
    """One sheet in a temporary file (see `xlsx_sheets`)."""
    return xlsx_sheets([(title, header, rows)])


SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")
SHEET_TITLE_LENGTH = 31


def xlsx_sheets(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> IO[bytes]:
    """Sheets (title, header, rows) in a temporary file (write-only mode: rows go to disk as they are added); cells
    are neutralised, sheet titles cut to what Excel takes and made unique. The caller hands the file to the
    response, which closes it."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for title, header, rows in sheets:
        name = SHEET_TITLE_FORBIDDEN.sub(" ", XML_ILLEGAL.sub("", title)).strip()[:SHEET_TITLE_LENGTH] or "Sheet"
        number = 2
        while name.casefold() in used:
            suffix = f" ({number})"
            name = name[: SHEET_TITLE_LENGTH - len(suffix)] + suffix
            number += 1
        used.add(name.casefold())
        sheet = workbook.create_sheet(title=name)
        sheet.append([neutralise(cell) for cell in header])
        for row in rows:
            sheet.append([neutralise(cell) for cell in row])
    output = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response
    workbook.save(output)
    output.seek(0)
    return output


# Reading spreadsheets people upload: the shared pieces of every import (projects, benefit plans). An import checks
# every cell before it writes anything and reports each problem where it is: sheet, row (the header is row 1) and
# column, with a reason fit to show the user.

XLSX_SIGNATURE = b"PK\x03\x04"


class SpreadsheetError(Exception):
    """The file as a whole cannot be read (wrong type, too large, broken); the message is shown as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CellProblem:
    """One problem in an uploaded spreadsheet: where it is and why. ``row`` 0 and an empty ``column`` mean the
    sheet as a whole; an empty ``sheet`` a file of one table (CSV, or an XLSX file's first sheet)."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        from django.utils.translation import gettext as _

        if not self.sheet:
            if not self.column:
                return _("Row %(row)d: %(reason)s") % {"row": self.row, "reason": self.message}
            return _("Row %(row)d, column %(column)s: %(reason)s") % {
                "row": self.row,
                "column": self.column,
                "reason": self.message,
            }
        if not self.row:
            return _("Sheet “%(sheet)s”: %(reason)s") % {"sheet": self.sheet, "reason": self.message}
        if not self.column:
            return _("Sheet “%(sheet)s”, row %(row)d: %(reason)s") % {
                "sheet": self.sheet,
                "row": self.row,
                "reason": self.message,
            }
        return _("Sheet “%(sheet)s”, row %(row)d, column %(column)s: %(reason)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "reason": self.message,
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": f"{self.sheet}!{self.row}!{self.column}" if self.column else f"{self.sheet}!{self.row}",
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


def cell_text(value: Any) -> str:
    """A cell as text: whole floats without ``.0``, surrounding space removed, and the export's formula
    neutralisation (a leading apostrophe before ``= + - @``, tab or CR) undone, so an export imports as it was."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        text = text[1:]
    return text


def parse_date(value: Any) -> datetime.date:
    """A date cell, or text written ``yyyy-mm-dd`` or ``dd.mm.yyyy``; ValueError otherwise."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def read_xlsx(upload: IO[bytes], *, max_rows: int = 20000) -> dict[str, list[list[Any]]]:
    """Every sheet of an XLSX file as rows of cell values (formulas as their last computed value). Raises
    `SpreadsheetError` for a file that is not XLSX, cannot be opened, or has a sheet longer than ``max_rows``."""
    from django.utils.translation import gettext as _

    start = upload.read(4)
    upload.seek(0)
    if start != XLSX_SIGNATURE:
        raise SpreadsheetError(_("The file is not an Excel workbook (.xlsx)."))
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise SpreadsheetError(_("The Excel file could not be read. Save it as .xlsx and try again.")) from exc
    sheets: dict[str, list[list[Any]]] = {}
    try:
        for sheet in workbook.worksheets:
            rows: list[list[Any]] = []
            for row in sheet.iter_rows(values_only=True):
                if len(rows) >= max_rows:
                    raise SpreadsheetError(
                        _("The sheet “%(sheet)s” has more than %(limit)d rows.")
                        % {"sheet": sheet.title, "limit": max_rows}
                    )
                rows.append(list(row))
            while rows and all(cell_text(cell) == "" for cell in rows[-1]):
                rows.pop()
            sheets[sheet.title] = rows
    except SpreadsheetError:
        raise
    except Exception as exc:  # a sheet that cannot be read part-way (broken XML inside the archive)
        raise SpreadsheetError(_("The Excel file could not be read. Save it as .xlsx and try again.")) from exc
    finally:
        workbook.close()
    return sheets


def _csv_rows(upload: IO[bytes]) -> Iterator[list[Any]]:
    from django.utils.translation import gettext as _

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
        raise SpreadsheetError(_("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")) from exc
    except csv.Error as exc:
        raise SpreadsheetError(_("The CSV file could not be read.")) from exc
    finally:
        text.detach()


def _first_sheet_rows(upload: IO[bytes]) -> Iterator[list[Any]]:
    from django.utils.translation import gettext as _
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise SpreadsheetError(_("The Excel file could not be read. Save it as .xlsx and try again.")) from exc
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def read_table(upload: IO[bytes], filename: str) -> Iterator[list[Any]]:
    """The rows of a CSV file (UTF-8; the separator sniffed: ``,``, ``;`` or tab) or of an XLSX file's first sheet,
    as cell values, read as they are iterated. Raises `SpreadsheetError` for another type or a file that cannot
    be read."""
    from django.utils.translation import gettext as _

    name = filename.lower()
    if name.endswith(".csv"):
        return _csv_rows(upload)
    if name.endswith(".xlsx"):
        return _first_sheet_rows(upload)
    raise SpreadsheetError(_("Upload a .csv or .xlsx file."))
