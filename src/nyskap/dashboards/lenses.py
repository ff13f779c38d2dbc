"""The lenses a dashboard looks through: the country, a county (its municipalities, county municipality and county
governor), an organisation, a sector, a municipality size band and an SSB centrality class. A lens is a kind and a
key; which organisations and items fall in it is decided here, once, for the computation, the pages and the API."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from nyskap.organisations import selectors as organisation_selectors

COUNTRY = "country"
COUNTY = "county"
ORGANISATION = "organisation"
SECTOR = "sector"
SIZE_BAND = "size_band"
CENTRALITY = "centrality"

KINDS = (COUNTRY, COUNTY, ORGANISATION, SECTOR, SIZE_BAND, CENTRALITY)
COUNTRY_KEY = "NO"

# The organisations a county lens holds (the "its municipalities, county municipality and county governor").
COUNTY_KINDS = (
    organisation_selectors.MUNICIPALITY,
    organisation_selectors.COUNTY_MUNICIPALITY,
    organisation_selectors.COUNTY_GOVERNOR,
)

Lens = tuple[str, str]  # (kind, key)
NATIONAL: Lens = (COUNTRY, COUNTRY_KEY)


@dataclass(frozen=True)
class Directory:
    """Where every organisation sits: its own lens key, and the county, size-band and centrality lenses it counts
    in. Built from the organisation register in one query."""

    profiles: dict[int, organisation_selectors.Profile]

    @classmethod
    def load(cls) -> Directory:
        return cls({p.id: p for p in organisation_selectors.profiles()})

    def organisation_key(self, organisation_id: int) -> str | None:
        profile = self.profiles.get(organisation_id)
        if profile is None:
            return None
        return profile.organisation_number or profile.slug

    def lenses_of(self, organisation_id: int) -> list[Lens]:
        """The organisation's own lens and the geographic lenses it belongs to (not the country, not a sector)."""
        profile = self.profiles.get(organisation_id)
        if profile is None:
            return []
        out: list[Lens] = [(ORGANISATION, profile.organisation_number or profile.slug)]
        if profile.county and profile.kind in COUNTY_KINDS:
            out.append((COUNTY, profile.county))
        if profile.kind == organisation_selectors.MUNICIPALITY:
            if profile.size_band:
                out.append((SIZE_BAND, profile.size_band))
            if profile.centrality:
                out.append((CENTRALITY, str(profile.centrality)))
        return out

    def lenses_of_owners(self, owners: Iterable[int], sector: str = "") -> set[Lens]:
        """Every lens an item owned by ``owners`` (and in ``sector``) counts in, the country included: once each,
        however many of its owners share a lens."""
        out: set[Lens] = {NATIONAL}
        for owner in owners:
            out.update(self.lenses_of(owner))
        if sector:
            out.add((SECTOR, sector))
        return out

    def every_lens(self, sectors: Iterable[str]) -> set[Lens]:
        """The country, every sector, and every lens a public-sector organisation of the register opens."""
        out: set[Lens] = {NATIONAL, *((SECTOR, sector) for sector in sectors)}
        for profile in self.profiles.values():
            if profile.kind in organisation_selectors.PUBLIC_SECTOR_KINDS:
                out.update(self.lenses_of(profile.id))
        return out

    def municipalities(self) -> list[organisation_selectors.Profile]:
        return [p for p in self.profiles.values() if p.kind == organisation_selectors.MUNICIPALITY]

    def municipalities_in(self, lens: Lens) -> list[organisation_selectors.Profile]:
        """The municipalities a lens holds (a sector holds them all; an organisation only itself)."""
        kind, key = lens
        every = self.municipalities()
        if kind in (COUNTRY, SECTOR):
            return every
        if kind == COUNTY:
            return [p for p in every if p.county == key]
        if kind == SIZE_BAND:
            return [p for p in every if p.size_band == key]
        if kind == CENTRALITY:
            return [p for p in every if str(p.centrality or "") == key]
        return [p for p in every if (p.organisation_number or p.slug) == key]

    def find_organisation(self, key: str) -> organisation_selectors.Profile | None:
        for profile in self.profiles.values():
            if key and key in (profile.organisation_number, profile.slug):
                return profile
        return None
