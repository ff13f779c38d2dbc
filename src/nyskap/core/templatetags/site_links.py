"""The site's menu and footer links, written once per language and process: the same on every page, and through
the template engine they were a tenth of a simple page's time (a `{% url %}` and a `{% translate %}` each)."""

from __future__ import annotations

from functools import cache

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_noop

register = template.Library()

LINKS = {
    "main": (
        ("projects:list", gettext_noop("Projects")),
        ("instruments:list", gettext_noop("Instruments")),
        ("benefits:portfolio", gettext_noop("Benefits")),
        ("organisations:list", gettext_noop("Organisations")),
        ("culture:national", gettext_noop("Culture for innovation")),
        ("trials:list", gettext_noop("Trials")),
        ("procurement:statistics", gettext_noop("Procurement")),
        ("challenges:list", gettext_noop("Challenges")),
        ("barometer:overview", gettext_noop("Innovation barometer")),
        ("dashboards:home", gettext_noop("Dashboards")),
    ),
    "footer": (
        ("core:accessibility", gettext_noop("Accessibility statement")),
        ("core:privacy", gettext_noop("Privacy")),
        ("api-v1:openapi-view", gettext_noop("Open API")),
    ),
}


@cache
def _links(which: str, language: str | None) -> SafeString:
    return mark_safe(  # every part escaped by format_html
        "\n".join(
            format_html('<li><a class="ds-link" href="{}">{}</a></li>', reverse(name), gettext(text))
            for name, text in LINKS[which]
        )
    )


@register.simple_tag
def site_links(which: str) -> SafeString:
    """The list items of the main menu (``"main"``) or the footer (``"footer"``) in the active language."""
    return _links(which, get_language())
