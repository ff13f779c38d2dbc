"""The portfolio: planned and realised benefits of the plans the visitor may see, by sector and owner."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from nyskap.projects.models import Sector

from .. import selectors

PORTFOLIO_PLAN_LINKS = 20


@require_GET
def portfolio(request: HttpRequest) -> HttpResponse:
    """Planned versus realised benefits for the country, a sector or an organisation, over the plans the visitor may
    see. Filters are a GET form, so every view has a shareable address."""
    scope = selectors.PortfolioScope.from_params(request.GET)
    rollup = selectors.portfolio_rollup(user=request.user, scope=scope)
    return render(
        request,
        "benefits/portfolio.html",
        {
            "scope": scope,
            "rollup": rollup,
            "sectors": Sector.choices,
            "organisation_choices": selectors.plan_owners(request.user),
            "plan_list": list(
                selectors.scoped_plans(user=request.user, scope=scope)
                .select_related("project")
                .order_by("-updated_at", "pk")[:PORTFOLIO_PLAN_LINKS]
            ),
        },
    )
