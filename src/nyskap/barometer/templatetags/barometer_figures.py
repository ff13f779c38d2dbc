"""One figure of the barometer as its table cells: n, weighted share and interval in whole per cent, a band where
one answer dominates, or "hidden". A tag rather than an included template: a results page has about a thousand
figures, and an include per figure was most of its rendering time."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from nyskap.core.markup import escape

register = template.Library()


def percent(value: float) -> int:
    """As ``{% widthratio value 1 100 %}`` did: Python's rounding of value × 100."""
    return round(float(value) / 1.0 * 100)


def _cells(figure: Any, hidden: str, high: str, low: str) -> str:
    """The cells of one figure as HTML; the words are escaped by the caller, the numbers need none."""
    share = figure.share if figure is not None else None
    if share is not None:
        return (
            f'<td class="num">{int(figure.n)}</td><td class="num">{percent(share.estimate)} %</td>'
            f'<td class="num">{percent(share.low)}–{percent(share.high)} %</td>'
        )
    if figure is not None and figure.band in ("high", "low"):
        return f'<td class="num">{int(figure.n)}</td><td colspan="2">{high if figure.band == "high" else low}</td>'
    return f'<td colspan="3">{hidden}</td>'


def _words() -> tuple[str, str, str]:
    return (
        escape(_("hidden (too few answers)")),
        escape(_("90 % or more")),
        escape(_("10 % or less")),
    )


@register.simple_tag
def figure_cells(figure: Any) -> SafeString:
    return mark_safe(_cells(figure, *_words()))  # numbers, and words escaped in _words


@register.simple_tag
def figure_rows(rows: Any) -> SafeString:
    """Table rows ``<tr><th scope="row">label</th>cells</tr>`` for (label, figure) pairs, in one go (a results page
    has about a thousand)."""
    words = _words()
    return mark_safe(  # the labels are escaped here, the cells above
        "".join(f'<tr><th scope="row">{escape(label)}</th>{_cells(f, *words)}</tr>' for label, f in rows)
    )


@register.simple_tag
def figure_share(figure: Any) -> str:
    """A figure's share alone, in whole per cent, its band, or "hidden"."""
    if figure is not None and figure.share is not None:
        return f"{percent(figure.share.estimate)} %"
    if figure is not None and figure.band in ("high", "low"):
        return str(_("90 % or more") if figure.band == "high" else _("10 % or less"))
    return str(_("hidden (too few answers)"))
