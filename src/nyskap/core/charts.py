"""Small charts drawn on the server as SVG: readable without JavaScript, allowed by a strict CSP (presentation
attributes, no inline styles or scripts), printable, and always shown beside a data table with the same numbers."""

from __future__ import annotations

from dataclasses import dataclass

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
