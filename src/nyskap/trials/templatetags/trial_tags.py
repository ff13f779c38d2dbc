"""Numbers on the trial pages: shares and differences of shares in percent (points), in the reader's format."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import floatformat

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
