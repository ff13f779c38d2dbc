"""The project library in the open API (``/api/v1/projects``): search with the same filters as the pages, facet
counts, one project, writes through the services, adoptions and similar projects.

Reads need no token: anonymous callers see public projects; a bearer token shows what its user may see. Writes
need a token and the same rights as on the pages — every write goes through `services`, whose refusals become
403 (`PermissionDenied`) or 422 with the field named (`ProjectError`).
"""

from typing import Any, Literal
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from nyskap.api.auth import OPTIONAL_AUTH, OPTIONAL_SECURITY, TOKEN_AUTH
from nyskap.api.errors import ErrorOut, invalid, refusal
from nyskap.api.pagination import PageNumberPagination
from nyskap.api.tasks import TaskOut, accepted
from nyskap.api.throttling import ANONYMOUS_WRITES
from nyskap.api.types import NoNul
from nyskap.core.search import RankedObjects
from nyskap.core.spreadsheets import csv_separator
from nyskap.organisations.models import Organisation

from .. import importexport, jobs, services
from ..models import (
    Adoption,
    Project,
)
from ..search import search_projects, similar_projects
from .schemas import (
    AdoptionIn,
    AdoptionOut,
    FacetsOut,
    PhaseChangeIn,
    ProjectDetailOut,
    ProjectFilters,
    ProjectHitOut,
    ProjectIn,
    ProjectUpdateIn,
    SimilarIn,
    SimilarOut,
)

router = Router(tags=["projects"])


# Helpers


def _caller(request: HttpRequest) -> Any:
    return getattr(request, "auth", None) or AnonymousUser()


# What a list item shows (`ProjectHitOut`): the project's long texts are not read for a list.
LIST_FIELDS = (
    "id",
    "slug",
    "title",
    "phase",
    "visibility",
    "sector",
    "degree",
    "novelty",
    "start_date",
    "end_date",
    "updated_at",
)


class _ListPage:
    """The projects of an API list, with each page's owners and innovation types read in two plain queries when the
    page is sliced (for a page of 50, Django's prefetch machinery costs more than the queries themselves)."""

    def __init__(self, projects: QuerySet[Project] | RankedObjects) -> None:
        self.projects = projects.only(*LIST_FIELDS)

    def count(self) -> int:
        return self.projects.count()

    def __getitem__(self, index: slice) -> list[Project]:
        page = list(self.projects[index])
        ids = [project.pk for project in page]
        owners: dict[int, list[dict[str, str]]] = {pk: [] for pk in ids}
        rows = Project.owners.through.objects.filter(project_id__in=ids).order_by("organisation__name", "pk")
        for pk, slug, name in rows.values_list("project_id", "organisation__slug", "organisation__name"):
            owners[pk].append({"slug": slug, "name": name})
        types: dict[int, list[str]] = {pk: [] for pk in ids}
        links = Project.innovation_types.through.objects.filter(project_id__in=ids).order_by("innovationtype_id")
        for pk, code in links.values_list("project_id", "innovationtype_id"):
            types[pk].append(code)
        for project in page:
            project.list_owners = owners[project.pk]  # type: ignore[attr-defined]
            project.list_innovation_types = types[project.pk]  # type: ignore[attr-defined]
        return page


def _with_relations(projects: QuerySet[Project] | RankedObjects) -> _ListPage:
    return _ListPage(projects)


def _detail_queryset() -> QuerySet[Project]:
    return Project.objects.prefetch_related(
        "owners", "innovation_types", "sdgs", "life_events", "phase_changes", "funding_sources"
    )


def _visible_project(request: HttpRequest, slug: str) -> Project:
    project = Project.objects.visible_to(_caller(request)).filter(slug=slug).first()
    if project is None:
        raise Http404
    return project


def _detail(project: Project) -> Project:
    return _detail_queryset().get(pk=project.pk)


def _field_values(payload: Schema, *, exclude: set[str]) -> dict[str, Any]:
    values = payload.model_dump(exclude_unset=True, exclude=exclude)
    for name, value in values.items():
        if isinstance(value, list):
            values[name] = [getattr(item, "value", item) for item in value]
        elif value is not None and hasattr(value, "value"):
            values[name] = value.value
    return values


# Reads


