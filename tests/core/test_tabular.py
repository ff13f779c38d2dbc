"""The shared table reading: a header against known columns, a declarative row schema that reports every bad cell
of every row, choice lookups, the export row flattener and the load commands' report."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Annotated, Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from nyskap.core import tabular
from nyskap.core.spreadsheets import CellProblem, SpreadsheetError, csv_lines, read_table
from nyskap.core.tabular import (
    Problem,
    ReferenceDataError,
    RowSchema,
    choice_lookup,
    header_positions,
    problems_command_error,
    spreadsheet_cells,
    validate_row,
)
from nyskap.projects import importexport
from nyskap.projects.models import Phase, Project


class Row(RowSchema):
    name: Annotated[str, tabular.text(required=True, limit=10)] = ""
    phase: Annotated[Any, tabular.choice()] = None
    tags: Annotated[list[Any] | None, tabular.choices()] = None
    start: Annotated[datetime.date | None, tabular.date()] = None
    note: Annotated[str, tabular.required_when(lambda v: v.get("phase") == "stopped", lambda: "Say why.")] = ""


CONTEXT = {"lookups": {"phase": choice_lookup(Phase.choices), "tags": {"a": "a", "b": "b"}}}


def in_english(value: object) -> str:
    with translation.override("en"):
        return str(value)


def test_when_a_header_is_read_then_unknown_repeated_and_missing_columns_are_each_named():
    with translation.override("en"):
        positions, problems = header_positions(
            ["Name", " phase ", "colour", "name", "", "slug"],
            ["name", "phase", "start"],
            required=["name", "start"],
            ignored=["slug"],
            unknown_message="Unknown column.",
        )
    assert positions == {"name": 0, "phase": 1}
    assert problems == [
        ("colour", "Unknown column."),
        ("name", "The column appears twice."),
        ("start", "This required column is missing."),
    ]


def test_when_rows_are_validated_then_every_bad_cell_of_every_row_is_reported_with_row_and_column():
    rows = {
        2: {"name": "Oslo", "phase": "IDEAS", "tags": "a; b", "start": "01.09.2025"},
        3: {"name": "", "phase": "no such phase", "tags": "a, c", "start": "2025-13-01"},
        4: {"name": "Far too long a name", "phase": "stopped", "note": ""},
    }
    good, problems = [], []
    with translation.override("en"):
        for number, values in rows.items():
            parsed, found = validate_row(Row, number, values, context=CONTEXT)
            problems += found
            if parsed is not None:
                good.append((number, parsed))
        texts = [str(problem) for problem in problems]
    assert [(n, p.name, p.phase, p.tags, p.start) for n, p in good] == [
        (2, "Oslo", "ideas", ["a", "b"], datetime.date(2025, 9, 1))
    ]
    assert [(p.row, p.column) for p in problems] == [(3, "name"), (3, "phase"), (3, "tags"), (3, "start"), (4, "name"),
                                                     (4, "note")]  # fmt: skip
    assert texts == [
        "Row 3, column name: This field is required.",
        "Row 3, column phase: “no such phase” is not one of the options.",
        "Row 3, column tags: “c” is not one of the options.",
        "Row 3, column start: Write the date as yyyy-mm-dd or dd.mm.yyyy.",
        "Row 4, column name: Use at most 10 characters.",
        "Row 4, column note: Say why.",
    ]


def test_when_a_message_quotes_braces_then_it_is_shown_as_it_is():
    with translation.override("en"):
        _parsed, problems = validate_row(Row, 2, {"name": "x", "phase": "{phase}"}, context=CONTEXT)
    assert in_english(problems[0]) == "Row 2, column phase: “{phase}” is not one of the options."


def test_when_a_cell_problem_has_a_sheet_then_it_names_the_sheet_too():
    assert in_english(CellProblem("data-plan", 3, "value", "Bad.")) == "Sheet “data-plan”, row 3, column value: Bad."
    assert in_english(CellProblem("", 3, "", "Bad.")) == "Row 3: Bad."


def _csv(*rows: dict[str, Any]) -> io.BytesIO:
    lines = csv_lines(importexport.IMPORT_COLUMNS, [[row[c] for c in importexport.IMPORT_COLUMNS] for row in rows])
    return io.BytesIO("".join(lines).encode())


@pytest.mark.django_db
def test_when_an_upload_has_bad_rows_then_the_import_reports_them_all_and_writes_nothing(innovator, home_municipality):
    good = dict(importexport.EXAMPLE_ROW)
    bad = {**good, "title": "", "sector": "romfart"}
    stopped = {**good, "phase": "stopped", "start_date": "31.02.2025"}
    upload = _csv(good, bad, stopped)
    with translation.override("en"):
        result = importexport.import_projects(upload=upload, filename="p.csv", owner=home_municipality, actor=innovator)
        texts = [str(error) for error in result.errors]
    assert texts == [
        "Row 3, column title: This field is required.",
        "Row 3, column sector: “romfart” is not one of the options.",
        "Row 4, column start_date: Write the date as yyyy-mm-dd or dd.mm.yyyy.",
        "Row 4, column stopped_reason: Say why the project was stopped.",
        "Row 4, column lessons_learned: A stopped project must share what was learned.",
    ]
    assert result.created == []
    assert Project.objects.count() == 0


@pytest.mark.django_db
def test_when_a_good_row_is_parsed_then_its_fields_are_the_ones_given(innovator, home_municipality):
    rows, errors = importexport.parse_file(_csv(importexport.EXAMPLE_ROW), "p.csv")
    assert errors == []
    (row,) = rows
    assert (row.row, row.phase, row.stopped_reason) == (2, "ideas", "")
    assert row.fields["budget"] == Decimal(250000)
    assert row.fields["start_date"] == datetime.date(2025, 9, 1)
    assert row.fields["innovation_types"] == ["service", "process"]
    assert row.fields["sdgs"] == [3]
    assert "lessons_learned" not in row.fields and "end_date" not in row.fields and "contact_email" not in row.fields


def test_when_a_table_is_read_then_csv_and_the_first_sheet_of_xlsx_give_the_same_rows():
    csv_rows = list(read_table(io.BytesIO("a;b\n1;x\n".encode("utf-8-sig")), "t.CSV"))
    workbook = Workbook()
    workbook.active.append(["a", "b"])
    workbook.active.append([1, "x"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    assert csv_rows == [["a", "b"], ["1", "x"]]
    assert list(read_table(buffer, "t.xlsx")) == [["a", "b"], [1, "x"]]
    with pytest.raises(SpreadsheetError):
        read_table(SimpleUploadedFile("t.pdf", b"%PDF"), "t.pdf")
    with pytest.raises(SpreadsheetError):
        list(read_table(io.BytesIO(b"\xff\xfe\x00bad"), "t.csv"))


def test_when_a_choice_is_looked_up_then_code_and_labels_in_every_language_are_known():
    lookup = choice_lookup(Phase.choices)
    assert lookup["ideas"] == "ideas"
    assert {lookup[key] for key in lookup if lookup[key] == "stopped"} == {"stopped"}
    assert len([key for key, code in lookup.items() if code == "ideas"]) >= 2


def test_when_a_record_is_flattened_then_lists_dates_and_none_become_cells():
    record = {
        "owners": [{"name": "Bodø"}, {"name": "Oslo"}],
        "sdgs": [3, 4],
        "at": datetime.datetime(2025, 1, 2, 3, 4, 5, 678, tzinfo=datetime.UTC),
        "on": datetime.date(2025, 1, 2),
        "budget": Decimal("10.50"),
        "none": None,
    }
    columns = list(record)
    assert spreadsheet_cells(record, columns) == [
        "Bodø; Oslo",
        "3; 4",
        "2025-01-02T03:04:05+00:00",
        "2025-01-02",
        Decimal("10.50"),
        "",
    ]
    assert spreadsheet_cells(record, ["budget"], decimal=float) == [10.5]


def test_when_a_load_command_meets_problems_then_its_error_lists_them_all():
    error = ReferenceDataError([Problem("a.csv", 2, "x", "bad."), Problem("a.csv", None, None, "file not found.")])
    assert str(problems_command_error("The data in /d", error.problems)).splitlines() == [
        "The data in /d has 2 problem(s); nothing was written.",
        "Rows are numbered as in a spreadsheet: the header is row 1, the first data row is row 2.",
        "- a.csv, row 2, column x: bad.",
        "- a.csv: file not found.",
    ]
    assert str(problems_command_error("f.toml", ["one"], rows_numbered=False)).splitlines() == [
        "f.toml has 1 problem(s); nothing was written.",
        "- one",
    ]
