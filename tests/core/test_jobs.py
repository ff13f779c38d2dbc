"""Background jobs: the progress page (htmx polling while running, a plain reload without JavaScript), the owner's
list, the result file and the task resource in the API — for the owner only; to anyone else a job does not exist."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from nyskap.api.models import ApiToken
from nyskap.core.jobs import registry
from nyskap.core.jobs.models import BackgroundJob, JobStatus
from nyskap.core.jobs.services import job_start, jobs_purge
from tests.helpers import EN

pytestmark = pytest.mark.django_db

CALLS: list[str] = []


def _counting(job, progress):
    """A test job: 5 rows, a small text file."""
    progress.set_total(5)
    for _row in range(5):
        progress.advance()
    CALLS.append(str(job.pk))
    return registry.JobOutput(content=b"a;b\n1;2\n", filename="tall.csv", content_type="text/csv", report={})


def _refusing(job, progress):
    progress.set_total(2)
    progress.advance(2)
    return registry.JobOutput(report={"problems": ["Row 2, column title: This field is required."]}, failed=True)


def _breaking(job, progress):
    raise RuntimeError("secret internals")


registry.register("tests.counting", _counting)
registry.register("tests.refusing", _refusing)
registry.register("tests.breaking", _breaking)


def _token(user) -> dict[str, str]:
    _t, raw = ApiToken.issue(user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _queued(owner, **fields) -> BackgroundJob:
    """A job as it looks while a worker has not finished it."""
    values = {"kind": "tests.counting", "title": "Eksport av prosjekter", "expires_at": timezone.now()}
    values["expires_at"] += datetime.timedelta(days=7)
    values.update(fields)
    return BackgroundJob.objects.create(owner=owner, **values)


def test_when_a_job_is_started_with_the_immediate_backend_then_it_is_done_with_its_counts_and_file(innovator):
    job = job_start(owner=innovator, kind="tests.counting", title="Tall")
    assert (job.status, job.rows_done, job.rows_total, job.percent) == (JobStatus.DONE, 5, 5, 100)
    assert job.result_file.read() == b"a;b\n1;2\n"
    assert (job.result_name, job.result_type) == ("tall.csv", "text/csv")
    assert job.started_at is not None and job.finished_at is not None
    assert job.expires_at == job.finished_at + datetime.timedelta(days=7)
    assert CALLS[-1] == str(job.pk)


def test_when_a_job_is_run_twice_then_the_second_run_does_nothing(innovator):
    from nyskap.core.jobs.services import job_run

    job = job_start(owner=innovator, kind="tests.counting", title="Tall")
    calls = len(CALLS)
    assert job_run(str(job.pk)) == "skipped"
    assert len(CALLS) == calls


def test_when_a_job_breaks_then_it_fails_with_a_sentence_and_no_internals(as_innovator, innovator):
    job = job_start(owner=innovator, kind="tests.breaking", title="Brekker")
    assert (job.status, job.error) == (JobStatus.FAILED, "error")
    html = as_innovator.get(f"/oppgaver/{job.pk}/", **EN).content.decode()
    assert "Something went wrong, and the work was not finished." in html
    assert "secret internals" not in html


def test_when_a_running_job_is_opened_then_the_page_polls_every_2s_and_says_rows_done_of_rows(as_innovator, innovator):
    job = _queued(innovator, status=JobStatus.RUNNING, rows_done=1200, rows_total=4000)
    response = as_innovator.get(f"/oppgaver/{job.pk}/", **EN)
    assert response.status_code == 200
    html = response.content.decode()
    status = re.search(r'<div id="job-status"[^>]*>', html).group(0)
    assert 'role="status"' in status and 'aria-live="polite"' in status
    assert f'hx-get="/oppgaver/{job.pk}/?fragment=status"' in status and 'hx-trigger="every 2s"' in status
    assert "1200 of 4000 rows" in html
    assert 'max="4000" value="1200"' in html
    assert "30 %" in html  # the progress element's own text
    # Without JavaScript: no meta refresh; a link reloads the page, and a reload shows the new count.
    assert 'http-equiv="refresh"' not in html
    assert f'href="/oppgaver/{job.pk}/"' in html
    BackgroundJob.objects.filter(pk=job.pk).update(rows_done=3000)
    assert "3000 of 4000 rows" in as_innovator.get(f"/oppgaver/{job.pk}/", **EN).content.decode()
    assert response["Cache-Control"].startswith("max-age=0")


def test_when_htmx_asks_for_the_fragment_then_it_gets_the_status_and_polling_stops_once_finished(
    as_innovator, innovator
):
    job = _queued(innovator, status=JobStatus.RUNNING, rows_done=10, rows_total=20)
    url = f"/oppgaver/{job.pk}/?fragment=status"
    response = as_innovator.get(url, HTTP_HX_REQUEST="true", **EN)
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "10 of 20 rows" in fragment and "<html" not in fragment
    BackgroundJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE, rows_done=20)
    response = as_innovator.get(url, HTTP_HX_REQUEST="true", **EN)
    assert response.status_code == 286  # htmx's "stop polling"
    assert "Done" in response.content.decode()


def test_when_a_done_job_is_opened_without_javascript_then_the_page_shows_done_and_the_download_link(
    as_innovator, innovator
):
    job = job_start(owner=innovator, kind="tests.counting", title="Tall")
    response = as_innovator.get(f"/oppgaver/{job.pk}/", **EN)
    html = response.content.decode()
    assert "<strong>Done</strong>" in html
    assert "5 of 5 rows" in html
    assert f'<a class="ds-link job-download" href="/oppgaver/{job.pk}/fil/">Download tall.csv</a>' in html
    assert "hx-trigger" not in html  # finished: nothing polls
    download = as_innovator.get(f"/oppgaver/{job.pk}/fil/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="tall.csv"'
    assert b"".join(download.streaming_content) == b"a;b\n1;2\n"


def test_when_an_import_job_has_problems_then_the_page_lists_them(as_innovator, innovator):
    job = job_start(owner=innovator, kind="tests.refusing", title="Import")
    html = as_innovator.get(f"/oppgaver/{job.pk}/", **EN).content.decode()
    assert job.status == JobStatus.FAILED
    assert "The file has 1 problem. Nothing was imported." in html
    assert "Row 2, column title: This field is required." in html
    assert "/fil/" not in html


def test_when_someone_else_asks_for_a_job_then_page_fragment_file_and_api_all_say_404(as_outsider, outsider, innovator):
    job = job_start(owner=innovator, kind="tests.counting", title="Tall")
    for path in (f"/oppgaver/{job.pk}/", f"/oppgaver/{job.pk}/?fragment=status", f"/oppgaver/{job.pk}/fil/"):
        assert as_outsider.get(path).status_code == 404, path
    assert "Tall" not in as_outsider.get("/oppgaver/").content.decode()
    auth = _token(outsider)
    assert Client().get(f"/api/v1/tasks/{job.pk}", **auth).status_code == 404
    assert Client().get(f"/api/v1/tasks/{job.pk}/file", **auth).status_code == 404
    assert Client().get(f"/api/v1/tasks/{job.pk}").status_code == 401


def test_when_anonymous_asks_for_a_users_job_then_it_does_not_exist_and_the_list_needs_login(innovator):
    job = job_start(owner=innovator, kind="tests.counting", title="Tall")
    response = Client().get("/oppgaver/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    for path in (f"/oppgaver/{job.pk}/", f"/oppgaver/{job.pk}/fil/"):
        response = Client().get(path)
        assert response.status_code == 404 and b"a;b" not in response.content, path


def test_when_a_visitors_job_is_asked_for_by_another_session_or_a_user_then_it_does_not_exist(innovator, as_innovator):
    visitor = Client()
    visitor.get("/")
    session = visitor.session
    session["background_job_visitor"] = "k" * 43
    session.save()
    job = job_start(owner=None, visitor="k" * 43, kind="tests.counting", title="Tall")
    assert (job.owner, job.status) == (None, JobStatus.DONE)
    assert visitor.get(f"/oppgaver/{job.pk}/").status_code == 200
    download = visitor.get(f"/oppgaver/{job.pk}/fil/")
    assert (download.status_code, b"".join(download.streaming_content)) == (200, b"a;b\n1;2\n")
    for other in (Client(), as_innovator):
        for path in (f"/oppgaver/{job.pk}/", f"/oppgaver/{job.pk}/fil/"):
            response = other.get(path)
            assert response.status_code == 404 and b"a;b" not in response.content, path
    # Not through the API either: a token belongs to a user, and the job to no user.
    assert as_innovator.get(f"/api/v1/tasks/{job.pk}", **_token(innovator)).status_code == 404
    # A job belongs to a user or to a visitor's session, never to both or neither.
    with pytest.raises(ValueError):
        job_start(owner=None, kind="tests.counting", title="Tall")
    with pytest.raises(ValueError):
        job_start(owner=innovator, visitor="k" * 43, kind="tests.counting", title="Tall")


def test_when_a_job_has_no_file_or_the_id_is_unknown_then_404(as_innovator, innovator):
    job = job_start(owner=innovator, kind="tests.refusing", title="Import")
    assert as_innovator.get(f"/oppgaver/{job.pk}/fil/").status_code == 404
    assert as_innovator.get("/oppgaver/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert as_innovator.get("/oppgaver/ikke-en-id/").status_code == 404


def test_when_the_owner_lists_jobs_then_they_see_their_own_with_status_and_counts(as_innovator, innovator, outsider):
    done = job_start(owner=innovator, kind="tests.counting", title="Tall")
    _queued(outsider, title="Andres jobb")
    html = as_innovator.get("/oppgaver/", **EN).content.decode()
    assert f'href="/oppgaver/{done.pk}/">Tall</a> – Done, 5 of 5 rows' in html
    assert "Andres jobb" not in html


def test_when_a_job_has_expired_then_it_is_gone_and_purge_deletes_it_with_its_file(as_innovator, innovator):
    job = job_start(owner=innovator, kind="tests.counting", title="Tall")
    name = job.result_file.name
    storage = job.result_file.storage
    assert storage.exists(name)
    BackgroundJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert as_innovator.get(f"/oppgaver/{job.pk}/").status_code == 404
    assert as_innovator.get(f"/oppgaver/{job.pk}/fil/").status_code == 404
    kept = job_start(owner=innovator, kind="tests.counting", title="Ny")
    assert jobs_purge() == 1
    assert list(BackgroundJob.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not storage.exists(name)


def test_when_an_uploaded_input_has_been_used_then_it_is_deleted(innovator):
    job = job_start(
        owner=innovator, kind="tests.counting", title="Tall", upload=ContentFile(b"x"), upload_name="../inn.csv"
    )
    assert job.status == JobStatus.DONE and not job.input_file
    assert job.input_name == "../inn.csv"


def test_when_the_owner_asks_the_api_then_the_task_has_status_progress_and_the_file(innovator):
    job = job_start(owner=innovator, kind="tests.counting", title="Tall")
    auth = _token(innovator)
    response = Client().get(f"/api/v1/tasks/{job.pk}", **auth)
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("id", "kind", "status", "rows_done", "rows_total", "percent", "file_name")} == {
        "id": str(job.pk),
        "kind": "tests.counting",
        "status": "done",
        "rows_done": 5,
        "rows_total": 5,
        "percent": 100,
        "file_name": "tall.csv",
    }
    assert body["file_url"] == f"http://testserver/api/v1/tasks/{job.pk}/file"
    assert body["page_url"] == f"http://testserver/oppgaver/{job.pk}/"
    file = Client().get(body["file_url"], **auth)
    assert file.status_code == 200 and b"".join(file.streaming_content) == b"a;b\n1;2\n"


def test_when_a_queued_task_is_asked_for_then_it_has_no_file_yet(innovator):
    job = _queued(innovator)
    auth = _token(innovator)
    body = Client().get(f"/api/v1/tasks/{job.pk}", **auth).json()
    assert (body["status"], body["rows_total"], body["percent"], body["file_url"]) == ("queued", None, None, None)
    assert Client().get(f"/api/v1/tasks/{job.pk}/file", **auth).status_code == 404


def test_when_a_job_counts_inside_one_transaction_then_its_page_and_the_api_show_the_counts_from_the_cache(
    as_innovator, innovator, monkeypatch
):
    """An import that writes all or nothing counts inside its transaction, where nobody else sees its row change: the
    cache carries the counts to the page and the API while it runs; a finished job shows its row; a cache that is
    down leaves the row's counts, not an error."""
    from django.core.cache import cache

    from nyskap.core.jobs import progress as progress_module

    monkeypatch.setattr(progress_module, "WRITE_EVERY_SECONDS", 0)
    job = _queued(innovator, status=JobStatus.RUNNING)
    progress = progress_module.Progress(job)
    progress.set_total(10)
    for _row in range(3):
        progress.advance()
    # What another connection sees before the transaction ends: the row as it was.
    BackgroundJob.objects.filter(pk=job.pk).update(rows_done=0, rows_total=10)
    assert "3 of 10 rows" in as_innovator.get(f"/oppgaver/{job.pk}/", **EN).content.decode()
    task = Client().get(f"/api/v1/tasks/{job.pk}", **_token(innovator)).json()
    assert (task["rows_done"], task["rows_total"], task["percent"]) == (3, 10, 30)

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", down)
    assert "0 of 10 rows" in as_innovator.get(f"/oppgaver/{job.pk}/", **EN).content.decode()
    monkeypatch.undo()
    BackgroundJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE, rows_done=10)
    assert "10 of 10 rows" in as_innovator.get(f"/oppgaver/{job.pk}/", **EN).content.decode()
