"""The project library in the open API (``/api/v1/projects``): search with the same filters as the pages, facet
counts, one project, writes through the services, adoptions and similar projects.

Reads need no token: anonymous callers see public projects; a bearer token shows what its user may see. Writes
need a token and the same rights as on the pages — every write goes through `services`, whose refusals become
403 (`PermissionDenied`) or 422 with the field named (`ProjectError`).
"""

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import StringConstraints

from nyskap.api.auth import TokenAuth
from nyskap.api.errors import ErrorOut
from nyskap.api.pagination import PageNumberPagination
from nyskap.api.tasks import TaskOut, accepted
from nyskap.api.throttling import ANONYMOUS_WRITES
from nyskap.api.types import InSchema, NoNul
from nyskap.core.search import RankedObjects
from nyskap.core.visibility import Visibility
from nyskap.organisations.api import OrganisationRef, SizeBand
from nyskap.organisations.models import Organisation, OrganisationKind

from . import importexport, jobs, services
from .importexport import project_page_path
from .models import (
    Adoption,
    AdoptionHow,
    Degree,
    EffectsMeasurement,
    InnovationTypeCode,
    LifeEventCode,
    Novelty,
    Phase,
    Project,
    Sector,
)
from .search import search_projects, similar_projects

router = Router(tags=["projects"])


