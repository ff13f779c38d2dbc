"""Dimension means with their confidence intervals as a server-drawn SVG (a dot and a whisker per dimension on a
1–5 axis), in the manner of `nyskap.core.charts`: presentation attributes only, so a strict CSP allows it, and
always beside a table with the same numbers."""

from __future__ import annotations

from dataclasses import dataclass

ROW_HEIGHT = 32
LABEL_WIDTH = 260
PLOT_WIDTH = 360
WIDTH = LABEL_WIDTH + PLOT_WIDTH + 60
TOP = 24


@dataclass(frozen=True)
class IntervalRow:
    label: str
    y: int
    x: float | None  # None: hidden (too few answers)
    x_low: float | None
    x_high: float | None
    value: str


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class IntervalChart:
    rows: list[IntervalRow]
    ticks: list[Tick]
    height: int
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    plot_right: int = LABEL_WIDTH + PLOT_WIDTH
    top: int = TOP


def _x(value: float) -> float:
    return round(LABEL_WIDTH + (min(max(value, 1.0), 5.0) - 1) / 4 * PLOT_WIDTH, 1)


def interval_chart(rows: list[tuple[str, float | None, float | None, float | None, str]]) -> IntervalChart:
    """(label, mean, low, high, value text) per row; a None mean draws no mark, only the text."""
    drawn = []
    for index, (label, mean, low, high, text) in enumerate(rows):
        y = TOP + index * ROW_HEIGHT + ROW_HEIGHT // 2
        drawn.append(
            IntervalRow(
                label=label,
                y=y,
                x=_x(mean) if mean is not None else None,
                x_low=_x(low) if low is not None else None,
                x_high=_x(high) if high is not None else None,
                value=text,
            )
        )
    ticks = [Tick(x=_x(p), label=str(p)) for p in range(1, 6)]
    return IntervalChart(rows=drawn, ticks=ticks, height=TOP + len(rows) * ROW_HEIGHT + 8)


GRID_COLOUR = "#c4c9d1"
WHISKER_COLOUR = "#1f2328"


def standalone_interval_svg(title: str, rows: list[tuple[str, float | None, float | None, float | None, str]]) -> str:
    """The chart as an SVG document for download (`nyskap.core.charts.svg_document`): the same marks as on the
    page; a row without a mean (too few answers, or a band) shows only its text."""
    from nyskap.core.charts import BAR_COLOUR, TEXT_COLOUR, svg_document, svg_text

    chart = interval_chart(rows)
    body = []
    for tick in chart.ticks:
        body.append(
            f'<line x1="{tick.x}" x2="{tick.x}" y1="{chart.top - 6}" y2="{chart.height}" stroke="{GRID_COLOUR}"/>'
            f'<text x="{tick.x}" y="14" text-anchor="middle" fill="{TEXT_COLOUR}">{tick.label}</text>'
        )
    for row in chart.rows:
        label = row.label if len(row.label) <= 36 else row.label[:35] + "…"
        body.append(
            f'<text x="{chart.label_width - 8}" y="{row.y + 5}" text-anchor="end" fill="{TEXT_COLOUR}">'
            f"{svg_text(label)}</text>"
        )
        if row.x is not None:
            if row.x_low is not None and row.x_high is not None:
                body.append(
                    f'<line x1="{row.x_low}" x2="{row.x_high}" y1="{row.y}" y2="{row.y}" stroke="{WHISKER_COLOUR}" '
                    'stroke-width="2"/>'
                )
            body.append(f'<circle cx="{row.x}" cy="{row.y}" r="6" fill="{BAR_COLOUR}"/>')
        body.append(
            f'<text x="{chart.plot_right + 8}" y="{row.y + 5}" fill="{TEXT_COLOUR}">{svg_text(row.value)}</text>'
        )
    return svg_document(title, chart.width, chart.height, body)
