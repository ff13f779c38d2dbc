"""Export of search results (CSV, XLSX, JSON) and import of projects from CSV or XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from nyskap.core.jobs.models import BackgroundJob
from nyskap.core.visibility import Visibility
from nyskap.projects import importexport
from nyskap.projects.models import Phase, PhaseChange, Project

from ..helpers import EN
from .factories import NEED, make_project

pytestmark = pytest.mark.django_db

IMPORT_URL = "/prosjekter/overforing/import/"


def csv_upload(rows: list[list[str]], name: str = "prosjekter.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8-sig"), content_type="text/csv")


def xlsx_upload(rows: list[list[Any]]) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("prosjekter.xlsx", buffer.getvalue())


HEADER = ["title", "need_problem", "need_who", "need_today", "need_effect", "phase", "sector", "start_date", "budget"]


def row(title: str, **overrides: str) -> list[str]:
    values = {
        "title": title,
        **NEED,
        "phase": "need",
        "sector": "health_care",
        "start_date": "2025-01-01",
        "budget": "1000",
    }
    values.update(overrides)
    return [values[column] for column in HEADER]


# Templates


def test_when_an_editor_downloads_the_templates_then_they_have_the_columns_and_one_example(as_innovator):
    response = as_innovator.get("/prosjekter/overforing/mal.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="nyskap-prosjekter-mal.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == importexport.IMPORT_COLUMNS
    assert len(rows) == 2 and rows[1][0] == "Varm mat til hjemmeboende eldre"

    response = as_innovator.get("/prosjekter/overforing/mal.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == importexport.IMPORT_COLUMNS
    assert len(values) == 2


def test_when_the_template_is_imported_then_it_is_valid(as_innovator, home_municipality):
    upload = SimpleUploadedFile("mal.csv", importexport.template_csv().encode("utf-8"))
    response = as_innovator.post(IMPORT_URL, {"organisation": "oygarden", "file": upload}, follow=True, **EN)
    assert response.status_code == 200
    assert response.redirect_chain[0][0].startswith("/oppgaver/")
    project = Project.objects.get()
    assert (project.title, project.phase, project.visibility) == ("Varm mat til hjemmeboende eldre", "ideas", "public")
    assert project.start_date == dt.date(2025, 9, 1)
    assert sorted(project.innovation_types.values_list("code", flat=True)) == ["process", "service"]


def test_when_anonymous_asks_for_the_import_page_or_a_template_then_login_is_required(client):
    for path in (IMPORT_URL, "/prosjekter/overforing/mal.csv", "/prosjekter/overforing/mal.xlsx"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# Import


def test_when_a_valid_csv_is_imported_then_exactly_those_projects_are_created_for_the_organisation(
    as_innovator, innovator, home_municipality
):
    upload = csv_upload(
        [
            HEADER,
            row("Varm mat"),
            row("Digital skoleskyss", phase="Develop and test", sector="transport", start_date="15.08.2024"),
            row("Fallsensor", phase="ideas", budget="1 250 000,50"),
        ]
    )
    response = as_innovator.post(IMPORT_URL, {"organisation": "oygarden", "file": upload}, follow=True, **EN)
    assert response.status_code == 200
    assert response.redirect_chain[0][0].startswith("/oppgaver/")
    assert "3 projects were imported for Øygarden kommune." in response.content.decode()
    projects = {p.title: p for p in Project.objects.all()}
    assert sorted(projects) == ["Digital skoleskyss", "Fallsensor", "Varm mat"]
    for project in projects.values():
        assert list(project.owners.all()) == [home_municipality]
        assert list(project.authors.all()) == [innovator]
    skyss = projects["Digital skoleskyss"]
    assert (skyss.phase, skyss.sector, skyss.start_date) == (Phase.DEVELOP_TEST, "transport", dt.date(2024, 8, 15))
    walk = list(PhaseChange.objects.filter(project=skyss).values_list("from_phase", "to_phase", "note"))
    assert walk == [("", "need", ""), ("need", "ideas", "Imported"), ("ideas", "develop_test", "Imported")]
    assert str(projects["Fallsensor"].budget) == "1250000.50"


def test_when_a_valid_xlsx_is_imported_then_the_projects_are_created(as_innovator, home_municipality):
    upload = xlsx_upload(
        [
            HEADER,
            ["Varm mat", *NEED.values(), "need", "Health and care", dt.datetime(2025, 2, 3), 5000],
            ["Fallsensor", *NEED.values(), None, None, None, None],
        ]
    )
    response = as_innovator.post(IMPORT_URL, {"organisation": "oygarden", "file": upload}, follow=True, **EN)
    assert response.status_code == 200
    assert response.redirect_chain[0][0].startswith("/oppgaver/")
    assert Project.objects.count() == 2
    varm = Project.objects.get(title="Varm mat")
    assert (varm.sector, varm.start_date, str(varm.budget)) == ("health_care", dt.date(2025, 2, 3), "5000.00")
    assert list(varm.owners.values_list("slug", flat=True)) == ["oygarden"]


def test_when_rows_3_and_5_have_errors_then_both_are_reported_and_nothing_is_created(as_innovator, home_municipality):
    upload = csv_upload(
        [
            HEADER,
            row("Varm mat"),
            row("Fallsensor", need_who="", sector="romfart"),
            row("Digital skoleskyss"),
            row("Trygghetsalarm", start_date="31.02.2025", budget="mange penger"),
        ]
    )
    response = as_innovator.post(IMPORT_URL, {"organisation": "oygarden", "file": upload}, follow=True, **EN)
    # The import ran as a background job; its progress page lists the problems.
    assert response.status_code == 200
    assert response.redirect_chain[0][0].startswith("/oppgaver/")
    content = response.content.decode()
    for message in (
        "Row 3, column need_who: This field is required.",
        "Row 3, column sector: “romfart” is not one of the options.",
        "Row 5, column start_date: Write the date as yyyy-mm-dd or dd.mm.yyyy.",
        "Row 5, column budget: Write the budget as a number of kroner, e.g. 250000.",
    ):
        assert message in content.replace("&quot;", '"').replace("&#x27;", "'")
    assert "The file has 4 problems. Nothing was imported." in content
    assert Project.objects.count() == 0
    job = BackgroundJob.objects.get()
    assert (job.status, job.rows_done, job.rows_total, len(job.problems)) == ("failed", 4, 4, 4)


def test_when_the_file_has_errors_then_rows_and_columns_are_numbered_as_in_the_spreadsheet(innovator):
    upload = csv_upload([HEADER, row("Varm mat"), row("", need_effect="")])
    with translation.override("en"):
        result = importexport.import_projects(
            upload=io.BytesIO(upload.read()),
            filename="x.csv",
            owner=innovator.memberships.get().organisation,
            actor=innovator,
        )
        assert [(e.row, e.column) for e in result.errors] == [(3, "title"), (3, "need_effect")]
        assert [str(e) for e in result.errors] == [
            "Row 3, column title: This field is required.",
            "Row 3, column need_effect: This field is required.",
        ]
    assert result.created == [] and Project.objects.count() == 0


def test_when_a_required_column_is_missing_then_the_header_is_reported(as_innovator, home_municipality):
    upload = csv_upload([["title", "need_problem", "need_who", "need_today", "bogus"], ["a", "b", "c", "d", "e"]])
    response = as_innovator.post(IMPORT_URL, {"organisation": "oygarden", "file": upload}, follow=True, **EN)
    content = response.content.decode()
    assert "Row 1, column bogus: Unknown column. Use the columns of the template." in content.replace("&#x27;", "'")
    assert "Row 1, column need_effect: This required column is missing." in content
    assert Project.objects.count() == 0


def test_when_the_file_is_too_large_then_the_limit_is_explained(as_innovator, home_municipality, monkeypatch):
    monkeypatch.setattr(importexport, "MAX_UPLOAD_BYTES", 10)
    upload = csv_upload([HEADER, row("Varm mat")])
    response = as_innovator.post(IMPORT_URL, {"organisation": "oygarden", "file": upload}, **EN)
    assert response.status_code == 400
    assert "the limit is 10 MB" in response.content.decode()
    assert Project.objects.count() == 0


def test_when_the_outsider_imports_into_another_organisation_then_it_is_refused(as_outsider, home_municipality):
    upload = csv_upload([HEADER, row("Kapret")])
    response = as_outsider.post(IMPORT_URL, {"organisation": "oygarden", "file": upload}, **EN)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert Project.objects.count() == 0


def test_when_a_member_without_editor_role_opens_the_import_then_403(as_colleague):
    assert as_colleague.get(IMPORT_URL).status_code == 403


# Export


@pytest.fixture
def library(innovator, outsider, home_municipality, other_municipality):
    public = make_project(
        actor=innovator,
        owner=home_municipality,
        title="Varm mat",
        visibility=Visibility.PUBLIC,
        sector="health_care",
        innovation_types=["service", "process"],
        budget="250000",
        description='=HYPERLINK("http://evil.example","klikk")',
        lessons_learned="@SUM(1+1)",
        start_date=dt.date(2024, 9, 1),
    )
    internal = make_project(
        actor=innovator, owner=home_municipality, title="Intern sak", visibility=Visibility.ORGANISATION
    )
    bodo = make_project(actor=outsider, owner=other_municipality, title="Digital skoleskyss", visibility="public")
    return {"public": public, "internal": internal, "bodo": bodo}


def _csv_rows(response) -> list[dict[str, str]]:
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(content.removeprefix("\ufeff")), delimiter=";"))


def test_when_exporting_csv_then_columns_are_stable_and_formulas_neutralised(client, library):
    response = client.get("/prosjekter/overforing/eksport.csv?sort=title")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = _csv_rows(response)
    assert list(rows[0]) == importexport.EXPORT_COLUMNS
    assert [r["slug"] for r in rows] == ["digital-skoleskyss", "varm-mat"]
    varm = rows[1]
    assert varm["description"] == '\'=HYPERLINK("http://evil.example","klikk")'
    assert varm["lessons_learned"] == "'@SUM(1+1)"
    assert (varm["owners"], varm["innovation_types"], varm["budget"]) == (
        "Øygarden kommune",
        "process; service",
        "250000.00",
    )
    assert (varm["start_date"], varm["url"]) == ("2024-09-01", "http://testserver/prosjekter/varm-mat/")


def test_when_exporting_xlsx_then_formulas_are_text(client, library):
    response = client.get("/prosjekter/overforing/eksport.xlsx?sector=health_care")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == importexport.EXPORT_COLUMNS
    assert len(rows) == 2
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["description"] == '\'=HYPERLINK("http://evil.example","klikk")'
    assert record["budget"] == 250000
    for cell in sheet[2]:
        assert cell.data_type != "f"


@pytest.mark.parametrize("visitor", ["anonymous", "as_outsider"])
def test_when_others_export_then_organisation_only_projects_are_left_out(request, library, visitor):
    client = request.getfixturevalue(visitor)
    for extension in ("csv", "json"):
        response = client.get(f"/prosjekter/overforing/eksport.{extension}")
        content = b"".join(response.streaming_content).decode()
        assert "digital-skoleskyss" in content and "varm-mat" in content
        assert "intern-sak" not in content
    workbook = b"".join(client.get("/prosjekter/overforing/eksport.xlsx").streaming_content)
    slugs = [r[0] for r in load_workbook(io.BytesIO(workbook)).worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert sorted(slugs) == ["digital-skoleskyss", "varm-mat"]


def test_when_a_member_exports_then_organisation_projects_are_included(as_colleague, library):
    rows = _csv_rows(as_colleague.get("/prosjekter/overforing/eksport.csv"))
    assert sorted(r["slug"] for r in rows) == ["digital-skoleskyss", "intern-sak", "varm-mat"]


def test_when_exporting_json_then_each_record_equals_the_api_detail_fields(client, library):
    response = client.get("/prosjekter/overforing/eksport.json?sort=title")
    assert response.status_code == 200
    records = json.loads(b"".join(response.streaming_content))
    assert [r["slug"] for r in records] == ["digital-skoleskyss", "varm-mat"]
    for record in records:
        detail = client.get(f"/api/v1/projects/{record['slug']}").json()
        assert set(record) == set(importexport.EXPORT_COLUMNS)
        assert record == {name: detail[name] for name in record}


def test_when_the_export_is_filtered_then_it_has_the_same_projects_as_the_search(client, library):
    rows = _csv_rows(client.get("/prosjekter/overforing/eksport.csv?q=skoleskyss"))
    assert [r["slug"] for r in rows] == ["digital-skoleskyss"]


def test_when_an_export_is_imported_then_the_original_text_comes_back(as_innovator, client, library):
    exported = b"".join(client.get("/prosjekter/overforing/eksport.csv?sector=health_care").streaming_content)
    upload = SimpleUploadedFile("eksport.csv", exported)
    response = as_innovator.post(IMPORT_URL, {"organisation": "oygarden", "file": upload}, follow=True, **EN)
    assert response.status_code == 200
    assert response.redirect_chain[0][0].startswith("/oppgaver/")
    copy = Project.objects.exclude(pk=library["public"].pk).get(title="Varm mat")
    assert copy.description == library["public"].description
    assert copy.lessons_learned == "@SUM(1+1)"