class OptionalTokenAuth(TokenAuth):
    """Reads: no ``Authorization`` header means an anonymous caller (public projects only); a header must carry
    a valid token, or the call is refused with 401 — a mistyped token should not silently show less."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.headers.get(self.header):
            return AnonymousUser()
        return super().__call__(request)


OPTIONAL_AUTH = OptionalTokenAuth()
TOKEN_AUTH = TokenAuth()
# `{}` in the operation's security list tells clients (and schemathesis) that the token is optional.
OPTIONAL_SECURITY: dict[str, Any] = {"security": [{}]}

# Text without NUL characters, which PostgreSQL cannot store or compare.
CountyNumber = Annotated[str, StringConstraints(pattern=r"^\d{2}$")]
Centrality = Annotated[int, Field(ge=1, le=6)]
SdgNumber = Annotated[int, Field(ge=1, le=17)]


# Output


class ProjectOut(Schema):
    slug: str = Field(description="Stable identifier used in URLs.")
    title: str = Field(description="The project's title.")
    url: str = Field(description="Address of the project's page.")
    owners: list[OrganisationRef] = Field(description="The organisations that own the project.")
    phase: Phase = Field(description="Current phase: need, ideas, develop_test, implemented, spread or stopped.")
    visibility: Visibility = Field(description="Who may see the project: draft, organisation, network or public.")
    sector: Sector | None = Field(description="Sector or service area group; null when not given.")
    innovation_types: list[InnovationTypeCode] = Field(description="Kinds of innovation (white paper ch. 3.1).")
    degree: Degree | None = Field(description="Degree of innovation; null when not given.")
    novelty: Novelty | None = Field(description="Novelty (innovation barometer); null when not given.")
    start_date: datetime.date | None = Field(description="Start date; null when not given.")
    end_date: datetime.date | None = Field(description="End date; null when not given.")
    updated_at: datetime.datetime = Field(description="When the project was last changed.")

    @staticmethod
    def resolve_url(obj: Project, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(project_page_path(obj.slug))

    @staticmethod
    def resolve_owners(obj: Project) -> list[Any]:
        loaded = getattr(obj, "list_owners", None)  # read for a whole page by `_ListPage`
        return loaded if loaded is not None else list(obj.owners.all())

    @staticmethod
    def resolve_innovation_types(obj: Project) -> list[str]:
        loaded = getattr(obj, "list_innovation_types", None)
        return loaded if loaded is not None else [t.code for t in obj.innovation_types.all()]

    @staticmethod
    def resolve_sector(obj: Project) -> str | None:
        return obj.sector or None

    @staticmethod
    def resolve_degree(obj: Project) -> str | None:
        return obj.degree or None

    @staticmethod
    def resolve_novelty(obj: Project) -> str | None:
        return obj.novelty or None


class ProjectHitOut(ProjectOut):
    """A project in a list or search result: with a text query, whether it matches every word."""

    match: Literal["all", "some"] | None = Field(
        default=None,
        description=(
            "With a text query `q`: `all` when the project matches every word searched for, `some` when it matches "
            "only some of them (such results come after all `all` results). Null without a text query or when the "
            "results are sorted by another order than relevance."
        ),
    )
    missing_words: list[str] = Field(
        default_factory=list, description="With `match` = `some`: the searched words the project does not match."
    )

    @staticmethod
    def resolve_match(obj: Project) -> str | None:
        return getattr(obj, "search_match", None)

    @staticmethod
    def resolve_missing_words(obj: Project) -> list[str]:
        return list(getattr(obj, "search_missing", ()))


class PhaseChangeOut(Schema):
    from_phase: Phase | None = Field(description="The phase before; null for the entry made when it was created.")
    to_phase: Phase = Field(description="The phase after.")
    at: datetime.datetime = Field(description="When the phase changed.")
    note: str = Field(description="Why, when given (required when going back or stopping).")

    @staticmethod
    def resolve_from_phase(obj: Any) -> str | None:
        return obj.from_phase or None


class PartnerOut(Schema):
    name: str = Field(description="The partner's name (the organisation's name when registered).")
    organisation: OrganisationRef | None = Field(description="The registered organisation, when it is one.")
    role: str = Field(description="public_body, research, business, voluntary or citizens.")
    contribution: str = Field(description="What the partner contributes; empty when not given.")

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return obj.organisation.name if obj.organisation_id else obj.name


class FundingOut(Schema):
    source_name: str = Field(description="Where the money came from.")
    amount: Decimal = Field(description="Amount in Norwegian kroner.")
    year: int | None = Field(description="The year of the funding; null when not given.")


class ProjectDetailOut(ProjectOut):
    need_problem: str = Field(description="The problem (Markdown).")
    need_who: str = Field(description="Who has the problem (Markdown).")
    need_today: str = Field(description="How it is handled today (Markdown).")
    need_effect: str = Field(description="The effect wanted (Markdown).")
    description: str = Field(description="Description of the project (Markdown); empty when not given.")
    service_area: str = Field(description="Service area in the organisation's own words; empty when not given.")
    sdgs: list[int] = Field(description="Numbers of the UN sustainable development goals the project serves.")
    life_events: list[LifeEventCode] = Field(description="Life events of the national digitalisation strategy.")
    budget: Decimal | None = Field(description="Total budget in Norwegian kroner; null when not given.")
    effects_achieved: str = Field(description="Effects achieved (Markdown); empty when not given.")
    effects_measurement: EffectsMeasurement = Field(description="How the effects were measured.")
    lessons_learned: str = Field(description="Lessons learned, also what did not work (Markdown).")
    stopped_reason: str = Field(description="Why the project was stopped; empty unless stopped.")
    contact_name: str = Field(description="Contact person; empty when not given.")
    contact_email: str = Field(description="Contact e-mail address; empty when not given.")
    source: str = Field(description="Where the information comes from, e.g. a white paper; empty when not given.")
    is_synthetic: bool = Field(description="True for made-up demonstration data.")
    created_at: datetime.datetime = Field(description="When the project was registered.")
    partners: list[PartnerOut] = Field(description="Partners in the project.")
    funding_sources: list[FundingOut] = Field(description="Funding sources.")
    timeline: list[PhaseChangeOut] = Field(description="Every phase change, oldest first.")

    @staticmethod
    def resolve_sdgs(obj: Project) -> list[int]:
        return [goal.number for goal in obj.sdgs.all()]

    @staticmethod
    def resolve_life_events(obj: Project) -> list[str]:
        return [event.code for event in obj.life_events.all()]

    @staticmethod
    def resolve_partners(obj: Project) -> list[Any]:
        return list(obj.partners.select_related("organisation"))

    @staticmethod
    def resolve_funding_sources(obj: Project) -> list[Any]:
        return list(obj.funding_sources.all())

    @staticmethod
    def resolve_timeline(obj: Project) -> list[Any]:
        return list(obj.phase_changes.all())


class FacetOut(Schema):
    value: str = Field(description="The value to pass in the filter of the same name.")
    label: str = Field(description="The value's name in the language of the request.")
    count: int = Field(description="Projects in the current result with this value.")
    selected: bool = Field(description="True when this value is in the current filter.")


class SpreadOut(Schema):
    projects: int = Field(description="Projects in the result.")
    novelty_known: int = Field(description="Projects in the result that state their novelty.")
    novelty_unknown: int = Field(description="Projects in the result that do not state their novelty.")
    first_of_its_kind: float | None = Field(description="Share (0–1) first of its kind, of those that state it.")
    inspired_adapted: float | None = Field(description="Share (0–1) inspired by others and adapted.")
    copied: float | None = Field(description="Share (0–1) copied from others.")
    reuse: float | None = Field(description="Share (0–1) building on others (inspired and adapted, or copied).")
    adoptions: int = Field(description="Registered adoptions of projects in the result.")
    adopted_projects: int = Field(description="Projects in the result that somebody adopted.")


class FacetsOut(Schema):
    count: int = Field(description="Projects matching the search and filters.")
    phase: list[FacetOut] = Field(description="Counts per phase.")
    innovation_type: list[FacetOut] = Field(description="Counts per innovation type.")
    degree: list[FacetOut] = Field(description="Counts per degree of innovation.")
    novelty: list[FacetOut] = Field(description="Counts per novelty.")
    sector: list[FacetOut] = Field(description="Counts per sector.")
    county: list[FacetOut] = Field(description="Counts per county of the owning organisations.")
    organisation_kind: list[FacetOut] = Field(description="Counts per kind of owning organisation.")
    size_band: list[FacetOut] = Field(description="Counts per population band of owning municipalities.")
    centrality: list[FacetOut] = Field(description="Counts per centrality class of owning municipalities.")
    sdg: list[FacetOut] = Field(description="Counts per sustainable development goal.")
    life_event: list[FacetOut] = Field(description="Counts per life event.")
    spread: SpreadOut = Field(description="Novelty shares and reuse over the result.")


class ProjectRef(Schema):
    slug: str = Field(description="Stable identifier used in URLs.")
    title: str = Field(description="The project's title.")


class AdoptionOut(Schema):
    adopting_project: ProjectRef | None = Field(
        description="The adopting project; null when an organisation adopted without a project, or when the caller "
        "may not see the adopting project."
    )
    adopting_organisations: list[OrganisationRef] = Field(
        description="The adopting organisation, or the owners of the adopting project."
    )
    how: AdoptionHow = Field(description="copied or adapted.")
    adopted_on: datetime.date = Field(description="When the solution was taken into use.")
    source_phase: Phase = Field(description="The adopted project's phase when the adoption was registered.")
    note: str = Field(description="Note from the adopter; empty when the adopting project is not visible.")


class SimilarOut(Schema):
    project: ProjectOut = Field(description="The similar project.")
    shared_words: list[str] = Field(description="Words of the text that the project's title and need share.")
    same_sector: bool = Field(description="True when the project is in the sector given.")
    shared_types: list[InnovationTypeCode] = Field(description="Innovation types given that the project shares.")


# Input


class ProjectFilters(Schema):
    q: NoNul | None = Field(None, max_length=200, description="Words to search for (Norwegian stemming).")
    phase: list[Phase] = Field([], description="Phases (repeat the parameter for several; any of them).")
    innovation_type: list[InnovationTypeCode] = Field([], description="Innovation types (any of them).")
    degree: list[Degree] = Field([], description="Degrees of innovation (any of them).")
    novelty: list[Novelty] = Field([], description="Novelty values (any of them).")
    sector: list[Sector] = Field([], description="Sectors (any of them).")
    county: list[CountyNumber] = Field([], description="Two-digit county numbers of an owner (any of them).")
    organisation_kind: list[OrganisationKind] = Field([], description="Kinds of owning organisation.")
    size_band: list[SizeBand] = Field([], description="Population bands of an owning municipality.")  # type: ignore[valid-type]
    centrality: list[Centrality] = Field([], description="SSB centrality classes 1–6 of an owner.")
    sdg: list[SdgNumber] = Field([], description="Sustainable development goals 1–17 (any of them).")
    life_event: list[LifeEventCode] = Field([], description="Life events (any of them).")
    effects_measured: bool | None = Field(None, description="true: effects measured; false: not measured.")
    stopped: bool | None = Field(None, description="true: only stopped projects; false: without stopped ones.")
    sort: str | None = Field(
        None,
        pattern=r"^(relevance|updated|title)$",
        description="relevance (default with q), updated (default without q) or title.",
    )

    def as_params(self) -> dict[str, Any]:
        """The filters in the shape of the search form's data."""
        params: dict[str, Any] = {}
        for name, value in self.model_dump().items():
            if value is None or value == []:
                continue
            if isinstance(value, bool):
                params[name] = "yes" if value else "no"
            elif isinstance(value, list):
                params[name] = [str(getattr(item, "value", item)) for item in value]
            else:
                params[name] = str(value)
        return params