@router.get(
    "",
    response={200: list[ProjectHitOut], 401: ErrorOut, 422: ErrorOut},
    summary="Search projects",
    description=(
        "Projects the caller may see (anonymous: public ones), with the same search and filters as the project "
        "library's page. Repeat a filter for several values (`?phase=need&phase=ideas`): values of one filter are "
        "alternatives, different filters narrow each other. Ranked by relevance when `q` is given, otherwise the "
        "most recently updated first. 50 per page by default; facet counts are at `/projects/facets`."
    ),
    auth=OPTIONAL_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
)
@paginate(PageNumberPagination)
def project_list(request: HttpRequest, filters: Query[ProjectFilters]) -> Any:
    result = search_projects(user=_caller(request), params=filters.as_params(), with_facets=False)
    return _with_relations(result.projects)


@router.get(
    "/facets",
    response={200: FacetsOut, 401: ErrorOut, 422: ErrorOut},
    summary="Facet counts and spread for a search",
    description=(
        "For the same search and filters as `GET /projects`: how many projects have each value of each facet, and "
        "novelty shares and reuse over the result. Values with no projects are left out unless selected."
    ),
    auth=OPTIONAL_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
)
def project_facets(request: HttpRequest, filters: Query[ProjectFilters]) -> dict[str, Any]:
    result = search_projects(user=_caller(request), params=filters.as_params(), with_facets=True)
    spread = result.spread
    facets = {
        name: [
            {"value": str(v.value), "label": v.label, "count": v.count, "selected": v.selected}
            for v in result.facets.get(name, [])
        ]
        for name in FacetsOut.model_fields
        if name not in ("count", "spread")
    }
    if spread is None:  # the filters named a county that does not exist: nothing matches
        return {
            "count": 0,
            **facets,
            "spread": {
                "projects": 0,
                "novelty_known": 0,
                "novelty_unknown": 0,
                "first_of_its_kind": None,
                "inspired_adapted": None,
                "copied": None,
                "reuse": None,
                "adoptions": 0,
                "adopted_projects": 0,
            },
        }
    return {
        "count": spread.projects,
        **facets,
        "spread": {
            "projects": spread.projects,
            "novelty_known": spread.shares.known,
            "novelty_unknown": spread.novelty_unknown,
            "first_of_its_kind": spread.shares.first_of_its_kind,
            "inspired_adapted": spread.shares.inspired_adapted,
            "copied": spread.shares.copied,
            "reuse": spread.shares.reuse,
            "adoptions": spread.adoptions,
            "adopted_projects": spread.adopted_projects,
        },
    }


