from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from . import registry
from .forms import OrganisationFilterForm
from .selectors import organisation_for_detail, organisation_search

PAGE_SIZE = 50


@require_safe
def organisation_list(request: HttpRequest) -> HttpResponse:
    """Public list with search and filters. A GET form, so it works without JavaScript; with htmx the form
    swaps only the results (``organisations/_results.html``)."""
    form = OrganisationFilterForm(request.GET)
    organisations = organisation_search(**form.filters())  # type: ignore[arg-type]
    # get_page: a page that is not a number gives page 1, one past the end the last page; never an error.
    page_obj = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page_obj}
    if getattr(request, "htmx", False) and not request.htmx.boosted:  # type: ignore[attr-defined]
        response = render(request, "organisations/_results.html", context)
    else:
        response = render(request, "organisations/list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(organisation_for_detail(), slug=slug)
    return render(
        request, "organisations/detail.html", {"organisation": organisation, "panels": registry.detail_panels()}
    )
