"""One figure of the barometer as its table cells: n, weighted share and interval in whole per cent, a band where
one answer dominates, or "hidden". A tag rather than an included template: a results page has about a thousand
figures, and an include per figure was most of its rendering time."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


def percent(value: float) -> int:
    """As ``{% widthratio value 1 100 %}`` did: Python's rounding of value × 100."""
    return round(float(value) / 1.0 * 100)


@register.simple_tag
def figure_cells(figure: Any) -> SafeString:
    if figure is None:
        return format_html('<td colspan="3">{}</td>', _("hidden (too few answers)"))
    share = figure.share
    if share is not None:
        return format_html(
            '<td class="num">{}</td><td class="num">{} %</td><td class="num">{}–{} %</td>',
            figure.n,
            percent(share.estimate),
            percent(share.low),
            percent(share.high),
        )
    if figure.band in ("high", "low"):
        band = _("90 % or more") if figure.band == "high" else _("10 % or less")
        return format_html('<td class="num">{}</td><td colspan="2">{}</td>', figure.n, band)
    return format_html('<td colspan="3">{}</td>', _("hidden (too few answers)"))


@register.simple_tag
def figure_share(figure: Any) -> str:
    """A figure's share alone, in whole per cent, its band, or "hidden"."""
    if figure is not None and figure.share is not None:
        return f"{percent(figure.share.estimate)} %"
    if figure is not None and figure.band in ("high", "low"):
        return str(_("90 % or more") if figure.band == "high" else _("10 % or less"))
    return str(_("hidden (too few answers)"))
