"""Template helpers of the project pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from nyskap.core.markdown import render_markdown
from nyskap.core.markup import escape

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Markdown rendered and sanitised (no user HTML reaches the page)."""
    return render_markdown(text)


@register.simple_tag
def facet_choices(facet: dict[str, Any]) -> SafeString:
    """A facet's checkboxes, one per value with its count: the same markup a template loop would give, built here
    because a search page has dozens of them and each would otherwise cost a dozen template lookups."""
    name = escape(facet["name"])
    choices = []
    for value in facet["values"]:
        key = escape(value.value)
        checked = " checked" if value.selected else ""
        choices.append(
            f'<div class="ds-field"><input class="ds-input" type="checkbox" name="{name}" value="{key}" '
            f'id="facet-{name}-{key}"{checked}><label class="ds-label" data-weight="regular" for="facet-{name}-{key}">'
            f"{escape(value.label)} ({escape(value.count)})</label></div>"
        )
    return mark_safe("\n".join(choices))  # every value is escaped above


@register.simple_tag
def result_cards(cards: list[Any]) -> SafeString:
    """The search page's result cards (`ResultCard`s from the view), built here for the same reason as
    `facet_choices`: twenty cards with their facts would cost hundreds of template lookups on every search."""
    some_words, not_found = escape(gettext("Matches some of the words")), escape(gettext("Not found:"))
    match_note = f'<span class="ds-tag" data-color="warning">{some_words}</span>'
    items = []
    for card in cards:
        project = card.project
        note = ""
        if getattr(project, "search_match", "") == "some":
            missing = getattr(project, "search_missing", None)
            lacking = f" {not_found} {escape(', '.join(missing))}" if missing else ""
            note = f'<p class="ds-paragraph project-card__match" data-size="sm">{match_note}{lacking}</p>'
        owners = ""
        if card.owners:
            names = escape(", ".join(owner.name for owner in card.owners))
            owners = f'<p class="ds-paragraph project-card__owners" data-size="sm">{names}</p>'
        facts = "".join(f"<dt>{escape(term)}</dt><dd>{escape(detail)}</dd>" for term, detail in card.facts)
        items.append(
            f'<li class="ds-card project-card"><h3 class="ds-heading" data-size="xs"><a class="ds-link" '
            f'href="{escape(card.url)}">{escape(project.title)}</a></h3>{note}{owners}'
            f'<p class="ds-paragraph" data-size="sm">{escape(card.summary)}</p>'
            f'<dl class="facts project-card__facts">{facts}</dl></li>'
        )
    return mark_safe('<ul class="project-list">' + "\n".join(items) + "</ul>")  # every part escaped above


@register.simple_tag(takes_context=True)
def can_import_projects(context: template.Context) -> bool:
    """Whether the visitor may import projects (an editor or administrator of an organisation), for the link."""
    from nyskap.projects.transfer.views import importable_organisations

    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and importable_organisations(user).exists())
