"""The follow button on any page: ``{% load following %}{% follow_button "project" project.slug what %}``.

Works for the four kinds of `Subscription` (project, organisation, sector, search); whether the visitor already
follows is read here, so a page only names what may be followed."""

from __future__ import annotations

from typing import Any

from django import template

from nyskap.core.visibility import Visibility
from nyskap.projects.following import services as following
from nyskap.projects.models import Project
from nyskap.projects.search import ProjectSearchForm

register = template.Library()
ORGANISATION_PROJECTS = 10


@register.inclusion_tag("projects/follow/_button.html", takes_context=True)
def follow_button(context: template.Context, kind: str, target: Any, what: str = "") -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return {
        "request": request,
        "user": user,
        "kind": kind,
        "target": target,
        "what": what,
        "is_following": following.is_following(user=user, kind=kind, target=target),
    }


@register.simple_tag(takes_context=True)
def search_follow_target(context: template.Context) -> str:
    """The current project search as a followable query string, or "" when it has no words and no filters.

    The search page passes its validated form as `form`, so the query string is not parsed a second time."""
    form = context.get("form")
    try:
        if isinstance(form, ProjectSearchForm) and hasattr(form, "cleaned_data"):
            return "" if form.errors else following.normalised_search(form)
        request = context.get("request")
        if request is None:
            return ""
        query, _form = following.normalise_search_query(request.GET.urlencode())
    except following.SubscriptionError:
        return ""
    return query


@register.simple_tag(takes_context=True)
def organisation_projects(context: template.Context, organisation: Any) -> dict[str, Any]:
    """The latest projects the visitor may see among those the organisation owns, and how many there are."""
    request = context.get("request")
    user = getattr(request, "user", None)
    visible = Project.objects.visible_to(user).filter(owners=organisation)
    return {
        "projects": list(visible.only("slug", "title", "phase").order_by("-updated_at", "pk")[:ORGANISATION_PROJECTS]),
        "count": visible.count(),
        "public": Visibility.PUBLIC,
    }
