"""Reads that the pages and the API share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from nyskap.core import versions

from .models import CentralityClass, County, Organisation, OrganisationKind, size_band_choices
from .validators import normalise_organisation_number

# The counties change only with a reference-data load (a county reform); every search form asks for them. Kept in
# each process under a version stamp, which a saved or deleted county bumps (see apps.py), so a request reads them
# with the other stamps in one cache round trip and the database once per process and change.
_counties = versions.Memo(
    "organisations:county-choices-version",
    lambda: list(County.objects.order_by("number").values_list("number", "name")),
)


def county_choices() -> list[tuple[str, str]]:
    """(number, name) of every county, by number."""
    return list(_counties())


def forget_county_choices(**_kwargs: object) -> None:
    _counties.forget()


def _case_variants(text: str) -> list[str]:
    # SQLite's LIKE folds case for ASCII letters only, so "ålesund" would miss "Ålesund"; trying the common
    # capitalisations as well makes the search behave the same on SQLite and PostgreSQL for Norwegian names.
    return list(dict.fromkeys([text, text.lower(), text.upper(), text.capitalize(), text.title()]))


def organisation_search(
    *,
    q: str | None = None,
    kind: str | None = None,
    county: str | None = None,
    size_band: str | None = None,
    centrality_class: int | None = None,
) -> QuerySet[Organisation]:
    """Organisations matching every filter given, ordered by name; the county is fetched in the same query."""
    organisations = Organisation.objects.select_related("county")
    if q and q.strip():
        text = q.strip()
        condition = Q()
        for variant in _case_variants(text):
            condition |= (
                Q(name__icontains=variant)
                | Q(official_name__icontains=variant)
                | Q(short_name__icontains=variant)
                | Q(legal_name__icontains=variant)
            )
        digits = normalise_organisation_number(text)
        if digits.isdigit():
            condition |= Q(organisation_number__contains=digits) | Q(municipality_number=digits)
        organisations = organisations.filter(condition)
    if kind:
        organisations = organisations.filter(kind=kind)
    if county:
        organisations = organisations.filter(county__number=county)
    if size_band:
        # Stored on save, for municipalities only (see Organisation.save).
        organisations = organisations.filter(size_band=size_band)
    if centrality_class:
        organisations = organisations.filter(centrality_class=centrality_class)
    return organisations.order_by("name", "pk")


def organisation_for_detail() -> QuerySet[Organisation]:
    """Everything the detail page and the detail API show, in a fixed number of queries."""
    return Organisation.objects.select_related(
        "county", "county__county_municipality", "county__county_governor", "parent"
    ).prefetch_related(
        Prefetch("subordinates", queryset=Organisation.objects.order_by("name")),
        "governed_counties",
    )


# Profiles for the dashboards (M8)


@dataclass(frozen=True)
class Profile:
    id: int
    kind: str
    name: str
    slug: str
    organisation_number: str
    county: str  # county number, or ""
    size_band: str
    centrality: int | None


def profiles() -> list[Profile]:
    """Every organisation that has not ended, with where it sits (one query)."""
    return [
        Profile(pk, kind, name, slug, number, county or "", band, centrality)
        for pk, kind, name, slug, number, county, band, centrality in Organisation.objects.filter(ended_on__isnull=True)
        .order_by()
        .values_list(
            "pk", "kind", "name", "slug", "organisation_number", "county__number", "size_band", "centrality_class"
        )
    ]


def kind_choices() -> list[tuple[str, Any]]:
    return list(OrganisationKind.choices)


def size_bands() -> list[tuple[str, str]]:
    return size_band_choices()


def centrality_choices() -> list[tuple[int, Any]]:
    return list(CentralityClass.choices)


MUNICIPALITY = OrganisationKind.MUNICIPALITY.value
COUNTY_MUNICIPALITY = OrganisationKind.COUNTY_MUNICIPALITY.value
COUNTY_GOVERNOR = OrganisationKind.COUNTY_GOVERNOR.value
PUBLIC_SECTOR_KINDS = tuple(str(kind) for kind in OrganisationKind.public_sector())


def profile_by_key(key: str) -> Profile | None:
    """The organisation with this organisation number or slug (not an ended one)."""
    found = (
        Organisation.objects.filter(ended_on__isnull=True)
        .filter(Q(organisation_number=key) | Q(slug=key))
        .order_by("pk")
        .values_list(
            "pk", "kind", "name", "slug", "organisation_number", "county__number", "size_band", "centrality_class"
        )
        .first()
    )
    if found is None:
        return None
    pk, kind, name, slug, number, county, band, centrality = found
    return Profile(pk, kind, name, slug, number, county or "", band, centrality)
