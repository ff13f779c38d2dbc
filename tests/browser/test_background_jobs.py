"""A project import in the system Chromium, queued for a real database worker: the browser lands on the progress
page, which says it waits; when the worker has run, htmx updates the page to done with the imported projects (no
reload), in a live region; axe-core finds nothing at 320 and 1280 px, and the page does not scroll sideways."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from nyskap.core.jobs.models import BackgroundJob, JobStatus
from nyskap.projects.models import Project

from ..helpers import browser_language, login_browser_as, run_axe
from ..projects.factories import NEED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _csv_file(tmp_path, titles: list[str]):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["title", *NEED])
    for title in titles:
        writer.writerow([title, *NEED.values()])
    path = tmp_path / "prosjekter.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


@pytest.fixture
def database_queue(settings):
    from django.tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    task_backends.__dict__.pop("settings", None)
    yield
    task_backends.__dict__.pop("settings", None)


def test_when_an_import_is_started_then_the_progress_page_follows_the_worker_to_done(
    page, live_server, innovator, home_municipality, tmp_path, database_queue
):
    login_browser_as(page, live_server, innovator)
    browser_language(page.context, live_server)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_server.url + "/prosjekter/overforing/import/")
    page.get_by_label("File", exact=True).set_input_files(_csv_file(tmp_path, ["Varm mat", "Fallsensor"]))
    page.get_by_role("button", name="Check and import").click()
    job = BackgroundJob.objects.get()
    expect(page).to_have_url(f"{live_server.url}/oppgaver/{job.pk}/")
    status = page.get_by_role("status")
    expect(status).to_contain_text("Waiting to start")
    assert status.get_attribute("aria-live") == "polite"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert run_axe(page) == []

    call_command("db_worker", "--batch", "--no-startup-delay")
    assert BackgroundJob.objects.get().status == JobStatus.DONE
    # htmx asks again within two seconds and shows the result without a reload.
    expect(status).to_contain_text("Done", timeout=10_000)
    expect(status).to_contain_text("2 of 2 rows")
    expect(status).to_contain_text("2 projects were imported for Øygarden kommune.")
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "2")
    for project in Project.objects.all():
        expect(status.get_by_role("link", name=project.title)).to_have_attribute("href", f"/prosjekter/{project.slug}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert run_axe(page) == []
    page.set_viewport_size({"width": 1280, "height": 800})
    assert run_axe(page) == []
    # Once done, the page stops asking (htmx's 286): no request is sent in the next three seconds.
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.wait_for_timeout(3000)
    assert [url for url in requests if "/oppgaver/" in url] == []
