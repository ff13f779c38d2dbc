"""Uploading a round's sampling frame, as a background job started from the round's page: all or nothing, every
problem in the job's report with its row and column; what needs no file (the form, the round in draft) is refused on
the page, and nothing is queued."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from nyskap.barometer import jobs, services
from nyskap.barometer.models import RoundStatus, Workplace
from nyskap.core.jobs.models import BackgroundJob, JobStatus

from ..helpers import EN, field_error
from .factories import barometer_round, fielded_round, frame_csv, workplaces

pytestmark = pytest.mark.django_db

BAD = [
    *workplaces(1),
    ("X", "harbour", "municipality", "10-49", "Vestland", "3", "not-an-address", "nb"),
    ("", "health_care", "municipality", "huge", "Vestland", "9", "", ""),
]


def post(client, round, rows, **extra):
    upload = SimpleUploadedFile("ramme.csv", frame_csv(rows).getvalue(), content_type="text/csv")
    return client.post(f"/barometer/{round.pk}/ramme/", {"file": upload}, **extra)


def job_of(response):
    """The one job queued, which the answer sends the user to (the test settings run it at once)."""
    job = BackgroundJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/oppgaver/{job.pk}/"
    return job


@pytest.fixture
def draft(innovator, home_municipality):
    return barometer_round(innovator, home_municipality)


def test_when_a_good_frame_is_posted_then_the_job_replaces_the_frame_and_drops_the_sample(
    draft, as_innovator, innovator
):
    services.frame_upload(actor=innovator, round=draft, upload=frame_csv(workplaces(3, "education")), filename="f.csv")
    services.sample_draw(actor=innovator, round=draft, size=None, seed=7)
    rows = [*workplaces(12), ("", "", "", "", "", "", "", ""), *workplaces(8, "culture")]
    response = post(as_innovator, draft, rows, **EN)
    job = job_of(response)
    assert (job.kind, job.status, job.owner, job.params) == (
        "barometer.frame_upload",
        JobStatus.DONE,
        innovator,
        {"round": draft.pk},
    )
    assert (job.rows_done, job.rows_total) == (21, 21)  # every row below the header, the blank one too
    assert not job.input_file  # the uploaded file is not kept
    assert job.report["summary"] == "20 workplaces were imported into the frame of Barometer 2026."
    sectors = set(Workplace.objects.filter(round=draft).values_list("sector", flat=True))
    assert (Workplace.objects.filter(round=draft).count(), sectors) == (20, {"culture", "health_care"})
    draft.refresh_from_db()
    assert (draft.status, draft.seed, draft.sample_size) == (RoundStatus.DRAFT, None, None)
    html = as_innovator.get(response["Location"], **EN).content.decode()
    assert "20 workplaces were imported into the frame of Barometer 2026." in html
    assert f'<a class="ds-link" href="/barometer/{draft.pk}/">Round: Barometer 2026</a>' in html
    assert f'<a class="ds-link" href="/barometer/{draft.pk}/">Back to where you started</a>' in html


def test_when_a_bad_frame_is_posted_then_nothing_is_imported_and_the_report_names_every_row_and_column(
    draft, as_innovator, innovator
):
    services.frame_upload(actor=innovator, round=draft, upload=frame_csv(workplaces(2)), filename="f.csv")
    response = post(as_innovator, draft, BAD, **EN)
    job = job_of(response)
    assert job.status == JobStatus.FAILED
    assert job.problems == [
        "Row 3, column email: Enter a valid e-mail address.",
        "Row 3, column sector: “harbour” is not one of the options.",
        "Row 4, column centrality: “9” is not one of the options.",
        "Row 4, column name: This field is required.",
        "Row 4, column size_band: “huge” is not one of the options.",
    ]
    html = as_innovator.get(response["Location"], **EN).content.decode()
    assert "The file has 5 problems. Nothing was imported." in html
    assert "<li>Row 3, column sector: “harbour” is not one of the options.</li>" in html
    assert Workplace.objects.filter(round=draft).count() == 2  # the earlier frame is kept


def test_when_a_bad_frame_is_posted_in_norwegian_then_the_report_is_in_norwegian(draft, as_innovator):
    response = post(as_innovator, draft, [BAD[1]])
    job = job_of(response)
    assert (job.status, job.language) == (JobStatus.FAILED, "nb")
    assert job.problems == [
        "Rad 2, kolonne email: Skriv inn en gyldig e-postadresse.",
        "Rad 2, kolonne sector: «harbour» er ikke ett av alternativene.",
    ]
    html = as_innovator.get(response["Location"]).content.decode()
    assert "Filen har 2 problemer. Ingenting ble importert." in html
    assert not Workplace.objects.filter(round=draft).exists()


def test_when_a_file_with_an_unknown_column_is_posted_then_the_report_names_the_header(draft, as_innovator):
    upload = SimpleUploadedFile("ramme.csv", b"name,sector,fylke\nA,health_care,Vestland\n", content_type="text/csv")
    job = job_of(as_innovator.post(f"/barometer/{draft.pk}/ramme/", {"file": upload}, **EN))
    assert job.status == JobStatus.FAILED
    assert job.problems == [
        "Row 1, column fylke: There is no such column.",
        "Row 1, column org_type: This required column is missing.",
        "Row 1, column size_band: This required column is missing.",
        "Row 1, column county: This required column is missing.",
        "Row 1, column centrality: This required column is missing.",
    ]


def test_when_the_form_is_bad_or_the_round_is_past_draft_then_the_page_refuses_and_nothing_is_queued(
    draft, as_innovator, innovator, home_municipality
):
    response = as_innovator.post(f"/barometer/{draft.pk}/ramme/", {}, **EN)
    assert response.status_code == 422
    assert field_error(response.content.decode(), "file") == "This field is required."
    fielded = fielded_round(innovator, home_municipality, workplaces(6))
    response = post(as_innovator, fielded, workplaces(12), **EN)
    assert response.status_code == 422
    # A round past draft has no frame form: the refusal is shown at the top of its page.
    assert '<p class="ds-paragraph">Only a round in draft can change its frame or sample.</p>' in (
        response.content.decode()
    )
    assert BackgroundJob.objects.count() == 0
    assert Workplace.objects.filter(round=fielded).count() == 6
    fielded.refresh_from_db()
    assert fielded.status == RoundStatus.FIELDWORK


def test_when_an_outsider_or_a_member_who_is_no_editor_posts_then_it_is_refused_and_nothing_is_queued(
    draft, as_outsider, as_colleague
):
    # The round's pages are its owner's editors' alone: to anyone else the round does not exist (404), as everywhere
    # in the barometer (test_pages.py).
    assert post(as_outsider, draft, workplaces(6)).status_code == 404
    assert post(as_colleague, draft, workplaces(6)).status_code == 404
    assert BackgroundJob.objects.count() == 0
    assert not Workplace.objects.filter(round=draft).exists()


def test_when_the_round_has_moved_on_before_the_job_runs_then_the_job_refuses(innovator, home_municipality):
    round = fielded_round(innovator, home_municipality, workplaces(6))
    job = jobs.frame_upload_start(actor=innovator, round=round, upload=frame_csv(workplaces(12)), filename="f.csv")
    assert job.status == JobStatus.FAILED
    assert job.problems == ["Only a round in draft can change its frame or sample."]
    assert Workplace.objects.filter(round=round).count() == 6


def test_when_the_job_runs_for_someone_who_cannot_edit_the_round_then_the_job_refuses(draft, colleague):
    job = jobs.frame_upload_start(actor=colleague, round=draft, upload=frame_csv(workplaces(6)), filename="f.csv")
    assert job.status == JobStatus.FAILED
    assert job.problems == ["The round no longer exists, or you can no longer edit it."]
    assert not Workplace.objects.filter(round=draft).exists()
