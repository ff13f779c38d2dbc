"""Organisations and counties in the open API (``/api/v1/organisations``, ``/api/v1/counties``)."""

import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from nyskap.api.errors import ErrorOut
from nyskap.api.pagination import PageNumberPagination
from nyskap.api.types import NO_NUL_PATTERN

from .models import County, Organisation, OrganisationKind
from .schemas import OrganisationRef, SizeBand
from .selectors import organisation_for_detail, organisation_search

router = Router(tags=["organisations"])
counties_router = Router(tags=["counties"])


class OrganisationOut(Schema):
    slug: str = Field(description="Stable identifier used in URLs, e.g. `oslo`.")
    name: str = Field(description="Common Norwegian name, e.g. `Oslo` or `Digitaliseringsdirektoratet`.")
    short_name: str = Field(description="Abbreviation, e.g. `Digdir`; empty when none.")
    kind: OrganisationKind = Field(description="Kind of organisation.")
    organisation_number: str | None = Field(
        description="Nine-digit number in the Central Coordinating Register for Legal Entities; null when unknown."
    )
    municipality_number: str | None = Field(description="Four-digit municipality number (municipalities only).")
    county: str | None = Field(description="Two-digit county number, or null when the organisation has no county.")
    population: int | None = Field(description="Inhabitants on 1 January of `population_year`.")
    population_year: int | None = Field(description="The year of `population` (1 January).")
    size_band: str | None = Field(description="Population band (municipalities only), see the `size_band` filter.")
    centrality_class: int | None = Field(description="SSB centrality class 1–6 (1 = most central).")
    centrality_index: int | None = Field(description="SSB centrality index 0–1000.")
    ended_on: datetime.date | None = Field(description="The date the organisation ceased to exist; null if active.")

    @staticmethod
    def resolve_organisation_number(obj: Organisation) -> str | None:
        return obj.organisation_number or None

    @staticmethod
    def resolve_municipality_number(obj: Organisation) -> str | None:
        return obj.municipality_number or None

    @staticmethod
    def resolve_size_band(obj: Organisation) -> str | None:
        return obj.size_band or None

    @staticmethod
    def resolve_county(obj: Organisation) -> str | None:
        return obj.county.number if obj.county else None


class OrganisationDetailOut(OrganisationOut):
    official_name: str = Field(description="Full official name, with Sami and Kven forms; empty when not known.")
    other_name_forms: list[str] = Field(description="The Sami and Kven parts of the official name.")
    legal_name: str = Field(description="Legal name in the Central Coordinating Register; empty when not known.")
    category: str = Field(description="Category in the source data, e.g. `direktorat/etat`, `tilsyn`.")
    parent: OrganisationRef | None = Field(description="The ministry the organisation reports to.")
    subordinates: list[OrganisationRef] = Field(description="Bodies that report to this organisation.")
    county_municipality: OrganisationRef | None = Field(description="The county municipality of the county.")
    county_governor: OrganisationRef | None = Field(description="The Statsforvalter office covering the county.")
    website: str = Field(description="Website address; empty when not known.")
    note: str = Field(description="Notes from the reference data (in Norwegian).")
    sources: list[str] = Field(description="Source codes, explained in the shipped SOURCES.md.")

    @staticmethod
    def resolve_other_name_forms(obj: Organisation) -> list[str]:
        return [part.strip() for part in obj.other_name_forms.split(";") if part.strip()]

    @staticmethod
    def resolve_sources(obj: Organisation) -> list[str]:
        return [part.strip() for part in obj.sources.split(";") if part.strip()]

    @staticmethod
    def resolve_subordinates(obj: Organisation) -> list[Organisation]:
        return list(obj.subordinates.all())

    @staticmethod
    def resolve_county_municipality(obj: Organisation) -> Organisation | None:
        return obj.county.county_municipality if obj.county else None

    @staticmethod
    def resolve_county_governor(obj: Organisation) -> Organisation | None:
        return obj.county.county_governor if obj.county else None


class CountyOut(Schema):
    number: str = Field(description="Two-digit county number (2024 structure), e.g. `46`.")
    name: str = Field(description="Norwegian name, e.g. `Vestland`.")
    official_name: str = Field(description="Official name with Sami and Kven forms.")
    county_municipality: OrganisationRef | None = Field(
        description="The county municipality; for Oslo (03) the municipality itself."
    )
    county_governor: OrganisationRef | None = Field(description="The Statsforvalter office covering the county.")


class OrganisationFilters(Schema):
    q: str | None = Field(
        None,
        max_length=100,
        pattern=NO_NUL_PATTERN,
        description="Search in names, short name and organisation number (case-insensitive).",
    )
    kind: OrganisationKind | None = Field(None, description="Only organisations of this kind.")
    county: str | None = Field(None, pattern=r"^\d{2}$", description="Two-digit county number, e.g. `46`.")
    size_band: SizeBand | None = Field(None, description="Population band (municipalities only).")  # type: ignore[valid-type]
    centrality_class: int | None = Field(None, ge=1, le=6, description="SSB centrality class 1–6.")


@router.get(
    "",
    response={200: list[OrganisationOut], 422: ErrorOut},
    summary="List organisations",
    description=(
        "Public bodies and other organisations, ordered by name, 50 per page by default. Filters combine; an "
        "unknown filter value gives 422 with the field named."
    ),
)
@paginate(PageNumberPagination)
def organisation_list(request: HttpRequest, filters: Query[OrganisationFilters]) -> QuerySet[Organisation]:
    values = filters.dict()
    for name in ("kind", "size_band"):
        if values[name] is not None:
            values[name] = str(values[name].value)
    return organisation_search(**values)


@router.get(
    "/{slug}",
    response={200: OrganisationDetailOut, 404: ErrorOut, 422: ErrorOut},
    summary="One organisation",
    description="All facts about one organisation, with links to its parent ministry, county municipality "
    "and county governor. 404 when no organisation has that slug.",
)
def organisation_detail(request: HttpRequest, slug: str) -> Organisation:
    return get_object_or_404(organisation_for_detail(), slug=slug)


@counties_router.get(
    "",
    response={200: list[CountyOut], 422: ErrorOut},
    summary="List counties",
    description="The 15 counties of the 2024 structure, ordered by number, with their county municipality "
    "and Statsforvalter office.",
)
def county_list(request: HttpRequest) -> QuerySet[County]:
    return County.objects.select_related("county_municipality", "county_governor").order_by("number")
