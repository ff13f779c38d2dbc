"""Template helpers of the project pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

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


@register.simple_tag
def result_cards(cards: list[Any]) -> SafeString:
    """The search page's result cards (`ResultCard`s from the view), built here for the same reason as
    `facet_choices`: twenty cards with their facts would cost hundreds of template lookups on every search."""
    match_note = format_html(
        '<span class="ds-tag" data-color="warning">{}</span>', gettext("Matches some of the words")
    )
    not_found = gettext("Not found:")
    items = []
    for card in cards:
        project = card.project
        note = ""
        if getattr(project, "search_match", "") == "some":
            missing = getattr(project, "search_missing", None)
            lacking = format_html(" {} {}", not_found, ", ".join(missing)) if missing else ""
            note = format_html(
                '<p class="ds-paragraph project-card__match" data-size="sm">{}{}</p>', match_note, lacking
            )
        owners = ""
        if card.owners:
            owners = format_html(
                '<p class="ds-paragraph project-card__owners" data-size="sm">{}</p>',
                ", ".join(owner.name for owner in card.owners),
            )
        facts = format_html_join("", "<dt>{}</dt><dd>{}</dd>", card.facts)
        items.append(
            format_html(
                '<li class="ds-card project-card"><h3 class="ds-heading" data-size="xs">'
                '<a class="ds-link" href="{}">{}</a></h3>{}{}<p class="ds-paragraph" data-size="sm">{}</p>'
                '<dl class="facts project-card__facts">{}</dl></li>',
                card.url,
                project.title,
                note,
                owners,
                card.summary,
                facts,
            )
        )
    return mark_safe('<ul class="project-list">' + "\n".join(items) + "</ul>")  # every part escaped above


@register.simple_tag(takes_context=True)
def can_import_projects(context: template.Context) -> bool:
    """Whether the visitor may import projects (an editor or administrator of an organisation), for the link."""
    from nyskap.projects.transfer.views import importable_organisations

    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and importable_organisations(user).exists())
