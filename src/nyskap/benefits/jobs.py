"""The benefits module's background job: a plan's PDF report, made for a signed-in reader and kept for them."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from nyskap.core.jobs import registry
from nyskap.core.jobs.models import BackgroundJob
from nyskap.core.jobs.progress import Progress
from nyskap.core.jobs.services import job_start

from .models import BenefitPlan

PLAN_PDF = "benefits.plan_pdf"


def _plan_pdf(job: BackgroundJob, progress: Progress) -> registry.JobOutput:
    from . import selectors
    from .exports import plan_file_name, plan_for_user, plan_pdf_bytes

    try:
        plan = plan_for_user(job.owner, job.params["project"])  # the reader may have lost access since
    except Http404:
        return registry.JobOutput(report={"problems": [_("You can no longer see this plan.")]}, failed=True)
    content = plan_pdf_bytes(selectors.plan_context(plan, user=job.owner))  # a report has no rows to count
    return registry.JobOutput(content=content, filename=plan_file_name(plan, "pdf"), content_type="application/pdf")


registry.register(PLAN_PDF, _plan_pdf)


def plan_pdf_start(*, actor: Any, plan: BenefitPlan) -> BackgroundJob:
    return job_start(
        owner=actor,
        kind=PLAN_PDF,
        title=_("PDF report: benefit plan for %(project)s") % {"project": plan.project.title},
        params={"project": plan.project.slug},
        back_url=reverse("benefits:plan", kwargs={"slug": plan.project.slug}),
    )
