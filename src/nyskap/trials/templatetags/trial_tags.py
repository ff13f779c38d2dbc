"""Numbers on the trial pages: shares and differences of shares in percent (points), in the reader's format;
and the overview's facet checkboxes."""

from __future__ import annotations

import html
from typing import Any

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def percent(value: Any) -> str:
    """0.0812 → "8,1" (Norwegian) or "8.1" (English); used with "%" or "percentage points" after it."""
    if value is None:
        return ""
    return str(floatformat(float(value) * 100, 1))


@register.filter
def number(value: Any) -> str:
    if value is None:
        return ""
    return str(floatformat(float(value), 2))


@register.filter
def rule_message(value: Any) -> str:
    """A message of the pure rules (plain English) in the reader's language."""
    from nyskap.trials.services import rule_message as translate

    return translate(str(value))


@register.simple_tag
def facet_choices(facet: dict[str, Any]) -> SafeString:
    """A facet's checkboxes, one per value with its count: the markup a template loop would give, built here because
    the owner facets have hundreds of values (every municipality) and each would cost a dozen template lookups."""
    name = html.escape(str(facet["name"]))
    choices = []
    for number, value in enumerate(facet["values"], start=1):
        checked = " checked" if value["selected"] else ""
        choices.append(
            f'<div class="ds-field"><input class="ds-input" type="checkbox" name="{name}"'
            f' value="{html.escape(str(value["value"]))}" id="facet-{name}-{number}"{checked}>'
            f'<label class="ds-label" data-weight="regular" for="facet-{name}-{number}">'
            f"{conditional_escape(value['label'])} ({value['count']})</label></div>"
        )
    return mark_safe("\n".join(choices))  # every value is escaped above
