"""The notice import as a background job: the XML safety and the all-or-nothing rule hold through the job, every
problem is reported with its place (the first 500 listed, all counted), and only operators' jobs import."""

import io
import json
from pathlib import Path

import pytest
from django.utils import translation

from nyskap.core.jobs.models import JobStatus
from nyskap.procurement import jobs
from nyskap.procurement.models import ImportRun, Notice

from .test_pages import upload

FIXTURES = Path(__file__).parent / "fixtures"

pytestmark = pytest.mark.django_db


def test_a_billion_laughs_document_fails_the_job_without_expanding_anything(as_operator):
    response = upload(as_operator, FIXTURES / "malformed" / "billion-laughs.xml", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    page = as_operator.get(response.url, HTTP_ACCEPT_LANGUAGE="en")
    job = page.context["job"]
    assert job.status == JobStatus.FAILED
    assert job.report["problems"] == [
        "billion-laughs.xml, notice 1, field xml: The document declares a DTD or entities, which are not accepted."
    ]
    assert not ImportRun.objects.exists() and not Notice.objects.exists()


def test_more_problems_than_are_kept_are_all_counted(as_operator, tmp_path):
    releases = [{"id": str(number), "date": "yesterday"} for number in range(1, 503)]
    path = tmp_path / "many.json"
    path.write_text(json.dumps({"releases": releases}))
    response = upload(as_operator, path, HTTP_ACCEPT_LANGUAGE="en")
    page = as_operator.get(response.url, HTTP_ACCEPT_LANGUAGE="en")
    job = page.context["job"]
    assert (job.status, job.rows_done, job.rows_total) == (JobStatus.FAILED, 502, 502)
    assert len(job.report["problems"]) == 500
    assert (
        job.report["problems"][0]
        == "many.json, notice 1, field releases.0.date: “yesterday” is not a date (YYYY-MM-DD)."
    )
    assert job.report["summary"] == "502 problems in all; the first 500 are listed."
    assert "502 problems in all; the first 500 are listed." in page.content.decode()
    assert not Notice.objects.exists()


def test_a_job_of_someone_who_is_not_an_operator_imports_nothing(outsider):
    data = (FIXTURES / "ocds" / "release-package.json").read_bytes()
    with translation.override("en"):
        job = jobs.import_start(actor=outsider, upload=io.BytesIO(data), filename="release-package.json")
    assert job.status == JobStatus.FAILED
    assert job.report["problems"] == ["Only operators can import procurement notices."]
    assert not ImportRun.objects.exists() and not Notice.objects.exists()


def test_a_file_level_problem_has_no_position(as_operator, tmp_path):
    path = tmp_path / "empty.json"
    path.write_text('{"releases": []}')
    response = upload(as_operator, path, HTTP_ACCEPT_LANGUAGE="en")
    job = as_operator.get(response.url).context["job"]
    assert job.report["problems"] == ["empty.json, field releases: No releases: not an OCDS release package."]
    assert (job.rows_done, job.rows_total) == (1, 1)
