"""What the instrument pages share."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .. import selectors
from ..forms import CatalogueFilterForm
from ..services import CatalogueError


def add_service_error(form: Any, error: CatalogueError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def catalogue_search(request: HttpRequest) -> tuple[CatalogueFilterForm, Any]:
    """The catalogue's filter form as the visitor filled it in, and the instruments it selects (all when the form
    is empty or not valid)."""
    form = CatalogueFilterForm(request.GET or None)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    instruments = selectors.instrument_search(
        q=filters.get("q", ""),
        offer=filters.get("offer", []),
        phase=filters.get("phase", []),
        applicant_kind=filters.get("applicant_kind", ""),
        sector=filters.get("sector", ""),
        status=filters.get("status", ""),
    )
    return form, instruments
