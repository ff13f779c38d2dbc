"""The benefits module's background jobs: a plan's PDF report, and the XLSX of a plan larger than the export
threshold, made for the reader who asked (a signed-in user, or the browser session of a visitor who is not signed
in, who can see public plans only) and kept for them alone."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from nyskap.core.jobs import registry
from nyskap.core.jobs.models import BackgroundJob
from nyskap.core.jobs.progress import Progress
from nyskap.core.jobs.services import job_start
from nyskap.core.spreadsheets import XLSX_TYPE

from .models import BenefitPlan

PLAN_PDF = "benefits.plan_pdf"
PLAN_XLSX = "benefits.plan_xlsx"


def _plan_pdf(job: BackgroundJob, progress: Progress) -> registry.JobOutput:
    from . import selectors
    from .exports import plan_file_name, plan_for_user, plan_pdf_bytes

    try:
        plan = plan_for_user(job.actor, job.params["project"])  # the reader may have lost access since
    except Http404:
        return registry.JobOutput(report={"problems": [_("You can no longer see this plan.")]}, failed=True)
    content = plan_pdf_bytes(selectors.plan_context(plan, user=job.actor))  # a report has no rows to count
    return registry.JobOutput(content=content, filename=plan_file_name(plan, "pdf"), content_type="application/pdf")


registry.register(PLAN_PDF, _plan_pdf)


def _plan_xlsx(job: BackgroundJob, progress: Progress) -> registry.JobOutput:
    from . import selectors
    from .exports import plan_file_name, plan_for_user, plan_workbook

    try:
        plan = plan_for_user(job.actor, job.params["project"])
    except Http404:
        return registry.JobOutput(report={"problems": [_("You can no longer see this plan.")]}, failed=True)
    progress.set_total(plan_rows(plan))
    content = plan_workbook(selectors.plan_context(plan, user=job.actor))
    return registry.JobOutput(content=content, filename=plan_file_name(plan, "xlsx"), content_type=XLSX_TYPE)


registry.register(PLAN_XLSX, _plan_xlsx)


def plan_rows(plan: BenefitPlan) -> int:
    """About how many rows the plan's spreadsheet has: its benefits, yearly amounts, costs and measurements."""
    from .models import Benefit, BenefitAmount, Cost, Measurement

    return (
        Benefit.objects.filter(plan=plan).count()
        + BenefitAmount.objects.filter(plan=plan).count()
        + Cost.objects.filter(plan=plan).count()
        + Measurement.objects.filter(benefit__plan=plan).count()
    )


def is_large(plan: BenefitPlan) -> bool:
    return plan_rows(plan) > settings.BACKGROUND_EXPORT_THRESHOLD


def plan_xlsx_start(*, owner: Any, visitor: str = "", plan: BenefitPlan) -> BackgroundJob:
    return job_start(
        owner=owner,
        visitor=visitor,
        kind=PLAN_XLSX,
        title=_("Spreadsheet: benefit plan for %(project)s") % {"project": plan.project.title},
        params={"project": plan.project.slug},
        back_url=reverse("benefits:plan", kwargs={"slug": plan.project.slug}),
    )


def plan_pdf_start(*, owner: Any, visitor: str = "", plan: BenefitPlan) -> BackgroundJob:
    return job_start(
        owner=owner,
        visitor=visitor,
        kind=PLAN_PDF,
        title=_("PDF report: benefit plan for %(project)s") % {"project": plan.project.title},
        params={"project": plan.project.slug},
        back_url=reverse("benefits:plan", kwargs={"slug": plan.project.slug}),
    )