class ProjectFields(InSchema):
    """Fields shared by creating and changing a project."""

    description: str | None = Field(None, description="Description (Markdown).")
    service_area: str | None = Field(None, max_length=200, description="Service area in your own words.")
    sector: Sector | None = Field(None, description="Sector.")
    innovation_types: list[InnovationTypeCode] | None = Field(None, description="Kinds of innovation.")
    degree: Degree | None = Field(None, description="Degree of innovation.")
    novelty: Novelty | None = Field(None, description="Novelty.")
    sdgs: list[SdgNumber] | None = Field(None, description="Sustainable development goals 1–17.")
    life_events: list[LifeEventCode] | None = Field(None, description="Life events.")
    budget: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2, description="Total budget in NOK.")
    start_date: datetime.date | None = Field(None, description="Start date.")
    end_date: datetime.date | None = Field(None, description="End date (not before the start date).")
    effects_achieved: str | None = Field(None, description="Effects achieved (Markdown).")
    effects_measurement: EffectsMeasurement | None = Field(None, description="How the effects were measured.")
    lessons_learned: str | None = Field(None, description="Lessons learned (Markdown).")
    contact_name: str | None = Field(None, max_length=150, description="Contact person.")
    contact_email: str | None = Field(None, max_length=254, description="Contact e-mail address.")
    source: str | None = Field(None, max_length=300, description="Where the information comes from.")


