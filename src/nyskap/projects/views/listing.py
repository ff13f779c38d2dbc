"""The library's search page and the "similar projects" answer while a need is written."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from nyskap.core.text import remove_refused_characters

from ..forms import (
    NEED_FIELDS,
)
from ..importexport import project_page_path
from ..models import InnovationTypeCode, Novelty, Phase, Project, Sector
from ..search import (
    ProjectSearchForm,
    SimilarProject,
    library_version,
    owners_of,
    search_projects,
    similar_projects,
)
from ._common import (
    PAGE_SIZE,
    SIMILAR_TEXT_LIMIT,
    _is_fragment,
    _spread_rows,
)


@dataclass
class ResultCard:
    """One result on the search page, with its labels looked up once per page rather than once per card."""

    project: Project
    url: str
    owners: list[Any]
    summary: str
    facts: list[tuple[str, str]]


# What a result card shows: the project's other long texts are not read for a result page.
CARD_FIELDS = ("id", "slug", "title", "need_problem", "phase", "sector", "novelty", "updated_at")


def _result_cards(projects: list[Project], owners: dict[int, list[Any]]) -> list[ResultCard]:
    phases, sectors = {k: str(v) for k, v in Phase.choices}, {k: str(v) for k, v in Sector.choices}
    novelties = {k: str(v) for k, v in Novelty.choices}
    terms = (_("Phase"), _("Sector"), _("Novelty"))
    cards = []
    for project in projects:
        facts = [(terms[0], phases.get(project.phase, project.phase))]
        if project.sector:
            facts.append((terms[1], sectors.get(project.sector, project.sector)))
        if project.novelty:
            facts.append((terms[2], novelties.get(project.novelty, project.novelty)))
        summary = Truncator(project.need_problem).words(35)
        url = project_page_path(project.slug)
        cards.append(ResultCard(project, url, owners.get(project.pk, []), summary, facts))
    return cards


@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    """Search with facets. A GET form, so it works without JavaScript and every result has a shareable URL; with
    htmx the form swaps only the facets and results (``projects/_results.html``).

    Pages for anonymous visitors are the same for everybody, so they are cached per address and language until the
    library changes (a new library version; see signals.py) — unless there is a message to show."""
    cache_key = _anonymous_page_key(request)
    if cache_key is not None:
        cached = cache.get(cache_key)
        if cached is not None:
            response = HttpResponse(cached)
            patch_vary_headers(response, ["HX-Request"])
            return response
    result = search_projects(user=request.user, params=request.GET)
    paginator = Paginator(result.projects.only(*CARD_FIELDS), PAGE_SIZE)
    if result.spread is not None:
        paginator.count = result.spread.projects  # already counted (and cached) with the facets
    page_obj = paginator.get_page(request.GET.get("page"))
    projects = list(page_obj.object_list)
    owners = owners_of(projects)
    form = result.form
    facets = [
        {"name": name, "label": form.fields[name].label, "values": result.facets[name]}
        for name in ProjectSearchForm.FACETS
        if result.facets.get(name)
    ]
    context = {
        "form": form,
        "page_obj": page_obj,
        "cards": _result_cards(projects, owners),
        "facets": facets,
        "spread": result.spread,
        "spread_rows": _spread_rows(result.spread),
        "query": result.query,
        "all_words": result.all_words,
        "some_words": len(result.hits) - result.all_words if result.hits is not None else 0,
        "capped": result.capped,
        "suggestion": result.suggestion,
        "suggestion_query": _with_query(request, result.suggestion) if result.suggestion else "",
    }
    template = "projects/_results.html" if _is_fragment(request) else "projects/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    if cache_key is not None and response.status_code == 200:
        cache.set(cache_key, response.content, ANONYMOUS_PAGE_SECONDS)
    return response


ANONYMOUS_PAGE_SECONDS = 120


def _with_query(request: HttpRequest, query: str) -> str:
    """The current search's query string with `q` replaced (and back on the first page)."""
    params = request.GET.copy()
    params["q"] = query
    params.pop("page", None)
    return params.urlencode()


def _anonymous_page_key(request: HttpRequest) -> str | None:
    if request.user.is_authenticated or len(get_messages(request)):
        return None
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    kind = "fragment" if _is_fragment(request) else "page"
    return f"projects:anonymous-page:{library_version()}:{get_language()}:{kind}:{address}"


# Similar projects while a need is written


def _similar_for(user: Any, data: Any) -> list[SimilarProject]:
    # Only a search: characters the text rule refuses are left out rather than refused (the form refuses them).
    text = remove_refused_characters(" ".join(str(data.get(name, "")) for name in NEED_FIELDS))[:SIMILAR_TEXT_LIMIT]
    if not text.strip():
        return []
    sector = data.get("sector", "")
    types = [code for code in data.getlist("innovation_types") if code in InnovationTypeCode.values]
    return similar_projects(
        user=user,
        text=text,
        sector=sector if sector in Sector.values else "",
        innovation_types=types,
    )


def _similar_context(user: Any, data: Any) -> dict[str, Any]:
    similar = _similar_for(user, data)
    owners = owners_of([item.project for item in similar])
    return {
        "similar": [
            (item, owners.get(item.project.pk, []), [str(InnovationTypeCode(code).label) for code in item.shared_types])
            for item in similar
        ],
        "similar_checked": True,
    }


@login_required
@require_POST
def project_similar(request: HttpRequest) -> HttpResponse:
    """The list of similar projects for the need typed so far (posted by htmx: a need may be confidential, so it
    does not go into URLs and logs)."""
    return render(request, "projects/_similar.html", _similar_context(request.user, request.POST))


# Create, edit
