"""The shared writers behind every export: formula text neutralised in CSV and XLSX, JSON streamed as one array."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

from openpyxl import load_workbook

from nyskap.core.spreadsheets import csv_lines, json_array, neutralise, xlsx_file


def test_when_text_starts_like_a_formula_then_it_gets_an_apostrophe_and_nothing_else_changes():
    assert [neutralise(v) for v in ("=1+1", "+47 22", "-2", "@SUM(A1)", "\tx", "Bodø", 5, None)] == [
        "'=1+1",
        "'+47 22",
        "'-2",
        "'@SUM(A1)",
        "'\tx",
        "Bodø",
        5,
        None,
    ]
    assert neutralise(neutralise("=cmd")) == "'=cmd"


def test_when_rows_are_written_as_csv_then_there_is_a_byte_order_mark_and_formulas_are_neutralised():
    text = "".join(csv_lines(["navn", "verdi"], [["=HYPERLINK(x)", 3], ["Øygarden", ""]]))
    assert text == "\ufeffnavn,verdi\r\n'=HYPERLINK(x),3\r\nØygarden,\r\n"


def test_when_records_are_written_as_json_then_they_form_one_array_with_dates_and_decimals_as_text():
    text = "".join(json_array([{"a": Decimal("1.50"), "d": datetime.date(2026, 11, 27)}, {"a": None}]))
    assert json.loads(text) == [{"a": "1.50", "d": "2026-11-27"}, {"a": None}]
    assert "".join(json_array([])) == "[\n]\n"


def test_when_rows_are_written_as_xlsx_then_the_sheet_has_the_title_header_and_neutralised_cells():
    workbook = load_workbook(xlsx_file("Prosjekter med et veldig langt navn på arket", ["a", "b"], [["@x", 2.5]]))
    sheet = workbook.active
    assert sheet.title == "Prosjekter med et veldig langt "  # a sheet name has at most 31 characters
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [["a", "b"], ["'@x", 2.5]]
