"""HTML escaping for markup built in Python on pages answered uncached (facet lists, result cards, tables, selects):
Django's `conditional_escape`, without its lazy-string and `SafeString` wrapping for every value."""

from __future__ import annotations

import html
from typing import Any


def escape(value: Any) -> str:
    """As `django.utils.html.conditional_escape`: markup already safe (``__html__``) as it is, anything else as text
    with ``& < > " '`` escaped."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))
