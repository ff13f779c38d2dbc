"""What the instrument pages share."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ..forms import CatalogueFilterForm, catalogue_filter
from ..services import CatalogueError


def add_service_error(form: Any, error: CatalogueError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def catalogue_search(request: HttpRequest) -> tuple[CatalogueFilterForm, Any]:
    """The catalogue's filter form as the visitor filled it in, and the instruments it selects (all when the form
    is empty or not valid)."""
    return catalogue_filter(request.GET)