@router.post(
    "/similar",
    response={200: list[SimilarOut], 400: ErrorOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Projects similar to a need",
    description=(
        "Projects whose title and need share the most words with `text` — ongoing, finished and stopped alike — "
        "best first, each with why it matches. Only projects the caller may see (anonymous: public ones)."
    ),
    auth=OPTIONAL_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
    throttle=ANONYMOUS_WRITES,
)
def project_similar(request: HttpRequest, payload: SimilarIn) -> list[dict[str, Any]]:
    matches = similar_projects(
        user=_caller(request),
        text=payload.text,
        sector=payload.sector.value if payload.sector else "",
        innovation_types=[t.value for t in payload.innovation_types],
        limit=payload.limit,
    )
    projects = (
        Project.objects.filter(pk__in=[m.project.pk for m in matches])
        .prefetch_related("owners", "innovation_types")
        .in_bulk()
    )
    return [
        {
            "project": projects[match.project.pk],
            "shared_words": match.shared_words,
            "same_sector": match.same_sector,
            "shared_types": match.shared_types,
        }
        for match in matches
    ]


# Long work: exports and imports run as background tasks (`/api/v1/tasks/{id}`).

ExportFormat = Literal["csv", "xlsx", "json"]
# A CSV file's separator: `;` as Excel with Norwegian regional settings splits on it, `,` on request.
CsvSeparator = Literal["semicolon", "comma"]


@router.post(
    "/exports",
    auth=TOKEN_AUTH,
    response={202: TaskOut, 401: ErrorOut, 422: ErrorOut},
    summary="Export a search as a file",
    description=(
        "Starts a background task that writes the projects of a search (the same filters as `GET /projects`, as "
        "the token's user may see them) to a CSV, XLSX or JSON file, in the columns of the library's export. A CSV "
        "file is UTF-8 with a byte-order mark, every field quoted, `;` between fields (`sep=comma` for `,`). "
        "Answers 202 with the task and its address in `Location`; poll it until `status` is `done`, then download "
        "its `file_url`."
    ),
)
def project_export(
    request: HttpRequest,
    response: HttpResponse,
    filters: Query[ProjectFilters],
    format: ExportFormat = "csv",
    sep: CsvSeparator = "semicolon",
) -> Status[Any]:
    job = jobs.export_start(
        actor=request.auth,  # type: ignore[attr-defined]
        extension=format,
        query=urlencode(filters.as_params(), doseq=True),
        base_url=request.build_absolute_uri("/").rstrip("/"),
        separator=csv_separator(sep),
    )
    return accepted(request, response, job)


@router.post(
    "/imports",
    auth=TOKEN_AUTH,
    response={202: TaskOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Import projects from a spreadsheet",
    description=(
        "Multipart form with `organisation` (slug; the token's user must be an editor or administrator there) and "
        "`file` (CSV in UTF-8 or XLSX with the columns of the import template, at most 10 MB). Starts a background "
        "task and answers 202 with its address in `Location`. The task checks every row first: `done` with the "
        "created projects in `created`, or `failed` with every problem in `problems` (row and column) and nothing "
        "imported."
    ),
)
def project_import(
    request: HttpRequest, response: HttpResponse, organisation: Form[NoNul], file: File[UploadedFile]
) -> Status[Any]:
    actor = request.auth  # type: ignore[attr-defined]
    owner = Organisation.objects.filter(slug=organisation[:100]).first()
    if owner is None:
        return invalid("organisation", _("No organisation has this identifier."))
    try:
        services.require_editor_of(actor, owner)
    except PermissionDenied as exc:
        return refusal(exc, forbidden=_("You may not do this."))
    if file.size is not None and file.size > importexport.MAX_UPLOAD_BYTES:
        return invalid("file", _("The file is larger than 10 MB. Split it into several files."))
    if not (file.name or "").lower().endswith((".csv", ".xlsx")) or file.file is None:
        return invalid("file", _("Upload a .csv or .xlsx file."))
    job = jobs.import_start(actor=actor, owner=owner, upload=file.file, filename=file.name or "")
    return accepted(request, response, job)


@router.get(
    "/{slug}",
    response={200: ProjectDetailOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="One project",
    description="Everything about one project, with its timeline, partners and funding. 404 when no project has "
    "that slug or the caller may not see it.",
    auth=OPTIONAL_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
)
def project_detail(request: HttpRequest, slug: str) -> Project:
    return _detail(_visible_project(request, slug))


@router.get(
    "/{slug}/adoptions",
    response={200: list[AdoptionOut], 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Who adopted a project",
    description="Registered adoptions of the project (“we adopted this”), oldest first. An adopting project the "
    "caller may not see is shown by its owners only.",
    auth=OPTIONAL_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
)
def adoption_list(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    project = _visible_project(request, slug)
    adoptions = list(
        Adoption.objects.filter(source_project=project)
        .select_related("adopting_project", "adopting_organisation")
        .prefetch_related("adopting_project__owners")
    )
    adopting_ids = [a.adopting_project_id for a in adoptions if a.adopting_project_id]
    visible = set(Project.objects.visible_to(_caller(request)).filter(pk__in=adopting_ids).values_list("pk", flat=True))
    return [_adoption_out(adoption, adoption.adopting_project_id in visible) for adoption in adoptions]


def _adoption_out(adoption: Adoption, adopter_visible: bool) -> dict[str, Any]:
    adopting = adoption.adopting_project
    return {
        "adopting_project": adopting if adopting is not None and adopter_visible else None,
        "adopting_organisations": list(adopting.owners.all()) if adopting else [adoption.adopting_organisation],
        "how": adoption.how,
        "adopted_on": adoption.adopted_on,
        "source_phase": adoption.source_phase,
        "note": adoption.note if adopting is None or adopter_visible else "",
    }


# Writes


@router.post(
    "",
    auth=TOKEN_AUTH,
    response={201: ProjectDetailOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Register a project",
    description=(
        "Registers a project in the *need* phase, owned by `organisation`; the token's user must be an editor or "
        "administrator there and becomes the first author. The need (problem, who, today, effect) is required."
    ),
)
def project_create(request: HttpRequest, payload: ProjectIn) -> Status[Any]:
    owner = Organisation.objects.filter(slug=payload.organisation).first()
    if owner is None:
        return invalid("organisation", _("No organisation has this identifier."))
    values = _field_values(payload, exclude={"organisation"})
    values.setdefault("visibility", payload.visibility.value)
    try:
        project = services.project_create(actor=request.auth, owner=owner, **values)  # type: ignore[attr-defined]
    except (services.ProjectError, PermissionDenied) as exc:
        return refusal(exc, forbidden=_("You may not do this."))
    return Status(201, _detail(project))


@router.patch(
    "/{slug}",
    auth=TOKEN_AUTH,
    response={200: ProjectDetailOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Change a project",
    description="Changes the fields sent, nothing else. Authors and editors of the owning organisations may change "
    "a project. The phase changes through `POST /projects/{slug}/phase`.",
)
def project_update(request: HttpRequest, slug: str, payload: ProjectUpdateIn) -> Status[Any]:
    project = _visible_project(request, slug)
    values = _field_values(payload, exclude=set())
    try:
        services.project_update(project=project, actor=request.auth, **values)  # type: ignore[attr-defined]
    except (services.ProjectError, PermissionDenied) as exc:
        return refusal(exc, forbidden=_("You may not do this."))
    return Status(200, _detail(project))


@router.post(
    "/{slug}/phase",
    auth=TOKEN_AUTH,
    response={200: ProjectDetailOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Change a project's phase",
    description=(
        "Moves the project one step forward (need → ideas → develop_test → implemented → spread), one step back "
        "with a note, to stopped (with the reason and lessons learned), or reopens a stopped project in the phase "
        "it was stopped from. Recorded in the timeline."
    ),
)
def project_change_phase(request: HttpRequest, slug: str, payload: PhaseChangeIn) -> Status[Any]:
    project = _visible_project(request, slug)
    try:
        services.project_change_phase(
            project=project,
            to_phase=payload.phase.value,
            actor=request.auth,  # type: ignore[attr-defined]
            note=payload.note,
            stopped_reason=payload.stopped_reason,
            lessons_learned=payload.lessons_learned,
        )
    except (services.ProjectError, PermissionDenied) as exc:
        return refusal(exc, forbidden=_("You may not do this."))
    return Status(200, _detail(project))


@router.post(
    "/{slug}/adoptions",
    auth=TOKEN_AUTH,
    response={201: AdoptionOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Register an adoption",
    description=(
        "“We adopted this”: records that your project (`adopting_project`) or your organisation "
        "(`adopting_organisation`, without a project of its own) took this project's solution into use. Give "
        "exactly one of them; you must be able to change the adopter."
    ),
)
def adoption_create(request: HttpRequest, slug: str, payload: AdoptionIn) -> Status[Any]:
    source = _visible_project(request, slug)
    actor = request.auth  # type: ignore[attr-defined]
    adopter_project = adopter_organisation = None
    if payload.adopting_project is not None:
        adopter_project = Project.objects.visible_to(actor).filter(slug=payload.adopting_project).first()
        if adopter_project is None:
            return invalid("adopting_project", _("No project you can see has this identifier."))
    if payload.adopting_organisation is not None:
        adopter_organisation = Organisation.objects.filter(slug=payload.adopting_organisation).first()
        if adopter_organisation is None:
            return invalid("adopting_organisation", _("No organisation has this identifier."))
    try:
        adoption = services.project_adopt(
            source=source,
            actor=actor,
            how=payload.how.value,
            adopted_on=payload.adopted_on,
            adopter_project=adopter_project,
            adopter_organisation=adopter_organisation,
            note=payload.note,
        )
    except services.ProjectError as exc:
        if exc.field == "adopter_project":  # the service's name for the adopter; ours says which one
            exc.field = "adopting_project" if adopter_project is not None else "adopting_organisation"
        return refusal(exc, forbidden=_("You may not do this."))
    except PermissionDenied as exc:
        return refusal(exc, forbidden=_("You may not do this."))
    return Status(201, _adoption_out(adoption, True))
