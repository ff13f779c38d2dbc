"""Small charts drawn on the server as SVG: readable without JavaScript, allowed by a strict CSP (presentation
attributes, no inline styles or scripts), printable, and always shown beside a data table with the same numbers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

BAR_HEIGHT = 24
BAR_GAP = 8
LABEL_WIDTH = 200
VALUE_GAP = 8
CHART_WIDTH = 640


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: float  # px, proportional to the largest value
    text_y: int


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    height: int
    width: int = CHART_WIDTH
    label_width: int = LABEL_WIDTH
    bar_area: int = CHART_WIDTH - LABEL_WIDTH - 60


# Room kept right of the bars for the value; wider when the values are long (a number in kroner with thousands
# separators), so the text stays inside the drawing.
MIN_VALUE_SPACE = 60
VALUE_CHAR_WIDTH = 7.5


def value_space(rows: list[tuple[str, int]]) -> int:
    longest = max((len(f"{value:,}") for _label, value in rows), default=0)
    return max(MIN_VALUE_SPACE, round(VALUE_GAP + longest * VALUE_CHAR_WIDTH))


def bar_chart(rows: list[tuple[str, int]]) -> BarChart:
    """Horizontal bars for (label, value) rows, longest bar = the largest value; zero or negative values draw no bar."""
    area = CHART_WIDTH - LABEL_WIDTH - value_space(rows)
    largest = max((value for _label, value in rows), default=0)
    bars = []
    for index, (label, value) in enumerate(rows):
        y = index * (BAR_HEIGHT + BAR_GAP)
        width = round(area * value / largest, 1) if largest > 0 and value > 0 else 0.0
        bars.append(Bar(label=label, value=value, y=y, width=width, text_y=y + BAR_HEIGHT // 2 + 5))
    height = max(len(rows) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP, BAR_HEIGHT)
    return BarChart(bars=bars, height=height, bar_area=area)


# Downloads: every chart as SVG (standalone, its colours written in), PNG (drawn from the same SVG) and CSV (the
# data table's numbers). A page offers them as links to itself with `?diagram=<slug>&format=…`; the template tag
# hands the chart asked for to `nyskap.core.middleware.ChartDownloadMiddleware`, which answers with the file. The
# page's own view has checked access, so a download never shows more than the page.

CHART_FORMATS = ("svg", "png", "csv")
DOWNLOAD_ATTRIBUTE = "_nyskap_chart_download"
BAR_COLOUR = "#1e5aa0"
TEXT_COLOUR = "#1f2328"


@dataclass(frozen=True)
class ChartDownload:
    """One chart as files: its standalone SVG (PNG is drawn from it) and the data table's header and rows (CSV)."""

    slug: str
    title: str
    header: list[str]
    rows: list[list[Any]]
    svg: str


def svg_text(value: object) -> str:
    """Text for an SVG document: escaped, and without the characters XML cannot hold (control characters in stored
    text from before input refused them), so the file parses and draws as PNG."""
    from xml.sax.saxutils import escape

    from .spreadsheets import XML_ILLEGAL

    return escape(XML_ILLEGAL.sub("", str(value)))


def svg_document(title: str, width: int, height: int, body: list[str]) -> str:
    """A standalone SVG: white background, the title on top, the chart's own elements below it (colours and font
    as attributes, so it looks the same outside the page)."""
    return (
        "\n".join(
            [
                '<?xml version="1.0" encoding="UTF-8"?>',
                f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + TITLE_HEIGHT}" '
                f'viewBox="0 0 {width} {height + TITLE_HEIGHT}" font-family="DejaVu Sans, Arial, sans-serif" '
                'font-size="14">',
                f"<title>{svg_text(title)}</title>",
                '<rect width="100%" height="100%" fill="#ffffff"/>',
                f'<text x="0" y="18" font-size="16" font-weight="bold" fill="{TEXT_COLOUR}">{svg_text(title)}</text>',
                f'<g transform="translate(0 {TITLE_HEIGHT})">',
                *body,
                "</g></svg>",
            ]
        )
        + "\n"
    )


TITLE_HEIGHT = 32


def standalone_svg(title: str, rows: list[tuple[str, int]]) -> str:
    """A bar chart as an SVG document."""
    chart = bar_chart(rows)
    body = []
    for bar in chart.bars:
        label = bar.label if len(bar.label) <= 28 else bar.label[:27] + "…"
        value = f"{bar.value:,}".replace(",", "\u00a0")
        body.append(
            f'<text x="{chart.label_width - 8}" y="{bar.text_y}" text-anchor="end" fill="{TEXT_COLOUR}">'
            f"{svg_text(label)}</text>"
            f'<rect x="{chart.label_width}" y="{bar.y}" width="{bar.width}" height="{BAR_HEIGHT}" rx="2" '
            f'fill="{BAR_COLOUR}"/>'
            f'<text x="{chart.label_width + 8 + bar.width}" y="{bar.text_y}" fill="{TEXT_COLOUR}">'
            f"{value}</text>"
        )
    return svg_document(title, chart.width, chart.height, body)


def bar_chart_download(slug: str, title: str, rows: list[tuple[str, int]], value_header: str) -> ChartDownload:
    return ChartDownload(
        slug=slug,
        title=title,
        header=[title, value_header],
        rows=[[label, value] for label, value in rows],
        svg=standalone_svg(title, rows),
    )


def download_links(request: Any, slug: str, download: Callable[[], ChartDownload]) -> list[tuple[str, str]]:
    """The chart's download links (SVG, PNG, CSV) as links to the page itself; when the page was asked for this
    chart as a file, the chart is handed to `ChartDownloadMiddleware`, which answers with it."""
    if request is None:
        return []
    if request.GET.get("diagram") == slug:
        setattr(request, DOWNLOAD_ATTRIBUTE, download())
    # The page's own query (in its order, without a chart's two parameters), then the chart's: what a copy of the
    # QueryDict with those two set would encode, without copying it for every chart of the page
    kept = urlencode(
        [(name, value) for name, values in request.GET.lists() if name not in ("diagram", "format") for value in values]
    )
    prefix = f"?{kept}&" if kept else "?"
    return [(fmt.upper(), f"{prefix}{urlencode({'diagram': slug, 'format': fmt})}") for fmt in CHART_FORMATS]


def png(svg: str) -> bytes:
    import cairosvg

    return bytes(cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=2))