class ProjectIn(ProjectFields):
    organisation: str = Field(description="Slug of the owning organisation; you must be its editor or admin.")
    title: str = Field(max_length=200, description="The project's title.")
    need_problem: str = Field(description="The problem – the need comes before the solution (Markdown).")
    need_who: str = Field(description="Who has the problem (Markdown).")
    need_today: str = Field(description="How it is handled today (Markdown).")
    need_effect: str = Field(description="The effect wanted (Markdown).")
    visibility: Visibility = Field(Visibility.DRAFT, description="Who may see the project; draft by default.")


class ProjectUpdateIn(ProjectFields):
    """Only the fields sent are changed; the phase changes through `POST /projects/{slug}/phase`."""

    title: str | None = Field(None, max_length=200, description="The project's title.")
    need_problem: str | None = Field(None, description="The problem (Markdown).")
    need_who: str | None = Field(None, description="Who has the problem (Markdown).")
    need_today: str | None = Field(None, description="How it is handled today (Markdown).")
    need_effect: str | None = Field(None, description="The effect wanted (Markdown).")
    visibility: Visibility | None = Field(None, description="Who may see the project.")


class PhaseChangeIn(InSchema):
    phase: Phase = Field(description="The phase to move to: one step forward, one back (with a note), or stopped.")
    note: str = Field("", max_length=5000, description="Why; required when going back.")
    stopped_reason: str = Field("", max_length=5000, description="Why the project is stopped; required to stop.")
    lessons_learned: str | None = Field(
        None, description="Lessons learned; required to stop unless the project already has them."
    )


