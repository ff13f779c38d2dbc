"""An exported plan, edited in the spreadsheet and imported back, becomes the plan's next version (the rule of "Start
a new version": from the current version once it is submitted): the same content and net present value in a round
trip, every problem by sheet, row and column and no version added for a broken file, and nothing for outsiders —
in the service, on the page and in the API."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from nyskap.api.models import ApiToken
from nyskap.benefits import selectors, services, transfer
from nyskap.benefits.models import BenefitPlan, PlanStatus
from nyskap.core.jobs.models import BackgroundJob, JobStatus
from nyskap.core.spreadsheets import XLSX_TYPE
from nyskap.core.visibility import Visibility

from ..projects.factories import make_project
from .factories import hand_worked_plan
from .test_import import _content, _counts, _edited, _export, _upload, empty_project, full_plan  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(request):
    """The full plan of the first import's tests, a draft."""
    return request.getfixturevalue("full_plan")


@pytest.fixture
def submitted(draft, innovator, colleague):
    """The full plan, submitted: its one benefit without an owner and an indicator is given them first."""
    draft.benefits.filter(owner=None).update(owner=colleague)
    draft.benefits.filter(indicator="").update(indicator="Tilfredshet")
    return services.plan_submit(plan=draft, actor=innovator)


def _versions(plan: BenefitPlan) -> list[tuple[int, str, bool]]:
    return list(
        BenefitPlan.objects.filter(project=plan.project)
        .order_by("version")
        .values_list("version", "status", "is_current")
    )


def _spoil(workbook: Workbook) -> None:
    workbook["data-amounts"]["C2"] = "mye"
    workbook["data-costs"]["B2"] = "i fjor"
    workbook["data-benefits"]["M3"] = "ukjent@example.no"


SPOILED = {
    ("data-benefits", 3, "owner"): "“ukjent@example.no” is not a member of one of the project's organisations.",
    ("data-amounts", 2, "amount"): "Enter a number.",
    ("data-costs", 2, "year"): "Enter a whole number between 1990 and 2200.",
}


def test_when_an_exported_plan_is_imported_as_a_new_version_then_it_equals_the_export(
    as_innovator, submitted, innovator
):
    original = _content(submitted)
    npv = selectors.plan_context(submitted, user=innovator)["result"].npv
    data = _export(as_innovator, submitted)
    result = transfer.import_plan_version(plan=submitted, actor=innovator, upload=io.BytesIO(data), filename="p.xlsx")
    assert result.problems == []
    new = result.plan
    assert new is not None
    assert (new.project, new.version, new.status, new.is_current) == (submitted.project, 2, "draft", True)
    assert _versions(submitted) == [(1, "submitted", False), (2, "draft", True)]
    assert _content(new) == original
    assert selectors.plan_context(new, user=innovator)["result"].npv == npv
    # The version before is kept as it was (its benefits, amounts, costs and measurements).
    submitted.refresh_from_db()
    assert _content(submitted) == original
    assert selectors.current_plan(innovator, submitted.project) == new


def test_when_the_file_has_problems_then_every_one_is_named_and_no_version_is_added(as_innovator, submitted, innovator):
    data = _edited(_export(as_innovator, submitted), _spoil)
    before = _counts()
    result = transfer.import_plan_version(plan=submitted, actor=innovator, upload=io.BytesIO(data), filename="p.xlsx")
    assert result.plan is None
    assert {(p.sheet, p.row, p.column): p.message for p in result.problems} == SPOILED
    assert _counts() == before
    assert _versions(submitted) == [(1, "submitted", True)]


def test_when_the_plan_is_a_draft_or_the_user_may_not_change_it_then_the_import_is_refused(
    as_innovator,
    draft,
    innovator,
    outsider,
    colleague,
):
    data = _export(as_innovator, draft)
    before = _counts()
    with pytest.raises(services.BenefitError) as refused:
        transfer.import_plan_version(plan=draft, actor=innovator, upload=io.BytesIO(data), filename="p.xlsx")
    assert refused.value.message == "This version is still a draft: change it directly."
    draft.benefits.filter(owner=None).update(owner=colleague)
    draft.benefits.filter(indicator="").update(indicator="Tilfredshet")
    services.plan_submit(plan=draft, actor=innovator)
    for who in (outsider, colleague):
        with pytest.raises(PermissionDenied):
            transfer.import_plan_version(plan=draft, actor=who, upload=io.BytesIO(data), filename="p.xlsx")
    # An earlier version cannot be revised: the rule of "Start a new version".
    services.plan_new_version(plan=draft, actor=innovator)
    draft.refresh_from_db()
    with pytest.raises(services.BenefitError) as earlier:
        transfer.import_plan_version(plan=draft, actor=innovator, upload=io.BytesIO(data), filename="p.xlsx")
    assert earlier.value.message == "Only the current version can be revised."
    assert _counts()["benefits.BenefitPlan"] == before["benefits.BenefitPlan"] + 1  # only the version started


