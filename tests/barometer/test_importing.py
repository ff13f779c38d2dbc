"""Importing earlier microdata with a column mapping, as a background job started from the round's page: all or
nothing, every problem in the job's report with its row and column; what needs no file (the round, its frame, the
mapping) is refused on the form, and nothing is queued."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from nyskap.barometer import jobs, services
from nyskap.barometer.models import RoundStatus
from nyskap.barometer.results import round_results
from nyskap.core.jobs.models import BackgroundJob, JobStatus
from nyskap.surveys.models import EmailDomain

from ..helpers import EN, field_error
from .factories import barometer_round, fielded_round, frame_csv, workplaces

pytestmark = pytest.mark.django_db

MAPPING = (
    "Sektor = sector\nType = org_type\nStr = size_band\nFylke = county\nSentralitet = centrality\n"
    "Innført tjeneste = b1_service\nNyhet = b3_novelty\nTyper = b2_types"
)
GOOD = "health_care;municipality;10-49;Vestland;3;yes;copied;service;x"


def data(rows):
    text = "Sektor;Type;Str;Fylke;Sentralitet;Innført tjeneste;Nyhet;Typer;Kommentar\n" + "\n".join(rows) + "\n"
    return io.BytesIO(text.encode())


def post(client, round, rows, mapping=MAPPING, **extra):
    upload = SimpleUploadedFile("mikrodata.csv", data(rows).getvalue(), content_type="text/csv")
    return client.post(f"/barometer/{round.pk}/importer/", {"import-file": upload, "import-mapping": mapping}, **extra)


def job_of(response):
    """The one job queued, which the answer sends the user to (the test settings run it at once)."""
    job = BackgroundJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/oppgaver/{job.pk}/"
    return job


@pytest.fixture
def draft(innovator, home_municipality):
    services.load_questionnaires()
    round = barometer_round(innovator, home_municipality)
    services.frame_upload(actor=innovator, round=round, upload=frame_csv(workplaces(30)), filename="f.csv")
    return round


def test_when_good_microdata_are_posted_then_the_job_imports_and_weights_them(draft, as_innovator, innovator):
    rows = (
        [GOOD] * 4
        + ["Helse og omsorg;Kommune;10-49;Vestland;3;no;;;", ";;;;;;;;"]
        + ["Helse og omsorg;Kommune;10-49;Vestland;3;no;;;"]
    )
    response = post(as_innovator, draft, rows, **EN)
    job = job_of(response)
    assert (job.kind, job.status, job.owner, job.params) == (
        "barometer.microdata_import",
        JobStatus.DONE,
        innovator,
        {"round": draft.pk, "mapping": MAPPING},
    )
    assert (job.rows_done, job.rows_total) == (7, 7)  # every row below the header, the blank one too
    assert not job.input_file  # the uploaded file is not kept
    draft.refresh_from_db()
    assert draft.status == RoundStatus.CLOSED
    results = round_results(draft)
    assert results.respondents == 6
    copied = next(r for r in results.indicators if r.indicator.key == "b3_novelty.copied")
    assert copied.overall.n == 4
    html = as_innovator.get(response["Location"], **EN).content.decode()
    assert "6 responses were imported into Barometer 2026. The round is closed." in html
    assert f'<a class="ds-link" href="/barometer/{draft.pk}/resultater/">Results: Barometer 2026</a>' in html
    assert f'<a class="ds-link" href="/barometer/{draft.pk}/">Back to where you started</a>' in html


def test_when_a_bad_file_is_posted_then_nothing_is_imported_and_the_report_names_row_and_column(draft, as_innovator):
    rows = [GOOD, "harbour;municipality;10-49;Vestland;3;maybe;copied;nothing;x"]
    job = job_of(post(as_innovator, draft, rows, **EN))
    assert job.status == JobStatus.FAILED
    assert job.problems == ["Row 3, column Sektor: “harbour” is not one of the options."]
    BackgroundJob.objects.all().delete()
    rows[1] = "health_care;municipality;10-49;Vestland;3;maybe;copied;nothing;x"
    response = post(as_innovator, draft, rows, **EN)
    job = job_of(response)
    assert job.status == JobStatus.FAILED
    assert job.problems == [
        "Row 3, column Innført tjeneste: Choose one of the options.",
        "Row 3, column Typer: Choose among the options.",
    ]
    html = as_innovator.get(response["Location"], **EN).content.decode()
    assert "The file has 2 problems. Nothing was imported." in html
    assert "<li>Row 3, column Innført tjeneste: Choose one of the options.</li>" in html
    draft.refresh_from_db()
    assert draft.status == RoundStatus.DRAFT and draft.survey_round is None


def test_when_a_bad_file_is_posted_in_norwegian_then_the_report_is_in_norwegian(draft, as_innovator):
    response = post(as_innovator, draft, ["harbour;municipality;10-49;Vestland;3;yes;copied;service;x"] * 2)
    job = job_of(response)
    assert (job.status, job.language) == (JobStatus.FAILED, "nb")
    assert job.problems == [
        "Rad 2, kolonne Sektor: «harbour» er ikke ett av alternativene.",
        "Rad 3, kolonne Sektor: «harbour» er ikke ett av alternativene.",
    ]
    html = as_innovator.get(response["Location"]).content.decode()
    assert "Filen har 2 problemer. Ingenting ble importert." in html


def test_when_the_mapping_is_bad_then_it_is_refused_on_the_form_and_nothing_is_queued(draft, as_innovator):
    response = post(as_innovator, draft, [GOOD], mapping="Sektor = sector", **EN)
    assert response.status_code == 422
    assert field_error(response.content.decode(), "import-mapping") == (
        "Map a column to every breakdown variable (missing: org_type, size_band, county, centrality)."
    )
    assert BackgroundJob.objects.count() == 0


def test_when_the_round_has_no_frame_or_is_past_draft_then_the_form_refuses_and_nothing_is_queued(
    as_innovator, innovator, home_municipality
):
    services.load_questionnaires()
    empty = barometer_round(innovator, home_municipality)
    response = post(as_innovator, empty, [GOOD], **EN)
    assert response.status_code == 422
    assert field_error(response.content.decode(), "import-file") == "Upload the frame first."
    fielded = fielded_round(innovator, home_municipality, workplaces(6))
    response = post(as_innovator, fielded, [GOOD], **EN)
    assert response.status_code == 422
    # A round past draft has no import form: the refusal is shown at the top of its page.
    assert '<p class="ds-paragraph">Only a round in draft can change its frame or sample.</p>' in (
        response.content.decode()
    )
    assert BackgroundJob.objects.count() == 0
    empty.refresh_from_db()
    fielded.refresh_from_db()
    assert (empty.status, fielded.status) == (RoundStatus.DRAFT, RoundStatus.FIELDWORK)


def test_when_an_outsider_or_a_member_who_is_no_editor_posts_then_it_is_refused_and_nothing_is_queued(
    draft, as_outsider, as_colleague
):
    # The round's pages are its owner's editors' alone: to anyone else the round does not exist (404), as everywhere
    # in the barometer (test_pages.py).
    assert post(as_outsider, draft, [GOOD] * 6).status_code == 404
    assert post(as_colleague, draft, [GOOD] * 6).status_code == 404
    assert BackgroundJob.objects.count() == 0
    draft.refresh_from_db()
    assert draft.status == RoundStatus.DRAFT and draft.survey_round is None


def test_when_the_round_has_moved_on_before_the_job_runs_then_the_job_refuses(draft, innovator, home_municipality):
    EmailDomain.objects.create(organisation=home_municipality, domain="oygarden.kommune.no")
    services.sample_draw(actor=innovator, round=draft, size=None, seed=1)
    services.fieldwork_start(actor=innovator, round=draft, closes_on=draft.period_end.replace(year=2027))
    job = jobs.microdata_import_start(
        actor=innovator, round=draft, upload=data([GOOD] * 6), filename="m.csv", mapping_text=MAPPING
    )
    assert job.status == JobStatus.FAILED
    assert job.problems == ["Only a round in draft can change its frame or sample."]
    draft.refresh_from_db()
    assert draft.status == RoundStatus.FIELDWORK


def test_when_there_are_more_answers_than_the_frame_has_then_nothing_is_imported(
    as_innovator, innovator, home_municipality
):
    services.load_questionnaires()
    round = barometer_round(innovator, home_municipality)
    services.frame_upload(actor=innovator, round=round, upload=frame_csv(workplaces(2)), filename="f.csv")
    job = job_of(post(as_innovator, round, [GOOD] * 3, **EN))
    assert job.status == JobStatus.FAILED
    assert job.problems == ["Row 0: The stratum “health_care” has 3 answers but 2 workplaces in the frame."]
    round.refresh_from_db()
    assert round.status == RoundStatus.DRAFT and round.survey_round is None


def test_when_a_county_is_in_another_case_then_it_is_the_frames_county(draft, as_innovator):
    rows = ["health_care;municipality;10-49;VESTLAND;3;yes;copied;service;x"] * 3
    rows += ["health_care;municipality;10-49;vestland ;3;no;;;"] * 3
    job = job_of(post(as_innovator, draft, rows, **EN))
    assert job.status == JobStatus.DONE
    assert job.report["summary"] == "6 responses were imported into Barometer 2026. The round is closed."
    draft.refresh_from_db()
    counties = next(r for r in round_results(draft).indicators if r.indicator.key == "innovation_rate").breakdowns
    assert [(f.group, f.n) for f in counties["county"]] == [("Vestland", 6)]
