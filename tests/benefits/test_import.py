"""Import of a benefit-realisation plan from its spreadsheet: the export holds everything needed to rebuild the plan
(round trip, every amount, cost, measurement and parameter, the same net present value), and a bad file gives its
problems by sheet, row and column and writes nothing — on the page, in the API and in the service."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook, load_workbook

from nyskap.api.models import ApiToken
from nyskap.benefits import selectors, services, transfer
from nyskap.benefits.models import BenefitPlan, CostKind
from nyskap.core.jobs.models import BackgroundJob, JobStatus
from nyskap.core.spreadsheets import XLSX_TYPE, SpreadsheetError
from nyskap.core.visibility import Visibility

from ..helpers import EN
from ..projects.factories import make_project
from .factories import hand_worked_plan, make_benefit

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_plan(project, innovator, colleague, other_municipality):
    """Every kind of content: two cost kinds, three benefits (one for a named other body, one with formula-like and
    multi-line text, one abandoned), decimal indicator values, growth, residual value, an example note and
    measurements with and without realised amounts."""
    plan = hand_worked_plan(project=project, actor=innovator, owner=colleague)
    services.plan_update(
        plan=plan,
        actor=innovator,
        rationale="=Middag leveres kald;\n- og sent.",
        goals="Varm mat hver dag.\n\nSe @plan.",
        base_year=2024,
        analysis_years=3,
        real_growth_rate=Decimal("0.008"),
        residual_value=Decimal("12345.67"),
    )
    BenefitPlan.objects.filter(pk=plan.pk).update(is_example=True, example_note="Tall fra hvitboka.")
    services.costs_set(
        plan=plan, actor=innovator, kind=CostKind.OPERATING, amounts={2025: Decimal("100000.55"), 2026: Decimal(7)}
    )
    other = make_benefit(
        plan=plan,
        actor=innovator,
        description="+Sparte timer i Fylket",
        bearer="other_state",
        bearer_organisation=other_municipality,
        realisation_form="reallocation",
        indicator="Timer",
        unit="timer/år",
        baseline_value=Decimal("12.3456"),
        target_value=Decimal("0.0001"),
        measures="Opplæring\nog rutiner",
        preconditions_risks="-Risiko",
        measurement_method="Timeregistrering",
        measurement_frequency=12,
        owner=colleague,
    )
    services.benefit_amounts_set(
        benefit=other, actor=innovator, amounts={2024: Decimal("-250.5"), 2026: Decimal("999999999999.99")}
    )
    citizens = make_benefit(
        plan=plan,
        actor=innovator,
        description="Fornøyde innbyggere",
        bearer="citizens",
        bearer_name="Hjemmeboende eldre",
        realisation_form="quality",
        benefit_type="quality",
        baseline_value=None,
        baseline_date=None,
        target_value=None,
        target_date=None,
    )
    first = plan.benefits.order_by("position").first()
    today = datetime.date(2026, 6, 1)
    services.measurement_record(
        benefit=first,
        actor=colleague,
        value=Decimal("150.25"),
        measured_on=datetime.date(2024, 7, 1),
        source="Fagsystem",
        comment="=SUM(1)",
        deviation_explanation="Sein start.",
        realised_amount=Decimal("1234.5"),
        today=today,
    )
    services.measurement_record(
        benefit=other,
        actor=innovator,
        value=Decimal("11"),
        measured_on=datetime.date(2025, 1, 31),
        source="Rapport",
        deviation_explanation="Sen oppstart.",
        today=today,
    )
    services.benefit_abandon(benefit=citizens, actor=innovator, reason="Ikke målbart.")
    plan.refresh_from_db()
    return plan


def _export(client: Any, plan: BenefitPlan) -> bytes:
    from django.utils import translation

    response = client.get(f"/gevinster/prosjekt/{plan.project.slug}/gevinstplan.xlsx")
    assert response.status_code == 200
    translation.activate("en")  # the request left its own language active; the service's messages are asserted in en
    return response.content


def _content(plan: BenefitPlan) -> dict[str, Any]:
    """Everything a plan holds, without ids, its project, version and status."""
    benefits = []
    for benefit in plan.benefits.order_by("position").prefetch_related("amounts", "measurements"):
        benefits.append(
            {
                **{
                    name: getattr(benefit, name)
                    for name in (*services.BENEFIT_FIELDS, "abandoned_reason")
                    if name not in ("owner", "bearer_organisation")
                },
                "owner": benefit.owner_id,
                "bearer_organisation": benefit.bearer_organisation_id,
                "amounts": [(a.year, a.amount, a.bearer) for a in benefit.amounts.all()],
                "measurements": [
                    (m.measured_on, m.value, m.source, m.comment, m.deviation_explanation, m.realised_amount)
                    for m in benefit.measurements.all()
                ],
                "recorded_by": [m.recorded_by_id for m in benefit.measurements.all()],
            }
        )
    return {
        "plan": {
            name: getattr(plan, name)
            for name in (
                "rationale",
                "goals",
                "parameters_id",
                "base_year",
                "analysis_years",
                "real_growth_rate",
                "residual_value",
                "is_example",
                "example_note",
            )
        },
        "costs": [(c.kind, c.year, c.amount) for c in plan.costs.order_by("kind", "year")],
        "benefits": benefits,
    }


def _counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_app_config("benefits").get_models()}


@pytest.fixture
def empty_project(innovator, home_municipality):
    return make_project(actor=innovator, owner=home_municipality, title="Tom", visibility=Visibility.ORGANISATION)


def test_when_a_full_plan_is_exported_and_imported_then_the_new_plan_equals_the_original(
    as_innovator, full_plan, empty_project, innovator
):
    original = _content(full_plan)
    assert len(original["benefits"]) == 3 and len(original["costs"]) == 3
    data = _export(as_innovator, full_plan)
    result = transfer.import_plan(project=empty_project, actor=innovator, upload=io.BytesIO(data), filename="p.xlsx")
    assert result.problems == []
    imported = result.plan
    assert imported is not None
    assert (imported.project, imported.version, imported.status, imported.is_current) == (
        empty_project,
        1,
        "draft",
        True,
    )
    assert _content(imported) == original
    npv = selectors.plan_context(full_plan, user=innovator)["result"].npv
    assert selectors.plan_context(imported, user=innovator)["result"].npv == npv
    # And the imported plan exports to the same data again.
    again = load_workbook(io.BytesIO(_export(as_innovator, imported)))
    before = load_workbook(io.BytesIO(data))
    for sheet in ("data-benefits", "data-amounts", "data-costs", "data-measurements"):
        assert list(again[sheet].values) == list(before[sheet].values), sheet


def test_when_the_import_page_is_used_then_the_plan_is_created_and_outsiders_are_refused(
    as_innovator, as_outsider, as_colleague, full_plan, empty_project
):
    data = _export(as_innovator, full_plan)
    url = f"/gevinster/prosjekt/{empty_project.slug}/importer/"
    page = as_innovator.get(f"/gevinster/prosjekt/{empty_project.slug}/")
    assert url in page.content.decode()  # linked from the project's (missing) plan
    assert as_outsider.get(url).status_code == 404  # the project is not visible to an outsider
    # A member who may see but not change the project is refused.
    assert as_colleague.post(url, {"file": _upload(data)}).status_code == 403
    assert BackgroundJob.objects.count() == 0
    response = as_innovator.post(url, {"file": _upload(data)}, **EN)
    # The import ran as a background job: the page answers with its progress page, which links the new plan.
    job = BackgroundJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/oppgaver/{job.pk}/"
    assert (job.kind, job.status, job.owner, job.params) == (
        "benefits.plan_import",
        JobStatus.DONE,
        full_plan.created_by,
        {"project": empty_project.slug},
    )
    # Every data row of the five data sheets is counted (13 plan fields, 3 benefits, 2 measurements, and the
    # yearly amounts and costs), the header rows left out.
    assert (job.rows_done, job.rows_total) == (25, 25)
    assert not job.input_file  # the uploaded file is not kept
    assert BenefitPlan.objects.get(project=empty_project).benefits.count() == 3
    html = as_innovator.get(response["Location"], **EN).content.decode()
    assert "The plan has been imported as a draft. Check it and submit it." in html
    assert (
        f'<a class="ds-link" href="/gevinster/prosjekt/{empty_project.slug}/versjon/1/">'
        "Benefit-realisation plan for Tom, version 1</a>"
    ) in html
    assert f'<a class="ds-link" href="/gevinster/prosjekt/{empty_project.slug}/">Back to where you started</a>' in html
    # Once the project has a plan, the page sends the editor to it.
    assert as_innovator.get(url)["Location"] == f"/gevinster/prosjekt/{empty_project.slug}/"


def _upload(data: bytes, name: str = "plan.xlsx") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=XLSX_TYPE)


def _edited(data: bytes, edit: Any) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    edit(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_when_cells_are_bad_then_every_problem_is_listed_and_nothing_is_written(
    as_innovator, full_plan, empty_project, innovator
):
    def spoil(workbook: Workbook) -> None:
        benefits = workbook["data-benefits"]
        benefits["C2"] = "no-such-type"  # benefit_type
        benefits["I2"] = "tolv"  # baseline_value
        benefits["B3"] = "a_x0001_b"  # description with a control character, as XLSX writes one
        benefits["M3"] = "ukjent@example.no"  # owner
        amounts = workbook["data-amounts"]
        amounts["B2"] = 1999  # year outside the period
        amounts["C3"] = "1e400"  # a huge number
        amounts["A4"] = 99  # no such benefit
        workbook["data-costs"]["C2"] = -5  # negative cost
        workbook["data-measurements"]["B2"] = "2024-02-30"  # no such date
        workbook["data-plan"]["B8"] = "R-999"  # parameters

    data = _edited(_export(as_innovator, full_plan), spoil)
    before = _counts()
    result = transfer.import_plan(project=empty_project, actor=innovator, upload=io.BytesIO(data), filename="p.xlsx")
    assert result.plan is None
    found = {(p.sheet, p.row, p.column): p.message for p in result.problems}
    assert found == {
        ("data-plan", 8, "value"): "No parameter version “R-999” is known.",
        ("data-benefits", 2, "benefit_type"): "“no-such-type” is not one of the options.",
        ("data-benefits", 2, "baseline_value"): "Enter a number.",
        ("data-benefits", 3, "description"): (
            "The text holds an invisible control character (U+0001) at position 2. Remove it."
        ),
        ("data-benefits", 3, "owner"): "“ukjent@example.no” is not a member of one of the project's organisations.",
        ("data-amounts", 2, "year"): "The year 1999 is outside the analysis period 2024–2026.",
        ("data-amounts", 3, "amount"): "Enter a number below one trillion.",
        ("data-costs", 2, "amount"): "Costs cannot be negative.",
        ("data-measurements", 2, "measured_on"): "Write the date as yyyy-mm-dd or dd.mm.yyyy.",
    }
    assert _counts() == before
    assert not BenefitPlan.objects.filter(project=empty_project).exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("plan.csv", b"a;b\n1;2\n", "Upload the plan as an Excel workbook (.xlsx), as the export writes it."),
        ("plan.xlsx", b"not a workbook", "The file is not an Excel workbook (.xlsx)."),
        ("plan.xlsx", b"PK\x03\x04broken", "The Excel file could not be read. Save it as .xlsx and try again."),
        ("plan.xlsx", b"", "The file is empty."),
    ],
)
def test_when_the_file_is_not_a_readable_workbook_then_it_is_refused_and_nothing_is_written(
    empty_project, innovator, name, data, message
):
    before = _counts()
    with pytest.raises(SpreadsheetError) as refused:
        transfer.import_plan(project=empty_project, actor=innovator, upload=io.BytesIO(data), filename=name)
    assert refused.value.message == message
    assert _counts() == before


def test_when_a_sheet_or_a_column_is_missing_then_it_is_named(as_innovator, full_plan, empty_project, innovator):
    def drop(workbook: Workbook) -> None:
        del workbook["data-costs"]
        del workbook["data-measurements"]

    data = _edited(_export(as_innovator, full_plan), drop)
    result = transfer.import_plan(project=empty_project, actor=innovator, upload=io.BytesIO(data), filename="p.xlsx")
    assert [(p.sheet, p.row, p.column, p.message) for p in result.problems] == [
        ("data-costs", 0, "", "The sheet is missing. Start from the plan's export."),
        ("data-measurements", 0, "", "The sheet is missing. Start from the plan's export."),
    ]

    def no_year(workbook: Workbook) -> None:
        workbook["data-amounts"]["B1"] = "år"

    data = _edited(_export(as_innovator, full_plan), no_year)
    result = transfer.import_plan(project=empty_project, actor=innovator, upload=io.BytesIO(data), filename="p.xlsx")
    assert [(p.sheet, p.row, p.column, p.message) for p in result.problems] == [
        ("data-amounts", 1, "år", "Unknown column. Use the columns of the export."),
        ("data-amounts", 1, "year", "This required column is missing."),
    ]
    assert not BenefitPlan.objects.filter(project=empty_project).exists()


def test_when_an_outsider_or_a_project_with_a_plan_is_the_target_then_the_import_is_refused(
    as_innovator, full_plan, empty_project, outsider, innovator
):
    data = _export(as_innovator, full_plan)
    with pytest.raises(PermissionDenied):
        transfer.import_plan(project=empty_project, actor=outsider, upload=io.BytesIO(data), filename="p.xlsx")
    with pytest.raises(services.BenefitError):
        transfer.import_plan(project=full_plan.project, actor=innovator, upload=io.BytesIO(data), filename="p.xlsx")


def test_when_a_bad_file_is_posted_on_the_page_then_the_problems_are_shown_in_norwegian(
    as_innovator, full_plan, empty_project
):
    def spoil(workbook: Workbook) -> None:
        workbook["data-costs"]["B2"] = "i fjor"

    data = _edited(_export(as_innovator, full_plan), spoil)
    before = _counts()
    response = as_innovator.post(
        f"/gevinster/prosjekt/{empty_project.slug}/importer/",
        {"file": _upload(data)},
        HTTP_ACCEPT_LANGUAGE="nb",
        follow=True,
    )
    job = BackgroundJob.objects.get()
    assert response.redirect_chain == [(f"/oppgaver/{job.pk}/", 302)]
    assert (job.status, job.language) == (JobStatus.FAILED, "nb")
    assert job.problems == ["Ark «data-costs», rad 2, kolonne year: Skriv et helt tall mellom 1990 og 2200."]
    page = response.content.decode()
    assert "Filen har 1 problem. Ingenting ble importert." in page
    assert "Ark «data-costs», rad 2, kolonne year: Skriv et helt tall mellom 1990 og 2200." in page
    assert _counts() == before
    # A file that is no workbook at all is refused on the form, before any job.
    broken = as_innovator.post(
        f"/gevinster/prosjekt/{empty_project.slug}/importer/",
        {"file": _upload(b"x", name="plan.xlsx")},
        HTTP_ACCEPT_LANGUAGE="nb",
    )
    assert broken.status_code == 400
    assert "Filen er ikke en Excel-arbeidsbok (.xlsx)." in broken.content.decode()
    assert BackgroundJob.objects.count() == 1


def test_when_a_plan_is_imported_through_the_api_then_problems_have_sheet_row_and_column(
    client, as_innovator, full_plan, empty_project, innovator, outsider, colleague
):
    data = _export(as_innovator, full_plan)
    url = f"/api/v1/benefits/plans/{empty_project.slug}/import"
    _t, raw = ApiToken.issue(user=innovator, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.post(url, data, content_type=XLSX_TYPE).status_code == 401
    _t, outsider_raw = ApiToken.issue(user=outsider, name="t")
    assert (
        client.post(url, data, content_type=XLSX_TYPE, HTTP_AUTHORIZATION=f"Bearer {outsider_raw}").status_code == 404
    )
    _t, colleague_raw = ApiToken.issue(user=colleague, name="t")
    refused = client.post(url, data, content_type=XLSX_TYPE, HTTP_AUTHORIZATION=f"Bearer {colleague_raw}")
    assert refused.status_code == 403
    assert client.post(url, data, content_type="application/json", **auth).status_code == 415

    def spoil(workbook: Workbook) -> None:
        workbook["data-amounts"]["C2"] = "mye"

    before = _counts()
    assert BackgroundJob.objects.count() == 0  # the refusals above queued nothing
    bad = client.post(url, _edited(data, spoil), content_type=XLSX_TYPE, HTTP_ACCEPT_LANGUAGE="nb", **auth)
    assert bad.status_code == 202
    assert (bad.json()["status"], bad.json()["problems"], bad.json()["created"]) == (
        "failed",
        ["Ark «data-amounts», rad 2, kolonne amount: Skriv inn et tall."],
        [],
    )
    broken = client.post(url, b"x", content_type=XLSX_TYPE, HTTP_ACCEPT_LANGUAGE="nb", **auth)
    assert broken.status_code == 422
    assert broken.json() == {
        "status": 422,
        "code": "invalid_file",
        "message": "Filen er ikke en Excel-arbeidsbok (.xlsx).",
        "errors": [
            {
                "field": "file",
                "message": "Filen er ikke en Excel-arbeidsbok (.xlsx).",
                "sheet": "",
                "row": 0,
                "column": "",
            }
        ],
    }
    assert BackgroundJob.objects.count() == 1  # the refusals before it queued nothing
    # A ZIP archive that is no workbook: the task reads it and fails with the reason.
    unreadable = client.post(url, b"PK\x03\x04x", content_type=XLSX_TYPE, HTTP_ACCEPT_LANGUAGE="nb", **auth)
    assert unreadable.status_code == 202
    assert (unreadable.json()["status"], unreadable.json()["problems"]) == (
        "failed",
        ["Excel-filen kunne ikke leses. Lagre den som .xlsx og prøv igjen."],
    )
    assert _counts() == before
    created = client.post(url, data, content_type=XLSX_TYPE, **auth)
    assert created.status_code == 202
    job = BackgroundJob.objects.get(kind="benefits.plan_import", status=JobStatus.DONE)
    assert created["Location"] == f"http://testserver/api/v1/tasks/{job.pk}"
    task = created.json()
    assert (task["kind"], task["status"], task["rows_done"], task["rows_total"], task["problems"]) == (
        "benefits.plan_import",
        "done",
        25,
        25,
        [],
    )
    assert task["created"] == [
        {
            "title": "Gevinstrealiseringsplan for Tom, versjon 1",
            "url": f"/gevinster/prosjekt/{empty_project.slug}/versjon/1/",
        }
    ]
    assert client.get(created["Location"], **auth).json() == task
    assert _content(BenefitPlan.objects.get(project=empty_project)) == _content(full_plan)
    again = client.post(url, data, content_type=XLSX_TYPE, **auth)
    assert again.status_code == 409
    assert BackgroundJob.objects.count() == 3