class AdoptionIn(InSchema):
    adopting_project: str | None = Field(None, description="Slug of your project that adopted this one.")
    adopting_organisation: str | None = Field(
        None, description="Slug of your organisation, when it adopted the solution without a project of its own."
    )
    how: AdoptionHow = Field(description="copied or adapted.")
    adopted_on: datetime.date = Field(description="When the solution was taken into use (not in the future).")
    note: str = Field("", max_length=5000, description="What you changed, what worked.")


class SimilarIn(InSchema):
    text: NoNul = Field(min_length=1, max_length=10000, description="A need or idea, in Norwegian.")
    sector: Sector | None = Field(None, description="Your sector, to mark projects in the same sector.")
    innovation_types: list[InnovationTypeCode] = Field([], description="Innovation types to mark shared ones.")
    limit: int = Field(5, ge=1, le=20, description="How many projects to return (1–20).")


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


def _error(status: int, code: str, message: str, errors: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {"status": status, "code": code, "message": message, "errors": errors or []}


def _refusal(exc: Exception) -> Status[dict[str, Any]]:
    if isinstance(exc, PermissionDenied):
        return Status(403, _error(403, "forbidden", str(exc) or _("You may not do this.")))
    assert isinstance(exc, services.ProjectError)
    return _invalid(exc.field or "__all__", exc.message)


def _invalid(field: str, message: str) -> Status[dict[str, Any]]:
    return Status(
        422, _error(422, "validation_error", "The request is not valid.", [{"field": field, "message": message}])
    )


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


@router.post(
    "/exports",
    auth=TOKEN_AUTH,
    response={202: TaskOut, 401: ErrorOut, 422: ErrorOut},
    summary="Export a search as a file",
    description=(
        "Starts a background task that writes the projects of a search (the same filters as `GET /projects`, as "
        "the token's user may see them) to a CSV, XLSX or JSON file, in the columns of the library's export. "
        "Answers 202 with the task and its address in `Location`; poll it until `status` is `done`, then download "
        "its `file_url`."
    ),
)
def project_export(
    request: HttpRequest,
    response: HttpResponse,
    filters: Query[ProjectFilters],
    format: ExportFormat = "csv",
) -> Status[Any]:
    job = jobs.export_start(
        actor=request.auth,  # type: ignore[attr-defined]
        extension=format,
        query=urlencode(filters.as_params(), doseq=True),
        base_url=request.build_absolute_uri("/").rstrip("/"),
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
        return _invalid("organisation", _("No organisation has this identifier."))
    try:
        services.require_editor_of(actor, owner)
    except PermissionDenied as exc:
        return _refusal(exc)
    if file.size is not None and file.size > importexport.MAX_UPLOAD_BYTES:
        return _invalid("file", _("The file is larger than 10 MB. Split it into several files."))
    if not (file.name or "").lower().endswith((".csv", ".xlsx")) or file.file is None:
        return _invalid("file", _("Upload a .csv or .xlsx file."))
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
        return _invalid("organisation", _("No organisation has this identifier."))
    values = _field_values(payload, exclude={"organisation"})
    values.setdefault("visibility", payload.visibility.value)
    try:
        project = services.project_create(actor=request.auth, owner=owner, **values)  # type: ignore[attr-defined]
    except (services.ProjectError, PermissionDenied) as exc:
        return _refusal(exc)
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
        return _refusal(exc)
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
        return _refusal(exc)
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
            return _invalid("adopting_project", _("No project you can see has this identifier."))
    if payload.adopting_organisation is not None:
        adopter_organisation = Organisation.objects.filter(slug=payload.adopting_organisation).first()
        if adopter_organisation is None:
            return _invalid("adopting_organisation", _("No organisation has this identifier."))
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
        return _refusal(exc)
    except PermissionDenied as exc:
        return _refusal(exc)
    return Status(201, _adoption_out(adoption, True))
