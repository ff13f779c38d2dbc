"""Template helpers of the project pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from nyskap.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Markdown rendered and sanitised (no user HTML reaches the page)."""
    return render_markdown(text)


@register.simple_tag
def facet_choices(facet: dict[str, Any]) -> SafeString:
    """A facet's checkboxes, one per value with its count: the same markup a template loop would give, built here
    because a search page has dozens of them and each would otherwise cost a dozen template lookups."""
    name = facet["name"]
    return format_html_join(
        "\n",
        '<div class="ds-field"><input class="ds-input" type="checkbox" name="{}" value="{}" id="facet-{}-{}"{}>'
        '<label class="ds-label" data-weight="regular" for="facet-{}-{}">{} ({})</label></div>',
        (
            (
                name,
                value.value,
                name,
                value.value,
                mark_safe(" checked") if value.selected else "",
                name,
                value.value,
                value.label,
                value.count,
            )
            for value in facet["values"]
        ),
    )


@register.simple_tag(takes_context=True)
def can_import_projects(context: template.Context) -> bool:
    """Whether the visitor may import projects (an editor or administrator of an organisation), for the link."""
    from nyskap.projects.views_transfer import importable_organisations

    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and importable_organisations(user).exists())
