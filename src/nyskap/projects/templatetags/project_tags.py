"""Template helpers of the project pages."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from nyskap.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Markdown rendered and sanitised (no user HTML reaches the page)."""
    return render_markdown(text)


@register.simple_tag(takes_context=True)
def can_import_projects(context: template.Context) -> bool:
    """Whether the visitor may import projects (an editor or administrator of an organisation), for the link."""
    from nyskap.projects.views_transfer import importable_organisations

    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and importable_organisations(user).exists())
