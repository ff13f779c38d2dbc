"""One project: its page, creating and editing it, and moving it between phases."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nyskap.core.history import action_label, field_labels

from .. import services
from ..forms import (
    AttachmentForm,
    FundingForm,
    PartnerForm,
    PhaseChangeForm,
    ProjectCreateForm,
    ProjectEditForm,
    allowed_next_phases,
    editable_organisations,
    editable_projects,
)
from ..models import Adoption, Project
from ..selectors import AdoptionTiming, adoption_summary
from ..services import ProjectError
from ._common import (
    _add_service_error,
    _changeable,
    _viewable,
)
from .listing import _similar_context


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    """Need first: the need, the owner and the visibility; similar projects appear while the need is written."""
    user = request.user
    if not editable_organisations(user).exists():
        return render(request, "projects/create_refused.html", status=403)
    context: dict[str, Any] = {"similar": [], "similar_checked": False}
    if request.method == "POST":
        if "check_similar" in request.POST:
            # Without JavaScript: show the same form again, with what was typed and the similar projects.
            form = ProjectCreateForm(initial=ProjectCreateForm.initial_from(request.POST), user=user)
            context.update(form=form, **_similar_context(user, request.POST))
            return render(request, "projects/create.html", context)
        form = ProjectCreateForm(request.POST, user=user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                project = services.project_create(
                    actor=user,
                    owner=data["owner"],
                    title=data["title"],
                    need_problem=data["need_problem"],
                    need_who=data["need_who"],
                    need_today=data["need_today"],
                    need_effect=data["need_effect"],
                    visibility=data["visibility"],
                    sector=data["sector"],
                    innovation_types=data["innovation_types"],
                )
            except ProjectError as error:
                _add_service_error(form, error)
            else:
                messages.success(request, _("The project “%(title)s” has been registered.") % {"title": project.title})
                return redirect("projects:detail", slug=project.slug)
        context.update(form=form, **_similar_context(user, request.POST))
        return render(request, "projects/create.html", context, status=400)
    context["form"] = ProjectCreateForm(user=user)
    return render(request, "projects/create.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, slug: str) -> HttpResponse:
    project = _changeable(request, slug)
    user = request.user
    if request.method == "POST":
        form = ProjectEditForm(request.POST, user=user)
        if form.is_valid():
            try:
                services.project_update(project=project, actor=user, **form.cleaned_data)
            except ProjectError as error:
                _add_service_error(form, error)
            else:
                messages.success(request, _("The project has been saved."))
                return redirect("projects:detail", slug=project.slug)
        return render(request, "projects/edit.html", {"project": project, "form": form}, status=400)
    form = ProjectEditForm(initial=ProjectEditForm.initial_for(project), user=user)
    return render(request, "projects/edit.html", {"project": project, "form": form})


# Detail, phase


@dataclass
class TreeItem:
    """One adopter in the nested family tree; ``visible`` is False for a project the user may not see (shown without
    its title, so the tree does not reveal it)."""

    timing: AdoptionTiming
    visible: bool
    children: list[TreeItem] = field(default_factory=list)


def _nest(timings: list[AdoptionTiming], root_id: int, visible_ids: set[int]) -> list[TreeItem]:
    by_parent: dict[int, list[AdoptionTiming]] = {}
    for timing in timings:
        by_parent.setdefault(timing.node.adoption.source_project_id, []).append(timing)
    placed: set[int] = set()

    def children_of(project_id: int) -> list[TreeItem]:
        items = []
        for timing in by_parent.get(project_id, []):
            adoption = timing.node.adoption
            if adoption.pk in placed:
                continue
            placed.add(adoption.pk)
            adopter_id = adoption.adopting_project_id
            items.append(
                TreeItem(
                    timing=timing,
                    visible=adopter_id is None or adopter_id in visible_ids,
                    children=children_of(adopter_id) if adopter_id else [],
                )
            )
        return items

    return children_of(root_id)


def _detail_context(
    request: HttpRequest,
    project: Project,
    *,
    phase_form: PhaseChangeForm | None = None,
    partner_form: PartnerForm | None = None,
    funding_form: FundingForm | None = None,
    attachment_form: AttachmentForm | None = None,
) -> dict:
    user = request.user
    can_edit = user.has_perm("core.change_object", project)
    summary = adoption_summary(project)
    came_from = list(Adoption.objects.filter(adopting_project=project).select_related("source_project"))
    related_ids = {t.node.adoption.adopting_project_id for t in summary.adoptions} | {
        adoption.source_project_id for adoption in came_from
    }
    related_ids.discard(None)
    visible_ids = set(
        Project.objects.visible_to(user).filter(pk__in=related_ids).values_list("pk", flat=True)  # type: ignore[misc]
    )
    if can_edit and phase_form is None and allowed_next_phases(project):
        phase_form = PhaseChangeForm(project=project)
    can_adopt = bool(
        user.is_authenticated
        and (editable_organisations(user).exists() or editable_projects(user, exclude=project).exists())
    )
    return {
        "project": project,
        "owners": list(project.owners.select_related("county").order_by("name")),
        "partners": list(project.partners.select_related("organisation")),
        "funding_sources": list(project.funding_sources.all()),
        "innovation_types": list(project.innovation_types.all()),
        "sdgs": list(project.sdgs.all()),
        "life_events": list(project.life_events.all()),
        "phase_changes": list(project.phase_changes.select_related("actor")),
        "came_from": [(adoption, adoption.source_project_id in visible_ids) for adoption in came_from],
        "tree": _nest(summary.adoptions, project.pk, visible_ids),
        "summary": summary,
        "county_rows": [(county or _("No county (state bodies)"), count) for county, count in summary.by_county],
        "visible_ids": visible_ids,
        "can_edit": can_edit,
        "can_adopt": can_adopt,
        "phase_form": phase_form if can_edit else None,
        "history": _history(project) if can_edit else None,
        "attachments": list(project.attachments.all()),
        "attachment_form": (attachment_form or AttachmentForm(prefix="attachment")) if can_edit else None,
        "partner_form": (partner_form or PartnerForm(prefix="partner")) if can_edit else None,
        "funding_form": (funding_form or FundingForm(prefix="funding")) if can_edit else None,
    }


@require_GET
def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = _viewable(request, slug)
    return render(request, "projects/detail.html", _detail_context(request, project))


@login_required
@require_POST
def project_phase(request: HttpRequest, slug: str) -> HttpResponse:
    """Change the phase (the timeline records who, when and the note). A refusal is shown beside its field on the
    project page, with what was typed."""
    project = _changeable(request, slug)
    form = PhaseChangeForm(request.POST, project=project)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.project_change_phase(
                project=project,
                to_phase=data["phase"],
                actor=request.user,
                note=data["note"],
                stopped_reason=data["stopped_reason"],
                lessons_learned=data["lessons_learned"] or None,
            )
        except ProjectError as error:
            _add_service_error(form, error)
        else:
            messages.success(
                request, _("The project is now in the phase %(phase)s.") % {"phase": project.get_phase_display()}
            )
            return redirect("projects:detail", slug=project.slug)
    project.refresh_from_db()
    context = _detail_context(request, project, phase_form=form)
    return render(request, "projects/detail.html", context, status=400)


# Change history


HISTORY_LIMIT = 50


def _history(project: Project) -> list[dict[str, Any]]:
    """The project's audit trail for those who may edit it: when, who and which fields (latest first)."""
    from auditlog.models import LogEntry

    entries = LogEntry.objects.get_for_object(project).select_related("actor").order_by("-timestamp")[:HISTORY_LIMIT]
    return [
        {
            "at": entry.timestamp,
            "actor": entry.actor,
            "action": action_label(entry.action),
            "fields": field_labels(Project, entry.changes_dict),
        }
        for entry in entries
    ]


# Attachments
