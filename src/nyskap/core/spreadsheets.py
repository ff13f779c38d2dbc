"""Writing tables for people to open in a spreadsheet: CSV, XLSX and a JSON array, streamed row by row, with text
that a spreadsheet would run as a formula neutralised. Every export in Nyskap goes through here."""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these is read as a formula by Excel and LibreOffice (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe; other values are unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose ``write`` returns what it was given, for streaming `csv.writer` output."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """CSV lines, UTF-8 with a byte-order mark so Excel reads the Norwegian letters; cells are neutralised."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


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
