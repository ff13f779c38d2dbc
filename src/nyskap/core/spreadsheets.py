"""Writing tables for people to open in a spreadsheet: CSV, XLSX and a JSON array, streamed row by row, with text
that a spreadsheet would run as a formula neutralised. Every export in Nyskap goes through here.

CSV is written the way Excel with Norwegian regional settings opens a double-clicked file: UTF-8 with a byte-order
mark, `;` between fields (`,` on request: `?sep=comma`), every field quoted. Because a file may still be opened with
the other separator, every `;`- or `,`-separated segment of a text that begins like a formula is neutralised too.
XLSX cannot hold most control characters: stored text holding one (legacy rows, from before input refused them) is
written with OOXML's own escape (`_x0001_`), so an export never fails on what is stored."""

from __future__ import annotations

import csv
import json
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these is read as a formula by Excel and LibreOffice (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 (and so XLSX) cannot hold; openpyxl refuses them with IllegalCharacterError.
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
CSV_SEGMENT = re.compile(r"([;,])")
SEPARATORS = {"semicolon": ";", "comma": ","}
DEFAULT_SEPARATOR = ";"


def _xml_escape(match: re.Match[str]) -> str:
    return f"_x{ord(match.group(0)):04X}_"


def neutralise(value: Any) -> Any:
    """A cell for XLSX: text that a spreadsheet would read as a formula gets a leading apostrophe, characters XML
    cannot hold are escaped the OOXML way; other values are unchanged."""
    if isinstance(value, str):
        if value.startswith(FORMULA_PREFIXES):
            value = "'" + value
        return XML_ILLEGAL.sub(_xml_escape, value)
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
    """One sheet in a temporary file (write-only mode: rows go to disk as they are added); cells are neutralised.
    The caller hands the file to the response, which closes it."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(header))
    for row in rows:
        sheet.append([neutralise(cell) for cell in row])
    output = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response
    workbook.save(output)
    output.seek(0)
    return output
