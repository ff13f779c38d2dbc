"""The benefits module's background jobs: a plan's PDF report, and the XLSX of a plan larger than the export
threshold, made for the reader who asked (a signed-in user, or the browser session of a visitor who is not signed
in, who can see public plans only) and kept for them alone; and the import of a plan, or of a plan's next version,
from its spreadsheet, for the plan's editors."""

from __future__ import annotations

from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from nyskap.core.jobs import registry
from nyskap.core.jobs.imports import ImportOutcome, ImportRefused, register_import, start_import
from nyskap.core.jobs.models import BackgroundJob
from nyskap.core.jobs.progress import Progress
from nyskap.core.jobs.services import job_start
from nyskap.core.spreadsheets import XLSX_TYPE, SpreadsheetError
from nyskap.projects.models import Project

from .models import BenefitPlan

PLAN_PDF = "benefits.plan_pdf"
PLAN_XLSX = "benefits.plan_xlsx"
PLAN_IMPORT = "benefits.plan_import"
PLAN_IMPORT_VERSION = "benefits.plan_import_version"


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


# Import of a plan, or of its next version, from the spreadsheet its export writes


def _refused_change() -> ImportRefused:
    return ImportRefused(_("Only the project's authors and editors of its organisations can change its plan."))


def _imported(plan: BenefitPlan, summary: str) -> ImportOutcome:
    """The new plan (a draft) as the job's one created thing, linked to that version's page."""
    title = _("Benefit-realisation plan for %(project)s, version %(version)d") % {
        "project": plan.project.title,
        "version": plan.version,
    }
    url = reverse("benefits:plan_version", kwargs={"slug": plan.project.slug, "version": plan.version})
    return ImportOutcome(created=[{"title": title, "url": url}], summary=summary)


def _run_import(run: Any, progress: Progress) -> Any:
    """The transfer function's result; its refusals of the whole file (the file, the plan's state, the user's
    rights — each checked again here, as the job may run a while after it was started) as the report's problem."""
    from . import services

    try:
        return run(on_total=progress.set_total, on_row=progress.advance)
    except SpreadsheetError as error:
        raise ImportRefused(error.message) from error
    except services.BenefitError as error:
        raise ImportRefused(error.message) from error
    except PermissionDenied as error:
        raise _refused_change() from error


def _plan_import(upload: IO[bytes], filename: str, *, actor: Any, params: dict[str, Any], progress: Progress) -> Any:
    from . import transfer

    project = Project.objects.visible_to(actor).filter(slug=params.get("project", "")).first()
    if project is None:
        raise ImportRefused(_("The project no longer exists, or you can no longer see it."))

    def run(**counters: Any) -> Any:
        return transfer.import_plan(project=project, actor=actor, upload=upload, filename=filename, **counters)

    result = _run_import(run, progress)
    if result.plan is None:
        return ImportOutcome(problems=[str(problem) for problem in result.problems])
    return _imported(result.plan, _("The plan has been imported as a draft. Check it and submit it."))


register_import(PLAN_IMPORT, _plan_import)


def _plan_import_version(
    upload: IO[bytes], filename: str, *, actor: Any, params: dict[str, Any], progress: Progress
) -> Any:
    from . import transfer

    plan = (
        BenefitPlan.objects.select_related("project")
        .filter(pk=params.get("plan", 0), project__in=Project.objects.visible_to(actor))
        .first()
    )
    if plan is None:
        raise ImportRefused(_("The project no longer exists, or you can no longer see it."))

    def run(**counters: Any) -> Any:
        return transfer.import_plan_version(plan=plan, actor=actor, upload=upload, filename=filename, **counters)

    result = _run_import(run, progress)
    if result.plan is None:
        return ImportOutcome(problems=[str(problem) for problem in result.problems])
    summary = _("The file has been imported as version %(version)d, a draft. Check it and submit it.") % {
        "version": result.plan.version
    }
    return _imported(result.plan, summary)


register_import(PLAN_IMPORT_VERSION, _plan_import_version)


def plan_import_start(*, actor: Any, project: Project, upload: IO[bytes], filename: str) -> BackgroundJob:
    """Queue the import of the project's first plan from ``upload`` (checked by `transfer.check_upload`; the
    caller has checked that ``actor`` may write the plan)."""
    return start_import(
        owner=actor,
        kind=PLAN_IMPORT,
        title=_("Import of a benefit-realisation plan for %(project)s") % {"project": project.title},
        upload=upload,
        filename=filename,
        params={"project": project.slug},
        back_url=reverse("benefits:plan", kwargs={"slug": project.slug}),
    )


def plan_import_version_start(*, actor: Any, plan: BenefitPlan, upload: IO[bytes], filename: str) -> BackgroundJob:
    """Queue the import of ``plan``'s next version from ``upload`` (as `plan_import_start`)."""
    return start_import(
        owner=actor,
        kind=PLAN_IMPORT_VERSION,
        title=_("Import of a new version of the benefit-realisation plan for %(project)s")
        % {"project": plan.project.title},
        upload=upload,
        filename=filename,
        params={"project": plan.project.slug, "plan": plan.pk},
        back_url=reverse("benefits:plan", kwargs={"slug": plan.project.slug}),
    )
