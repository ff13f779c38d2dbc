"""Charts as Vega-Lite specifications (built with Altair), drawn on the server by vl-convert: SVG for the page and
the download, PNG from the same drawing. Nothing runs in the visitor's browser, so the strict CSP holds and the
charts read without JavaScript. The drawing fetches nothing: every chart carries its data inline and no base URL
is allowed."""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import get_language

# d3-format has no Norwegian locale: the number format of the Norwegian pages (decimal comma, thin spaces between
# thousands), and the English one for English.
NORWEGIAN_FORMAT = {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0kr"]}
ENGLISH_FORMAT = {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["NOK\u00a0", ""]}

FONT = "DejaVu Sans, Arial, sans-serif"
CONFIG: dict[str, Any] = {
    "font": FONT,
    "background": "#ffffff",
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#1f2328", "titleColor": "#1f2328"},
    "title": {"fontSize": 14, "anchor": "start", "color": "#1f2328"},
    "legend": {"labelFontSize": 12, "titleFontSize": 12},
    "view": {"stroke": None},
}


def _format_locale() -> dict[str, Any]:
    return ENGLISH_FORMAT if (get_language() or "nb").startswith("en") else NORWEGIAN_FORMAT


def _xml_safe(value: Any) -> Any:
    """The specification with the characters XML cannot hold left out of every text (labels and titles from stored
    text written before input refused them): vl-convert aborts the whole process on one, it does not raise."""
    from .spreadsheets import XML_ILLEGAL

    if isinstance(value, str):
        return XML_ILLEGAL.sub("", value)
    if isinstance(value, dict):
        return {_xml_safe(key): _xml_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_xml_safe(item) for item in value]
    return value


def to_svg(spec: dict[str, Any]) -> str:
    import vl_convert

    spec = _xml_safe(spec)
    return str(vl_convert.vegalite_to_svg(spec, config=CONFIG, format_locale=_format_locale(), allowed_base_urls=[]))


def to_png(spec: dict[str, Any], scale: float = 2) -> bytes:
    import vl_convert

    spec = _xml_safe(spec)
    return bytes(
        vl_convert.vegalite_to_png(
            spec, config=CONFIG, format_locale=_format_locale(), allowed_base_urls=[], scale=scale
        )
    )


def spec_json(spec: dict[str, Any]) -> str:
    return json.dumps(spec, ensure_ascii=False, sort_keys=True)
