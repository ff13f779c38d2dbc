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
