"""Pages of the project library (M1). Thin: parse, check access on the server, call one service or selector,
render. A project the user may not see answers 404 everywhere (its existence is not revealed); a project the user
may see but not change answers 403 to changes."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from nyskap.core.history import action_label, field_labels
from nyskap.core.text import remove_refused_characters

from . import services
from .forms import (
    NEED_FIELDS,
    AdoptForm,
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
from .importexport import project_page_path
from .models import Adoption, Attachment, InnovationTypeCode, Novelty, Phase, Project, Sector
from .search import (
    ProjectSearchForm,
    SimilarProject,
    library_version,
    owners_of,
    search_projects,
    similar_projects,
)
from .selectors import AdoptionTiming, adoption_summary
from .services import ProjectError

PAGE_SIZE = 20
# A need longer than this adds nothing to the similarity search but work.
SIMILAR_TEXT_LIMIT = 5000


def _is_fragment(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request  # type: ignore[union-attr]


def _add_service_error(form: Any, error: ProjectError) -> None:
    """Show the service's refusal beside the field it concerns (or above the form)."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _viewable(request: HttpRequest, slug: str) -> Project:
    project = get_object_or_404(Project, slug=slug)
    if not request.user.has_perm("core.view_object", project):
        raise Http404
    return project


def _changeable(request: HttpRequest, slug: str) -> Project:
    project = _viewable(request, slug)
    if not request.user.has_perm("core.change_object", project):
        raise PermissionDenied
    return project


# Search


@dataclass
class SpreadRow:
    label: str
    count: int
    percent: float | None


def _spread_rows(spread: Any) -> list[SpreadRow]:
    if spread is None:
        return []
    shares = spread.shares
    rows = []
    for label, share in (
        (Novelty.FIRST_OF_ITS_KIND.label, shares.first_of_its_kind),
        (Novelty.INSPIRED_ADAPTED.label, shares.inspired_adapted),
        (Novelty.COPIED.label, shares.copied),
    ):
        count = round(share * shares.known) if share is not None else 0
        rows.append(SpreadRow(label=str(label), count=count, percent=share * 100 if share is not None else None))
    return rows


@dataclass
class ResultCard:
    """One result on the search page, with its labels looked up once per page rather than once per card."""

    project: Project
    url: str
    owners: list[Any]
    summary: str
    facts: list[tuple[str, str]]


# What a result card shows: the project's other long texts are not read for a result page.
CARD_FIELDS = ("id", "slug", "title", "need_problem", "phase", "sector", "novelty", "updated_at")


def _result_cards(projects: list[Project], owners: dict[int, list[Any]]) -> list[ResultCard]:
    phases, sectors = {k: str(v) for k, v in Phase.choices}, {k: str(v) for k, v in Sector.choices}
    novelties = {k: str(v) for k, v in Novelty.choices}
    terms = (_("Phase"), _("Sector"), _("Novelty"))
    cards = []
    for project in projects:
        facts = [(terms[0], phases.get(project.phase, project.phase))]
        if project.sector:
            facts.append((terms[1], sectors.get(project.sector, project.sector)))
        if project.novelty:
            facts.append((terms[2], novelties.get(project.novelty, project.novelty)))
        summary = Truncator(project.need_problem).words(35)
        url = project_page_path(project.slug)
        cards.append(ResultCard(project, url, owners.get(project.pk, []), summary, facts))
    return cards


@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    """Search with facets. A GET form, so it works without JavaScript and every result has a shareable URL; with
    htmx the form swaps only the facets and results (``projects/_results.html``).

    Pages for anonymous visitors are the same for everybody, so they are cached per address and language until the
    library changes (a new library version; see signals.py) — unless there is a message to show."""
    cache_key = _anonymous_page_key(request)
    if cache_key is not None:
        cached = cache.get(cache_key)
        if cached is not None:
            response = HttpResponse(cached)
            patch_vary_headers(response, ["HX-Request"])
            return response
    result = search_projects(user=request.user, params=request.GET)
    paginator = Paginator(result.projects.only(*CARD_FIELDS), PAGE_SIZE)
    if result.spread is not None:
        paginator.count = result.spread.projects  # already counted (and cached) with the facets
    page_obj = paginator.get_page(request.GET.get("page"))
    projects = list(page_obj.object_list)
    owners = owners_of(projects)
    form = result.form
    facets = [
        {"name": name, "label": form.fields[name].label, "values": result.facets[name]}
        for name in ProjectSearchForm.FACETS
        if result.facets.get(name)
    ]
    context = {
        "form": form,
        "page_obj": page_obj,
        "cards": _result_cards(projects, owners),
        "facets": facets,
        "spread": result.spread,
        "spread_rows": _spread_rows(result.spread),
        "query": result.query,
        "all_words": result.all_words,
        "some_words": len(result.hits) - result.all_words if result.hits is not None else 0,
        "capped": result.capped,
        "suggestion": result.suggestion,
        "suggestion_query": _with_query(request, result.suggestion) if result.suggestion else "",
    }
    template = "projects/_results.html" if _is_fragment(request) else "projects/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    if cache_key is not None and response.status_code == 200:
        cache.set(cache_key, response.content, ANONYMOUS_PAGE_SECONDS)
    return response


ANONYMOUS_PAGE_SECONDS = 120


def _with_query(request: HttpRequest, query: str) -> str:
    """The current search's query string with `q` replaced (and back on the first page)."""
    params = request.GET.copy()
    params["q"] = query
    params.pop("page", None)
    return params.urlencode()


