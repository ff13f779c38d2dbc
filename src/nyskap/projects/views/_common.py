"""What every project page shares: access to one project as a 404 or 403, fragments, service errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from ..models import Novelty, Project
from ..services import ProjectError

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