def test_when_the_page_is_used_then_the_new_version_is_made_and_others_are_refused(
    client, as_innovator, as_outsider, as_colleague, submitted
):
    slug = submitted.project.slug
    url = f"/gevinster/prosjekt/{slug}/importer-versjon/"
    data = _export(as_innovator, submitted)
    plan_page = as_innovator.get(f"/gevinster/prosjekt/{slug}/", HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert f'href="{url}">Importer ny versjon fra regneark</a>' in plan_page
    assert url not in as_colleague.get(f"/gevinster/prosjekt/{slug}/").content.decode()
    assert client.get(url)["Location"].startswith("/accounts/login/")
    assert client.post(url, {"file": _upload(data)}).status_code == 302
    assert as_outsider.get(url).status_code == 404  # the project is not visible to an outsider
    assert as_outsider.post(url, {"file": _upload(data)}).status_code == 404
    assert as_colleague.post(url, {"file": _upload(data)}).status_code == 403
    form = as_innovator.get(url, HTTP_ACCEPT_LANGUAGE="nb")
    assert form.status_code == 200
    assert '<h1 class="ds-heading" data-size="lg">Importer ny versjon fra regneark</h1>' in form.content.decode()
    before = _counts()
    jobs_before = BackgroundJob.objects.count()  # the anonymous visitor's post was sent to sign in, no job
    assert jobs_before == 0
    bad = as_innovator.post(url, {"file": _upload(_edited(data, _spoil))}, HTTP_ACCEPT_LANGUAGE="nb", follow=True)
    # The import ran as a background job: the page answers with its progress page, which lists the problems.
    job = BackgroundJob.objects.get()
    assert bad.redirect_chain == [(f"/oppgaver/{job.pk}/", 302)]
    assert (job.kind, job.status, job.params) == (
        "benefits.plan_import_version",
        JobStatus.FAILED,
        {"project": slug, "plan": submitted.pk},
    )
    page = bad.content.decode()
    assert "Filen har 3 problemer. Ingenting ble importert." in page
    assert "Ark «data-costs», rad 2, kolonne year: Skriv et helt tall mellom 1990 og 2200." in page
    assert len(job.problems) == 3
    assert _counts() == before
    assert _versions(submitted) == [(1, "submitted", True)]
    done = as_innovator.post(url, {"file": _upload(data)}, HTTP_ACCEPT_LANGUAGE="nb")
    job = BackgroundJob.objects.get(status=JobStatus.DONE)
    assert done.status_code == 302
    assert done["Location"] == f"/oppgaver/{job.pk}/"
    assert _versions(submitted) == [(1, "submitted", False), (2, "draft", True)]
    assert _content(BenefitPlan.objects.get(project=submitted.project, version=2)) == _content(submitted)
    result = as_innovator.get(done["Location"], HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "Filen er importert som versjon 2, et utkast. Sjekk den og send den inn." in result
    title = submitted.project.title
    assert (
        f'<a class="ds-link" href="/gevinster/prosjekt/{slug}/versjon/2/">'
        f"Gevinstrealiseringsplan for {title}, versjon 2</a>"
    ) in result
    # The new version is a draft: the page sends the editor back to the plan, and adds nothing.
    again = as_innovator.get(url, HTTP_ACCEPT_LANGUAGE="nb")
    assert again["Location"] == f"/gevinster/prosjekt/{slug}/"
    assert as_innovator.post(url, {"file": _upload(data)})["Location"] == f"/gevinster/prosjekt/{slug}/"
    assert _versions(submitted) == [(1, "submitted", False), (2, "draft", True)]


def test_when_a_new_version_is_imported_through_the_api_then_it_answers_as_the_first_import(
    client, as_innovator, submitted, innovator, outsider, colleague, home_municipality
):
    slug = submitted.project.slug
    url = f"/api/v1/benefits/plans/{slug}/versions"
    data = _export(as_innovator, submitted)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=innovator, name='t')[1]}"}
    outsider_auth = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=outsider, name='t')[1]}"}
    colleague_auth = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=colleague, name='t')[1]}"}
    before = _counts()
    assert client.post(url, data, content_type=XLSX_TYPE).status_code == 401
    assert client.post(url, data, content_type=XLSX_TYPE, **outsider_auth).status_code == 404
    refused = client.post(url, data, content_type=XLSX_TYPE, **colleague_auth)
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    assert client.post(url, data, content_type="application/json", **auth).status_code == 415
    assert (
        client.post("/api/v1/benefits/plans/no-such-project/versions", data, content_type=XLSX_TYPE, **auth).status_code
        == 404
    )
    assert BackgroundJob.objects.count() == 0  # the refusals above queued nothing
    bad = client.post(url, _edited(data, _spoil), content_type=XLSX_TYPE, HTTP_ACCEPT_LANGUAGE="nb", **auth)
    assert bad.status_code == 202
    body = bad.json()
    assert (body["kind"], body["status"], body["created"]) == ("benefits.plan_import_version", "failed", [])
    assert sorted(body["problems"]) == [
        "Ark «data-amounts», rad 2, kolonne amount: Skriv inn et tall.",
        "Ark «data-benefits», rad 3, kolonne owner: «ukjent@example.no» er ikke medlem i noen av prosjektets "
        "virksomheter.",
        "Ark «data-costs», rad 2, kolonne year: Skriv et helt tall mellom 1990 og 2200.",
    ]
    not_a_workbook = client.post(url, b"a;b\n1;2\n", content_type=XLSX_TYPE, **auth)
    assert (not_a_workbook.status_code, not_a_workbook.json()["code"], not_a_workbook.json()["errors"][0]["field"]) == (
        422,
        "invalid_file",
        "file",
    )
    broken = client.post(url, b"PK\x03\x04x", content_type=XLSX_TYPE, **auth)
    assert (broken.status_code, broken.json()["status"]) == (202, "failed")
    assert _counts() == before
    created = client.post(url, data, content_type=XLSX_TYPE, **auth)
    assert created.status_code == 202
    task = client.get(created["Location"], **auth).json()
    assert (task["status"], task["problems"], task["created"]) == (
        "done",
        [],
        [
            {
                "title": f"Gevinstrealiseringsplan for {submitted.project.title}, versjon 2",
                "url": f"/gevinster/prosjekt/{slug}/versjon/2/",
            }
        ],
    )
    assert _content(BenefitPlan.objects.get(project=submitted.project, version=2)) == _content(submitted)
    # The current version is now a draft: changed directly, not imported over (409), and nothing is added.
    again = client.post(url, data, content_type=XLSX_TYPE, HTTP_ACCEPT_LANGUAGE="en", **auth)
    assert again.status_code == 409
    assert again.json()["message"] == "This version is still a draft: change it directly."
    assert _versions(submitted) == [(1, "submitted", False), (2, "draft", True)]


