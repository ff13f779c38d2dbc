"""Which figures a visitor gets for a lens: one rule for the pages, the charts, the exports and the API. Everybody
gets the public figures; the members of an organisation get its internal figures on its own lens (and only
there: no public lens ever holds an internal item)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from nyskap.core.permissions import is_member_of
from nyskap.organisations import selectors as organisation_selectors

from . import labels, services
from .lenses import CENTRALITY, COUNTRY, COUNTRY_KEY, COUNTY, KINDS, ORGANISATION, SECTOR, SIZE_BAND, Directory
from .models import Audience

# The lens kinds in the pages' addresses (Norwegian), and back.
SLUGS = {
    COUNTRY: "land",
    COUNTY: "fylke",
    ORGANISATION: "organisasjon",
    SECTOR: "sektor",
    SIZE_BAND: "storrelse",
    CENTRALITY: "sentralitet",
}
KIND_OF_SLUG = {slug: kind for kind, slug in SLUGS.items()}
MAX_KEY_LENGTH = 220


@dataclass
class View:
    kind: str
    key: str
    title: str
    audience: str
    data: dict[str, Any]
    as_of: datetime.datetime | None


def kind_names() -> dict[str, str]:
    return {
        COUNTRY: _("The country"),
        COUNTY: _("County"),
        ORGANISATION: _("Organisation"),
        SECTOR: _("Sector"),
        SIZE_BAND: _("Municipality size band"),
        CENTRALITY: _("Centrality class"),
    }


def keys_of(kind: str) -> dict[str, str]:
    """The valid keys of a lens kind and their names (not for organisations: they are looked up one at a time)."""
    if kind == COUNTRY:
        return {COUNTRY_KEY: _("Norway")}
    if kind == COUNTY:
        return labels.counties()
    if kind == SECTOR:
        return labels.vocabulary("sector")
    if kind == SIZE_BAND:
        return labels.vocabulary("size_band")
    if kind == CENTRALITY:
        return labels.vocabulary("centrality")
    return {}


def organisation(key: str) -> organisation_selectors.Profile | None:
    if not key or len(key) > MAX_KEY_LENGTH:
        return None
    return organisation_selectors.profile_by_key(key)


def title_of(kind: str, key: str) -> str | None:
    """The lens's name, or None when there is no such lens."""
    if kind not in KINDS or not key or len(key) > MAX_KEY_LENGTH or "\x00" in key:
        return None
    if kind == ORGANISATION:
        profile = organisation(key)
        return profile.name if profile is not None else None
    name = keys_of(kind).get(key)
    if name is None:
        return None
    if kind == SIZE_BAND:
        return _("Municipalities of %(band)s inhabitants") % {"band": name}
    if kind == CENTRALITY:
        return _("Municipalities in centrality class %(class)s") % {"class": name}
    return name


def resolve(user: Any, kind: str, key: str) -> View:
    """The figures ``user`` gets for the lens; 404 when there is no such lens."""
    title = title_of(kind, key)
    if title is None:
        raise Http404
    audience = Audience.PUBLIC.value
    snapshot = None
    if kind == ORGANISATION:
        profile = organisation(key)
        assert profile is not None  # title_of found it
        key = profile.organisation_number or profile.slug
        if is_member_of(user, profile.id):
            snapshot = services.snapshot(kind, key, Audience.INTERNAL)
            if snapshot is not None:
                audience = Audience.INTERNAL.value
    if snapshot is None:
        snapshot = services.snapshot(kind, key, Audience.PUBLIC)
    if snapshot is not None:
        return View(kind, key, title, audience, snapshot.data, snapshot.computed_at)
    # Not computed yet (an organisation registered since the last refresh, or no refresh has run).
    last = services.last_refresh()
    if kind == ORGANISATION:
        profile = organisation(key)
        data = services.empty_figures((kind, key), profile)
    else:
        data = services.empty_figures((kind, key), None)
    return View(kind, key, title, audience, data, last.finished_at if last else None)


def directory() -> Directory:
    return Directory.load()
