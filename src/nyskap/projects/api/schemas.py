"""The project API's input and output schemas (``/api/v1/projects``)."""

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from nyskap.api.types import InSchema, NoNul
from nyskap.core.visibility import Visibility
from nyskap.organisations.api import OrganisationRef, SizeBand
from nyskap.organisations.models import OrganisationKind

from ..importexport import project_page_path
from ..models import (
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