def _anonymous_page_key(request: HttpRequest) -> str | None:
    if request.user.is_authenticated or len(get_messages(request)):
        return None
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    kind = "fragment" if _is_fragment(request) else "page"
    return f"projects:anonymous-page:{library_version()}:{get_language()}:{kind}:{address}"


# Similar projects while a need is written


def _similar_for(user: Any, data: Any) -> list[SimilarProject]:
    # Only a search: characters the text rule refuses are left out rather than refused (the form refuses them).
    text = remove_refused_characters(" ".join(str(data.get(name, "")) for name in NEED_FIELDS))[:SIMILAR_TEXT_LIMIT]
    if not text.strip():
        return []
    sector = data.get("sector", "")
    types = [code for code in data.getlist("innovation_types") if code in InnovationTypeCode.values]
    return similar_projects(
        user=user,
        text=text,
        sector=sector if sector in Sector.values else "",
        innovation_types=types,
    )


def _similar_context(user: Any, data: Any) -> dict[str, Any]:
    similar = _similar_for(user, data)
    owners = owners_of([item.project for item in similar])
    return {
        "similar": [
            (item, owners.get(item.project.pk, []), [str(InnovationTypeCode(code).label) for code in item.shared_types])
            for item in similar
        ],
        "similar_checked": True,
    }


@login_required
@require_POST
def project_similar(request: HttpRequest) -> HttpResponse:
    """The list of similar projects for the need typed so far (posted by htmx: a need may be confidential, so it
    does not go into URLs and logs)."""
    return render(request, "projects/_similar.html", _similar_context(request.user, request.POST))


# Create, edit


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


@login_required
@require_POST
def attachment_upload(request: HttpRequest, slug: str) -> HttpResponse:
    project = _changeable(request, slug)
    form = AttachmentForm(request.POST, request.FILES, prefix="attachment")
    if form.is_valid():
        try:
            services.attachment_add(
                project=project, actor=request.user, upload=form.cleaned_data["file"], title=form.cleaned_data["title"]
            )
        except ProjectError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("The file was attached."))
            return redirect("projects:detail", slug=project.slug)
    context = _detail_context(request, project, attachment_form=form)
    return render(request, "projects/detail.html", context, status=400)


@require_safe
def attachment_download(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """Served through the application so the project's visibility decides who may download it."""
    project = _viewable(request, slug)
    attachment = get_object_or_404(Attachment, pk=pk, project=project)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def attachment_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = _changeable(request, slug)
    attachment = get_object_or_404(Attachment, pk=pk, project=project)
    services.attachment_remove(attachment=attachment, actor=request.user)
    messages.success(request, _("The attachment was removed."))
    return redirect("projects:detail", slug=project.slug)


# Partners and funding


def _add_to_project(
    request: HttpRequest,
    slug: str,
    *,
    form_class: type[PartnerForm] | type[FundingForm],
    prefix: str,
    add: Callable[[Project, Any, dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    """Shared by the small "add to the project" forms: check access, validate, call the service, and on a refusal
    show the project page again with the message beside the field and what was typed."""
    project = _changeable(request, slug)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            add(project, request.user, form.cleaned_data)
        except ProjectError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, done)
            return redirect("projects:detail", slug=project.slug)
    forms_shown: dict[str, Any] = {f"{prefix}_form": form}
    context = _detail_context(request, project, **forms_shown)
    return render(request, "projects/detail.html", context, status=400)


@login_required
@require_POST
def project_partner_add(request: HttpRequest, slug: str) -> HttpResponse:
    return _add_to_project(
        request,
        slug,
        form_class=PartnerForm,
        prefix="partner",
        add=lambda project, actor, data: services.project_add_partner(project=project, actor=actor, **data),
        done=_("The partner was added."),
    )


@login_required
@require_POST
def project_funding_add(request: HttpRequest, slug: str) -> HttpResponse:
    return _add_to_project(
        request,
        slug,
        form_class=FundingForm,
        prefix="funding",
        add=lambda project, actor, data: services.project_add_funding(project=project, actor=actor, **data),
        done=_("The funding source was added."),
    )


# Reuse


@login_required
@require_http_methods(["GET", "POST"])
def project_adopt(request: HttpRequest, slug: str) -> HttpResponse:
    """“We adopted this”: an editor records that one of their projects, or their organisation, adopted this one."""
    project = _viewable(request, slug)
    user = request.user
    if not (editable_organisations(user).exists() or editable_projects(user, exclude=project).exists()):
        raise PermissionDenied
    form = AdoptForm(request.POST if request.method == "POST" else None, user=user, source=project)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                adoption = services.project_adopt(
                    source=project,
                    actor=user,
                    how=data["how"],
                    adopted_on=data["adopted_on"],
                    adopter_project=data["adopter_project"],
                    adopter_organisation=data["adopter_organisation"],
                    note=data["note"],
                )
            except ProjectError as error:
                _add_service_error(form, error)
            else:
                adopter = adoption.adopting_project or adoption.adopting_organisation
                messages.success(
                    request,
                    _("Registered: %(adopter)s adopted “%(project)s”.") % {"adopter": adopter, "project": project},
                )
                return redirect("projects:detail", slug=project.slug)
        return render(request, "projects/adopt.html", {"project": project, "form": form}, status=400)
    return render(request, "projects/adopt.html", {"project": project, "form": form})