def test_when_an_outsider_aims_at_a_public_project_then_no_draft_or_plan_is_revealed(
    client, innovator, outsider, colleague, home_municipality
):
    """A public project with a draft plan, one with a submitted plan and one without: an outsider gets the same
    refusal for each, so the answer tells nothing about the plans."""
    auth = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=outsider, name='t')[1]}"}
    answers = []
    for title, make in (("Utkast", "draft"), ("Innsendt", "submitted"), ("Uten", None)):
        project = make_project(actor=innovator, owner=home_municipality, title=title, visibility=Visibility.PUBLIC)
        if make:
            plan = hand_worked_plan(project=project, actor=innovator, owner=colleague)
            if make == "submitted":
                services.plan_submit(plan=plan, actor=innovator)
        response = client.post(
            f"/api/v1/benefits/plans/{project.slug}/versions", b"PK\x03\x04x", content_type=XLSX_TYPE, **auth
        )
        answers.append((response.status_code, response.json()))
    assert [status for status, _body in answers] == [403, 403, 403]
    assert answers[0][1] == answers[1][1] == answers[2][1]
    assert not BenefitPlan.objects.filter(version__gt=1).exists()
    assert BenefitPlan.objects.filter(status=PlanStatus.SUBMITTED).count() == 1


def test_when_the_job_runs_after_the_rights_or_the_plan_changed_then_it_refuses_and_writes_nothing(
    request, as_innovator, submitted, innovator, outsider, colleague
):
    """The page and the API check before they start the job; the job checks again, as it may run a while later."""
    from nyskap.benefits import jobs

    without_plan = request.getfixturevalue("empty_project")

    data = _export(as_innovator, submitted)
    hidden = jobs.plan_import_start(actor=outsider, project=without_plan, upload=io.BytesIO(data), filename="p.xlsx")
    not_editor = jobs.plan_import_start(
        actor=colleague, project=without_plan, upload=io.BytesIO(data), filename="p.xlsx"
    )
    has_plan = jobs.plan_import_start(
        actor=innovator, project=submitted.project, upload=io.BytesIO(data), filename="p.xlsx"
    )
    services.plan_new_version(plan=submitted, actor=innovator)  # the current version is now a draft
    before = _counts()
    from_draft = jobs.plan_import_version_start(
        actor=innovator, plan=submitted, upload=io.BytesIO(data), filename="p.xlsx"
    )
    answers = [(job.status, job.problems) for job in (hidden, not_editor, has_plan, from_draft)]
    assert answers == [
        (JobStatus.FAILED, ["The project no longer exists, or you can no longer see it."]),
        (JobStatus.FAILED, ["Only the project's authors and editors of its organisations can change its plan."]),
        (
            JobStatus.FAILED,
            ["The project already has a benefit-realisation plan. A plan is imported into a project without one."],
        ),
        (JobStatus.FAILED, ["Only the current version can be revised."]),
    ]
    assert _counts() == before
    assert not BenefitPlan.objects.filter(project=without_plan).exists()
