"""Exports (XLSX with Prosjektveiviseren's sections, formula injection neutralised; PDF with its text) and the
management commands (example data, reminders)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from nyskap.benefits import calculations, selectors, services
from nyskap.benefits.models import BenefitPlan, PreventionSet
from nyskap.core.jobs.models import BackgroundJob, JobStatus
from nyskap.projects.content import load_white_paper_cases

from ..helpers import file_via_job
from .factories import make_benefit

pytestmark = pytest.mark.django_db


def test_when_a_plan_is_exported_as_xlsx_then_it_has_the_sections_and_neutralised_formulas(
    client, public_draft_plan, innovator, colleague
):
    public_plan = public_draft_plan
    make_benefit(
        plan=public_plan,
        owner=colleague,
        actor=innovator,
        description='=HYPERLINK("http://x")',
        bearer="citizens",
        realisation_form="quality",
    )
    services.plan_submit(plan=public_plan, actor=innovator)
    response = client.get(f"/gevinster/prosjekt/{public_plan.project.slug}/gevinstplan.xlsx", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (f'attachment; filename="gevinstplan-{public_plan.project.slug}-v1.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "1 Rationale and goals",
        "2 Benefit owners",
        "3 Benefits",
        "4 Measures and follow-up",
        "5 Net present value",
        "data-plan",
        "data-benefits",
        "data-amounts",
        "data-costs",
        "data-measurements",
    ]
    benefits = [[cell.value for cell in row] for row in workbook["3 Benefits"].iter_rows()]
    groups = [row[0] for row in benefits[1:]]
    assert "Budget effect in own organisation" in groups and "Non-priced effects" in groups
    assert '\'=HYPERLINK("http://x")' in [row[1] for row in benefits]
    npv_rows = [[cell.value for cell in row] for row in workbook["5 Net present value"].iter_rows()]
    labels = {row[0]: row[1] for row in npv_rows}
    assert labels["Net present value"] == pytest.approx(-68343.2)
    # Everything is invested in the base year, so both readings of "per invested krone" give −68 343 / 1 000 000.
    assert labels["Net present value per invested krone"] == pytest.approx(-0.0683)
    assert labels["Net present value per krone of investment in present value"] == pytest.approx(-0.0683)
    assert labels["Parameter version"] == "R-109/21"
    assert npv_rows[-1][:2] == [
        "[U] not verified",
        "Discount rates, Tax-financing cost, Longest analysis period, Real-price growth of benefits, "
        "Basis of the co-financing threshold",
    ]
    owners = [[cell.value for cell in row] for row in workbook["2 Benefit owners"].iter_rows()]
    assert owners[0] == ["Benefit", "Benefit owner", "E-mail", "Responsibility"]
    assert owners[1][:3] == ["Færre kjøreturer", "Kari Kollega", "kollega@oygarden.kommune.no"]
    assert benefits[0] == [
        "Group",
        "Benefit",
        "Type",
        "Bearer",
        "Realisation form",
        "Indicator",
        "Baseline value",
        "Baseline date",
        "Target value",
        "Target date",
        "Total (NOK)",
    ]
    # In Norwegian, the headers and the parameters are named in Norwegian; no internal key is left.
    response = client.get(f"/gevinster/prosjekt/{public_plan.project.slug}/gevinstplan.xlsx", HTTP_ACCEPT_LANGUAGE="nb")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:5] == [
        "1 Begrunnelse og mål",
        "2 Gevinsteiere",
        "3 Gevinster",
        "4 Tiltak og oppfølging",
        "5 Netto nåverdi",
    ]
    assert [cell.value for cell in next(workbook["3 Gevinster"].iter_rows())] == [
        "Gruppe",
        "Gevinst",
        "Type",
        "Bærer",
        "Realiseringsform",
        "Indikator",
        "Nullpunktsverdi",
        "Dato for nullpunktsmåling",
        "Målverdi",
        "Måldato",
        "Sum (kr)",
    ]
    npv_rows = [[cell.value for cell in row] for row in workbook["5 Netto nåverdi"].iter_rows()]
    assert npv_rows[-1][:2] == [
        "[U] ikke kontrollert",
        "Kalkulasjonsrenter, Skattefinansieringskostnad, Lengste analyseperiode, Realprisvekst for gevinster, "
        "Grunnlaget for terskelen i medfinansieringsordningen",
    ]


def _pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_when_a_visitor_exports_a_plan_as_pdf_then_it_is_made_in_the_background_for_their_session_only(
    client, public_plan
):
    url = f"/gevinster/prosjekt/{public_plan.project.slug}/gevinstplan.pdf"
    content = _pdf_text(file_via_job(client, url, HTTP_ACCEPT_LANGUAGE="en"))
    assert "Benefit-realisation plan – Digital hjemmeoppfølging" in content
    assert "Færre kjøreturer" in content
    assert "-68,343" in content
    assert "Budget effect in own organisation" in content
    assert (
        "Parameters not verified against the primary source (marked [U]): Discount rates, Tax-financing cost, "
        "Longest analysis period, Real-price growth of benefits, Basis of the co-financing threshold." in content
    )
    assert "tax_financing_rate" not in content
    job = BackgroundJob.objects.get()
    assert (job.owner, job.kind, job.status) == (None, "benefits.plan_pdf", JobStatus.DONE)
    # Someone else with the link gets nothing.
    for path in (f"/oppgaver/{job.pk}/", f"/oppgaver/{job.pk}/fil/"):
        refused = Client().get(path)
        assert refused.status_code == 404 and b"%PDF" not in refused.content
    norsk = _pdf_text(file_via_job(client, url, HTTP_ACCEPT_LANGUAGE="nb"))
    assert (
        "Parametere som ikke er kontrollert mot primærkilden (merket [U]): Kalkulasjonsrenter, "
        "Skattefinansieringskostnad, Lengste analyseperiode, Realprisvekst for gevinster, Grunnlaget for terskelen "
        "i medfinansieringsordningen." in norsk
    )


def test_when_a_plan_is_larger_than_the_threshold_then_its_xlsx_is_made_in_the_background(
    settings, client, public_plan
):
    settings.BACKGROUND_EXPORT_THRESHOLD = 1
    url = f"/gevinster/prosjekt/{public_plan.project.slug}/gevinstplan.xlsx"
    download = file_via_job(client, url, HTTP_ACCEPT_LANGUAGE="en")
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert workbook.sheetnames[0] == "1 Rationale and goals"
    job = BackgroundJob.objects.get()
    assert (job.owner, job.kind, job.status, job.rows_total) == (
        None,
        "benefits.plan_xlsx",
        JobStatus.DONE,
        job.rows_done,
    )
    assert job.rows_total > 1
    assert Client().get(f"/oppgaver/{job.pk}/fil/").status_code == 404


def test_when_the_examples_are_loaded_then_the_plan_is_marked_and_matches_the_white_paper_npv(
    home_municipality, as_operator
):
    with pytest.raises(CommandError):
        call_command("load_benefit_examples", stdout=io.StringIO())
    call_command("load_reference_data", verbosity=0, stdout=io.StringIO())
    load_white_paper_cases()
    out = io.StringIO()
    call_command("load_benefit_examples", stdout=out)
    assert "Example plan: created" in out.getvalue()
    plan = BenefitPlan.objects.get(project__slug="digital-forerett")
    assert plan.is_example and "940 mill. kroner" in plan.example_note
    result = calculations.net_present_value(selectors.plan_flows(plan), plan.parameters.as_parameters())
    # Meld. St. 30 box 8.1: NPV NOK 940 million over ten years; the illustrative split reproduces it to 0.1 %.
    assert abs(result.npv - Decimal(940_000_000)) < Decimal(1_000_000)
    assert PreventionSet.objects.get(is_example=True).name.startswith("Eksempel")
    call_command("load_benefit_examples", stdout=(again := io.StringIO()))
    assert "Example plan: already there" in again.getvalue()
    assert BenefitPlan.objects.filter(project__slug="digital-forerett").count() == 1
    # Bearers the source names are linked organisations; what the source does not say is said so on the page.
    bearers = [(b.get_bearer_display(), b.bearer_organisation and b.bearer_organisation.name, b.bearer_name)
               for b in plan.benefits.select_related("bearer_organisation")]  # fmt: skip
    assert bearers == [
        ("Own organisation", "Statens vegvesen", ""),
        ("Other state bodies", "Politidirektoratet", "Politiet"),
        ("Citizens", None, ""),
        ("Other state bodies", None, "Helsedirektoratet og Direktoratet for e-helse"),
    ]
    assert "finansiert av direktoratene med støtte fra Digitaliseringsdirektoratets medfinansieringsordning" in (
        plan.example_note
    )
    as_operator.cookies["django_language"] = "nb"
    plan_page = as_operator.get("/gevinster/prosjekt/digital-forerett/").content.decode()  # a draft: not public
    assert plan_page.count("<dd>Ikke oppgitt i kilden</dd>") == 4
    assert "<dd>Ikke oppgitt</dd>" not in plan_page
    assert "Andre statlige virksomheter: Politidirektoratet" in plan_page


def test_when_reminders_are_run_from_the_command_then_the_task_runs(plan):
    out = io.StringIO()
    call_command("send_benefit_reminders", "--now", stdout=out)
    assert out.getvalue() == "Sent 0 reminder e-mails.\n"  # the plan is a draft: no follow-up yet


def test_when_an_operator_opens_a_parameter_version_used_by_plans_then_it_is_read_only(as_operator, plan):
    parameters = plan.parameters
    response = as_operator.get(f"/drift/benefits/parameterset/{parameters.pk}/change/")
    assert response.status_code == 200
    assert b'name="tax_financing_rate"' not in response.content  # shown, not editable
    assert as_operator.get("/drift/benefits/benefitplan/").status_code == 200
