"""The project import and large exports as background jobs: pages answer with the job's progress page, the API
with 202 and the task's address; the job counts its rows; a real queued job is run by the database worker."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from nyskap.core.jobs.models import BackgroundJob, JobStatus
from nyskap.core.visibility import Visibility
from nyskap.projects.models import Project

from ..helpers import EN
from ..helpers import bearer as _token
from .factories import make_project
from .test_import_export import HEADER, csv_upload, row

pytestmark = pytest.mark.django_db

IMPORT_URL = "/prosjekter/overforing/import/"


def _csv(content: bytes) -> list[dict[str, str]]:
    text = content.decode("utf-8").removeprefix("\ufeff")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


@pytest.fixture
def five(innovator, outsider, home_municipality, other_municipality):
    """Five projects: three public of the home municipality, one internal, one public elsewhere."""
    make_project(
        actor=innovator, owner=home_municipality, title="Varm mat", visibility=Visibility.PUBLIC, sector="culture"
    )
    for title in ("Fallsensor", "Trygghetsalarm"):
        make_project(actor=innovator, owner=home_municipality, title=title, visibility=Visibility.PUBLIC)
    make_project(actor=innovator, owner=home_municipality, title="Intern sak", visibility=Visibility.ORGANISATION)
    make_project(actor=outsider, owner=other_municipality, title="Digital skoleskyss", visibility=Visibility.PUBLIC)


# Exports


def test_when_a_signed_in_export_exceeds_the_threshold_then_it_runs_as_a_job_with_the_same_rows(
    settings, as_colleague, colleague, five
):
    settings.BACKGROUND_EXPORT_THRESHOLD = 4
    response = as_colleague.get("/prosjekter/overforing/eksport.csv?sort=title", **EN)
    assert response.status_code == 302
    job = BackgroundJob.objects.get()
    assert response["Location"] == f"/oppgaver/{job.pk}/"
    assert (job.owner, job.kind, job.status, job.rows_done, job.rows_total) == (
        colleague,
        "projects.export",
        JobStatus.DONE,
        5,
        5,
    )
    page = as_colleague.get(response["Location"], **EN).content.decode()
    assert "5 of 5 rows" in page and "5 projects exported." in page
    assert job.back_url == "/prosjekter/?sort=title"
    download = as_colleague.get(f"/oppgaver/{job.pk}/fil/")
    rows = _csv(b"".join(download.streaming_content))
    assert [r["title"] for r in rows] == [
        "Digital skoleskyss",
        "Fallsensor",
        "Intern sak",
        "Trygghetsalarm",
        "Varm mat",
    ]
    # The file is the one the immediate export gives (same columns, same rows).
    settings.BACKGROUND_EXPORT_THRESHOLD = 5
    immediate = as_colleague.get("/prosjekter/overforing/eksport.csv?sort=title")
    assert immediate.status_code == 200
    assert _csv(b"".join(immediate.streaming_content)) == rows


def test_when_the_export_is_at_or_under_the_threshold_then_it_is_served_at_once(settings, client, as_innovator, five):
    settings.BACKGROUND_EXPORT_THRESHOLD = 4
    response = as_innovator.get("/prosjekter/overforing/eksport.csv?sector=culture")
    assert response.status_code == 200 and len(_csv(b"".join(response.streaming_content))) == 1
    settings.BACKGROUND_EXPORT_THRESHOLD = 5  # "more than the threshold": five projects are still served at once
    response = as_innovator.get("/prosjekter/overforing/eksport.csv")
    assert response.status_code == 200 and len(_csv(b"".join(response.streaming_content))) == 5
    settings.BACKGROUND_EXPORT_THRESHOLD = 4
    anonymous = client.get("/prosjekter/overforing/eksport.csv")  # 4 public projects: not more than the threshold
    assert anonymous.status_code == 200 and len(_csv(b"".join(anonymous.streaming_content))) == 4
    assert BackgroundJob.objects.count() == 0


def test_when_an_anonymous_export_exceeds_the_threshold_then_only_the_visitors_own_session_gets_it(settings, five):
    settings.BACKGROUND_EXPORT_THRESHOLD = 3
    visitor = Client()
    response = visitor.get("/prosjekter/overforing/eksport.csv?sort=title", **EN)
    assert response.status_code == 302
    job = BackgroundJob.objects.get()
    assert response["Location"] == f"/oppgaver/{job.pk}/"
    assert (job.owner, bool(job.visitor_key), job.status, job.rows_done, job.rows_total) == (
        None,
        True,
        JobStatus.DONE,
        4,
        4,
    )
    assert job.visitor_key == visitor.session["background_job_visitor"]
    page = visitor.get(response["Location"], **EN).content.decode()
    assert "4 of 4 rows" in page and "4 projects exported." in page
    download = visitor.get(f"/oppgaver/{job.pk}/fil/")
    assert download.status_code == 200
    # Public projects only, as the visitor would have seen them streamed.
    assert [r["title"] for r in _csv(b"".join(download.streaming_content))] == [
        "Digital skoleskyss",
        "Fallsensor",
        "Trygghetsalarm",
        "Varm mat",
    ]
    # Another visitor with the link (and the task's address in the API, even with a token) gets nothing.
    stranger = Client()
    stranger.get("/")  # a session of its own
    for url in (f"/oppgaver/{job.pk}/", f"/oppgaver/{job.pk}/fil/", f"/oppgaver/{job.pk}/?fragment=status"):
        refused = stranger.get(url)
        assert refused.status_code == 404, url
        assert b"Digital skoleskyss" not in refused.content
    # A second anonymous export in the same browser session joins the first, under the same key.
    visitor.get("/prosjekter/overforing/eksport.json", **EN)
    assert set(BackgroundJob.objects.values_list("visitor_key", flat=True)) == {job.visitor_key}


def test_when_large_xlsx_and_json_exports_run_as_jobs_then_the_files_have_every_row(settings, as_innovator, five):
    settings.BACKGROUND_EXPORT_THRESHOLD = 1
    xlsx = as_innovator.get("/prosjekter/overforing/eksport.xlsx")
    job = BackgroundJob.objects.get(pk=xlsx["Location"].split("/")[2])
    assert (job.result_name.endswith(".xlsx"), job.rows_total) == (True, 5)
    sheet = load_workbook(io.BytesIO(job.result_file.read())).worksheets[0]
    assert sheet.max_row == 6
    response = as_innovator.get("/prosjekter/overforing/eksport.json")
    job = BackgroundJob.objects.get(pk=response["Location"].split("/")[2])
    assert job.result_type == "application/json; charset=utf-8"
    assert len(json.loads(job.result_file.read())) == 5


# Import


def test_when_a_file_is_imported_then_the_job_counts_every_row_and_the_page_links_the_projects(
    as_innovator, innovator, home_municipality
):
    upload = csv_upload([HEADER, row("Varm mat"), row("Fallsensor"), row("Trygghetsalarm")])
    response = as_innovator.post(IMPORT_URL, {"organisation": "oygarden", "file": upload}, **EN)
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/oppgaver/{job.pk}/"
    assert (job.kind, job.status, job.rows_done, job.rows_total, job.params) == (
        "projects.import",
        JobStatus.DONE,
        3,
        3,
        {"organisation": "oygarden"},
    )
    assert not job.input_file  # the uploaded file is not kept
    html = as_innovator.get(response["Location"], **EN).content.decode()
    assert "3 projects were imported for Øygarden kommune." in html
    for project in Project.objects.all():
        assert f'<a class="ds-link" href="/prosjekter/{project.slug}/">{project.title}</a>' in html
    assert '<a class="ds-link" href="/prosjekter/overforing/import/">Back to where you started</a>' in html


def test_when_the_file_cannot_be_read_then_the_job_fails_with_the_reason_and_nothing_is_created(
    as_innovator, home_municipality
):
    upload = SimpleUploadedFile("prosjekter.xlsx", b"not a workbook")
    response = as_innovator.post(IMPORT_URL, {"organisation": "oygarden", "file": upload}, follow=True, **EN)
    job = BackgroundJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert job.problems == ["The Excel file could not be read. Save it as .xlsx and try again."]
    assert "The Excel file could not be read." in response.content.decode()
    assert Project.objects.count() == 0


def test_when_the_nynorsk_user_imports_then_the_problems_are_in_nynorsk(as_innovator, home_municipality):
    upload = csv_upload([HEADER, row("")])
    as_innovator.post(IMPORT_URL, {"organisation": "oygarden", "file": upload}, HTTP_ACCEPT_LANGUAGE="nn")
    job = BackgroundJob.objects.get()
    assert job.language == "nn"
    assert job.problems and job.problems[0].startswith("Rad 2")


# API


def test_when_the_api_starts_an_export_then_it_answers_202_with_the_task_and_its_location(innovator, five):
    auth = _token(innovator)
    response = Client().post("/api/v1/projects/exports?format=csv&sector=culture", **auth)
    assert response.status_code == 202
    job = BackgroundJob.objects.get()
    assert response["Location"] == f"http://testserver/api/v1/tasks/{job.pk}"
    assert response.json()["status"] == "done" and response.json()["rows_total"] == 1
    task = Client().get(response["Location"], **auth).json()
    rows = _csv(b"".join(Client().get(task["file_url"], **auth).streaming_content))
    assert [r["title"] for r in rows] == ["Varm mat"]
    assert Client().post("/api/v1/projects/exports?format=pdf", **auth).status_code == 422
    assert Client().post("/api/v1/projects/exports").status_code == 401


def test_when_the_api_asks_for_commas_then_the_csv_is_split_on_commas_with_a_bom_and_every_field_quoted(
    innovator, five
):
    auth = _token(innovator)
    response = Client().post("/api/v1/projects/exports?format=csv&sector=culture&sep=comma", **auth)
    assert response.status_code == 202
    task = Client().get(response["Location"], **auth).json()
    text = b"".join(Client().get(task["file_url"], **auth).streaming_content).decode("utf-8")
    assert text.startswith('\ufeff"')
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=","))
    assert [r["title"] for r in rows] == ["Varm mat"]
    assert text.splitlines()[1].startswith('"') and '","' in text.splitlines()[1]
    refused = Client().post("/api/v1/projects/exports?format=csv&sep=tab", **auth)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "sep"
    assert BackgroundJob.objects.count() == 1


def test_when_the_api_imports_a_file_then_202_and_the_task_lists_the_created_projects(innovator, home_municipality):
    auth = _token(innovator)
    upload = csv_upload([HEADER, row("Varm mat"), row("Fallsensor")])
    response = Client().post("/api/v1/projects/imports", {"organisation": "oygarden", "file": upload}, **auth)
    assert response.status_code == 202
    body = response.json()
    assert (body["status"], body["rows_done"], body["rows_total"], body["problems"]) == ("done", 2, 2, [])
    assert sorted(c["title"] for c in body["created"]) == ["Fallsensor", "Varm mat"]
    assert Project.objects.count() == 2


def test_when_the_api_import_is_refused_then_the_field_is_named_and_nothing_is_queued(
    innovator, outsider, home_municipality
):
    upload = csv_upload([HEADER, row("Varm mat")], name="prosjekter.txt")
    response = Client().post(
        "/api/v1/projects/imports", {"organisation": "oygarden", "file": upload}, **_token(innovator), **EN
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "file", "message": "Upload a .csv or .xlsx file."}]
    response = Client().post(
        "/api/v1/projects/imports", {"organisation": "finnes-ikke", "file": csv_upload([HEADER])}, **_token(innovator)
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "organisation"
    response = Client().post(
        "/api/v1/projects/imports", {"organisation": "oygarden", "file": csv_upload([HEADER])}, **_token(outsider)
    )
    assert response.status_code == 403
    assert BackgroundJob.objects.count() == 0 and Project.objects.count() == 0


# The real queue


@pytest.mark.django_db(transaction=True)  # the worker manages its own transactions
def test_when_jobs_are_queued_in_the_database_then_the_worker_runs_them_and_the_pages_follow(
    settings, innovator, home_municipality
):
    from django.tasks import task_backends
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    task_backends.__dict__.pop("settings", None)
    try:
        client = Client()
        client.force_login(innovator)
        upload = csv_upload([HEADER, row("Varm mat"), row("Fallsensor"), row("Trygghetsalarm")])
        response = client.post(IMPORT_URL, {"organisation": "oygarden", "file": upload}, **EN)
        job = BackgroundJob.objects.get()
        assert response["Location"] == f"/oppgaver/{job.pk}/"
        assert (job.status, job.rows_done, job.rows_total) == (JobStatus.QUEUED, 0, None)
        assert job.input_file  # kept for the worker
        assert DBTaskResult.objects.count() == 1 and Project.objects.count() == 0
        waiting = client.get(response["Location"], **EN).content.decode()
        assert "<strong>Waiting to start</strong>" in waiting and 'hx-trigger="every 2s"' in waiting
        assert "Update the page to see how far it has come" in waiting
        call_command("db_worker", "--batch", "--no-startup-delay")
        job.refresh_from_db()
        assert (job.status, job.rows_done, job.rows_total) == (JobStatus.DONE, 3, 3)
        assert not job.input_file
        assert DBTaskResult.objects.get().status == "SUCCESSFUL"
        assert sorted(Project.objects.values_list("title", flat=True)) == ["Fallsensor", "Trygghetsalarm", "Varm mat"]
        done = client.get(response["Location"], **EN).content.decode()
        assert "3 projects were imported for Øygarden kommune." in done and "hx-trigger" not in done
        # An export through the API, queued and then run by the worker.
        auth = _token(innovator)
        accepted = Client().post("/api/v1/projects/exports?format=json", **auth)
        assert accepted.status_code == 202 and accepted.json()["status"] == "queued"
        call_command("db_worker", "--batch", "--no-startup-delay")
        task = Client().get(accepted["Location"], **auth).json()
        assert (task["status"], task["rows_done"], task["rows_total"]) == ("done", 3, 3)
        file = Client().get(task["file_url"], **auth)
        assert len(json.loads(b"".join(file.streaming_content))) == 3
    finally:
        task_backends.__dict__.pop("settings", None)


@pytest.mark.django_db(transaction=True)  # the worker manages its own transactions
def test_when_a_visitors_export_is_queued_then_the_worker_runs_it_and_only_their_session_sees_it(settings, five):
    from django.tasks import task_backends
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.BACKGROUND_EXPORT_THRESHOLD = 3
    task_backends.__dict__.pop("settings", None)
    try:
        visitor, stranger = Client(), Client()
        response = visitor.get("/prosjekter/overforing/eksport.json", **EN)
        job = BackgroundJob.objects.get()
        assert response["Location"] == f"/oppgaver/{job.pk}/"
        assert (job.owner, job.status, DBTaskResult.objects.count()) == (None, JobStatus.QUEUED, 1)
        waiting = visitor.get(response["Location"], **EN).content.decode()
        assert "<strong>Waiting to start</strong>" in waiting and 'hx-trigger="every 2s"' in waiting
        assert stranger.get(response["Location"]).status_code == 404
        call_command("db_worker", "--batch", "--no-startup-delay")
        job.refresh_from_db()
        assert (job.status, job.rows_done, job.rows_total) == (JobStatus.DONE, 4, 4)
        fragment = visitor.get(f"{response['Location']}?fragment=status", HTTP_HX_REQUEST="true", **EN)
        assert fragment.status_code == 286 and "4 projects exported." in fragment.content.decode()
        download = visitor.get(f"/oppgaver/{job.pk}/fil/")
        assert sorted(p["title"] for p in json.loads(b"".join(download.streaming_content))) == [
            "Digital skoleskyss",
            "Fallsensor",
            "Trygghetsalarm",
            "Varm mat",
        ]
        for path in (f"/oppgaver/{job.pk}/", f"/oppgaver/{job.pk}/fil/", f"/oppgaver/{job.pk}/?fragment=status"):
            refused = stranger.get(path)
            assert refused.status_code == 404 and b"Fallsensor" not in refused.content, path
    finally:
        task_backends.__dict__.pop("settings", None)
