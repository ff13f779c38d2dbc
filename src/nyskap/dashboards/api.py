"""The dashboards in the open API (``/api/v1/dashboards``).

- ``GET /{lens}/{key}``: a lens's figures as of the last refresh — ``country/NO``, ``county/46``,
  ``size_band/xs``, ``centrality/6``, ``organisation/<organisation number>``, ``sector/health_care``. The same
  figures, and the same access rule, as the dashboard page (`access.resolve`): public figures for everybody, an
  organisation's internal figures for its members (with a token).
"""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja import Field, Path, Router, Schema

from nyskap.api.auth import OPTIONAL_AUTH, OPTIONAL_SECURITY
from nyskap.api.errors import ErrorOut
from nyskap.api.types import NoNul

from . import access

router = Router(tags=["dashboards"])

LensKind = Literal["country", "county", "organisation", "sector", "size_band", "centrality"]


class DashboardPath(Schema):
    lens: LensKind = Field(description="The kind of lens.")
    key: NoNul = Field(max_length=access.MAX_KEY_LENGTH, description="Which one: NO, a county number, …")


class ParticipationOut(Schema):
    size_band: str
    municipalities: int
    active: int = Field(description="Municipalities in the band that took part.")
    share: float = Field(description="active / municipalities, 0..1.")
    share_of_all: float = Field(description="The band's share of the lens's municipalities, 0..1.")
    share_of_active: float | None = Field(description="The band's share of the municipalities that took part.")


class CentralityParticipationOut(Schema):
    centrality: int
    municipalities: int
    active: int
    share: float
    share_of_all: float
    share_of_active: float | None


class DashboardOut(Schema):
    lens: str
    key: str
    title: str
    audience: str = Field(description="public, or internal for members of the organisation.")
    as_of: datetime.datetime | None = Field(description="When the figures were computed.")
    projects_total: int
    participation: list[ParticipationOut]
    participation_centrality: list[CentralityParticipationOut]
    figures: dict[str, Any] = Field(description="Every figure of the lens, as the page shows them (see the page).")


@router.get(
    "/{lens}/{key}",
    response={200: DashboardOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="A dashboard lens",
    description=(
        "The figures of one lens as of the last refresh: projects, spread, instruments, trials, challenges and "
        "procurement, benefits, culture and barometer (published figures only) and the participation of "
        "municipalities by size band and centrality class. 404 when there is no such lens."
    ),
    auth=OPTIONAL_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
)
def dashboard(request: HttpRequest, path: Path[DashboardPath]) -> Any:
    user = getattr(request, "auth", None) or AnonymousUser()
    view = access.resolve(user, path.lens, path.key)
    return {
        "lens": view.kind,
        "key": view.key,
        "title": view.title,
        "audience": view.audience,
        "as_of": view.as_of,
        "projects_total": view.data["projects"]["total"],
        "participation": view.data["participation"],
        "participation_centrality": view.data["participation_centrality"],
        "figures": view.data,
    }
