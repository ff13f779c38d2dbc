"""The shared writers behind every export: formula text neutralised in CSV and XLSX, JSON streamed as one array."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from nyskap.core.spreadsheets import csv_lines, json_array, neutralise, neutralise_csv, xlsx_file


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


def test_when_rows_are_written_as_csv_then_there_is_a_byte_order_mark_semicolons_and_every_field_quoted():
    text = "".join(csv_lines(["navn", "verdi"], [["=HYPERLINK(x)", 3], ["Øygarden", ""], ["Tom", None]]))
    assert text == '\ufeff"navn";"verdi"\r\n"\'=HYPERLINK(x)";"3"\r\n"Øygarden";""\r\n"Tom";""\r\n'
    comma = "".join(csv_lines(["navn", "verdi"], [["=HYPERLINK(x)", 3]], separator=","))
    assert comma == '\ufeff"navn","verdi"\r\n"\'=HYPERLINK(x)","3"\r\n'


def test_when_a_text_has_formula_segments_then_each_segment_is_neutralised():
    assert neutralise_csv("Formelprosjekt;=1+1;@SUM(1+1)") == "Formelprosjekt;'=1+1;'@SUM(1+1)"
    assert neutralise_csv("a,+47 22,-2;\tx") == "a,'+47 22,'-2;'\tx"
    assert neutralise_csv("=a;b") == "'=a;b"
    assert neutralise_csv("Bodø, Øygarden; 3 - 2") == "Bodø, Øygarden; 3 - 2"
    assert neutralise_csv(neutralise_csv("=a;=b")) == "'=a;'=b"
    assert (neutralise_csv(-2), neutralise_csv(None)) == (-2, "")


FORMULA_TITLE = "Formelprosjekt;=1+1;@SUM(1+1)"


@pytest.mark.parametrize(("separator", "other"), [(";", ","), (",", ";")])
def test_when_a_csv_is_parsed_with_either_separator_then_no_cell_begins_like_a_formula(separator, other):
    rows = [[FORMULA_TITLE, "-5", "x,=cmd|' /C calc'!A0", "\rCR", 12]]
    text = "".join(csv_lines(["tittel", "a", "b", "c", "n"], rows, separator=separator))
    assert text.startswith("\ufeff")
    body = text.removeprefix("\ufeff")
    right = list(csv.reader(io.StringIO(body, newline=""), delimiter=separator))
    assert right[1] == ["Formelprosjekt;'=1+1;'@SUM(1+1)", "'-5", "x,'=cmd|' /C calc'!A0", "'\rCR", "12"]
    # Opened with the other separator (a comma file in Norwegian Excel, or the reverse): still no formula.
    for reader in (
        csv.reader(io.StringIO(body, newline=""), delimiter=other),
        csv.reader(io.StringIO(body, newline=""), delimiter=other, quoting=csv.QUOTE_NONE),
    ):
        for row in reader:
            for cell in row:
                assert not cell.lstrip('"').startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_when_records_are_written_as_json_then_they_form_one_array_with_dates_and_decimals_as_text():
    text = "".join(json_array([{"a": Decimal("1.50"), "d": datetime.date(2026, 11, 27)}, {"a": None}]))
    assert json.loads(text) == [{"a": "1.50", "d": "2026-11-27"}, {"a": None}]
    assert "".join(json_array([])) == "[\n]\n"


def test_when_rows_are_written_as_xlsx_then_the_sheet_has_the_title_header_and_neutralised_cells():
    workbook = load_workbook(xlsx_file("Prosjekter med et veldig langt navn på arket", ["a", "b"], [["@x", 2.5]]))
    sheet = workbook.active
    assert sheet.title == "Prosjekter med et veldig langt "  # a sheet name has at most 31 characters
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [["a", "b"], ["'@x", 2.5]]


def test_when_stored_text_holds_control_characters_then_xlsx_is_written_with_the_ooxml_escape():
    workbook = load_workbook(xlsx_file("Ark", ["a"], [["a\x01b\x0bc\x00d\te\nf"]]))
    [[header], [value]] = [[cell.value for cell in row] for row in workbook.active.iter_rows()]
    assert header == "a"
    assert value in ("a\x01b\x0bc\x00d\te\nf", "a_x0001_b_x000B_c_x0000_d\te\nf")
    assert neutralise("a\x01") == "a_x0001_"


def test_when_a_text_is_longer_than_a_cell_holds_then_the_xlsx_cell_is_cut_with_a_note_saying_so():
    from django.utils import translation

    fits = "x" * 32_767
    long = "ø" * 40_000
    with translation.override("nb"):
        workbook = load_workbook(xlsx_file("Ark", ["a"], [[fits], [long], ["=" + long]]))
    cells = [row[0].value for row in workbook.active.iter_rows(min_row=2)]
    assert cells[0] == fits  # exactly at the limit: whole
    note = (
        " [Kuttet her: en regnearkcelle rommer høyst 32\u00a0767 tegn, og denne teksten har 40\u00a0000. "
        "Hele teksten finnes i Nyskap.]"
    )
    assert cells[1] == "ø" * (32_767 - len(note)) + note
    assert len(cells[1]) == 32_767
    # The formula guard comes first and counts: the cut text still starts with the apostrophe.
    assert cells[2].startswith("'=ø") and cells[2].endswith("har 40\u00a0002. Hele teksten finnes i Nyskap.]")
    assert len(cells[2]) == 32_767
