"""A panel as a Vega-Lite chart (Altair): horizontal bars, grouped bars, a heat map (phase × offer) and shares in
per cent. Two widths: the page's and a narrow one for phones (the page picks it with a media query, no
JavaScript). Drawn to SVG and PNG by `nyskap.core.vega`."""

from __future__ import annotations

from typing import Any

import altair as alt

from .panels import GROUPED, HEATMAP, PERCENT_BAR, Panel

WIDE = 560
NARROW = 260
COLOURS = ["#1e5aa0", "#b4540a", "#2a7a3b", "#6b3fa0"]  # contrast ≥ 4.5:1 on white
LABEL_LIMIT = {WIDE: 220, NARROW: 110}


def spec(panel: Panel, *, narrow: bool = False) -> dict[str, Any]:
    width = NARROW if narrow else WIDE
    limit = LABEL_LIMIT[width]
    if panel.kind == HEATMAP:
        return _heatmap(panel, width, limit)
    if panel.kind == GROUPED:
        return _grouped(panel, width, limit)
    if panel.kind == PERCENT_BAR:
        return _percent(panel, width, limit)
    return _bar(panel, width, limit)


def _title(panel: Panel) -> alt.TitleParams:
    return alt.TitleParams(panel.title, limit=0)


SMALL_COUNT = 6


def _value_axis(values: list[dict[str, Any]]) -> alt.Axis:
    """Whole numbers get whole ticks: for small counts each one is a tick (no "0,5 projects")."""
    numbers = [v["value"] for v in values if isinstance(v["value"], int | float)]
    top = max(numbers, default=0)
    if all(float(n).is_integer() for n in numbers) and top <= SMALL_COUNT:
        return alt.Axis(format=",~r", values=list(range(int(top) + 1)))
    return alt.Axis(format=",~r", tickMinStep=1)


def _bar(panel: Panel, width: int, limit: int) -> dict[str, Any]:
    values = [{"label": str(row[0]), "value": row[1], "order": i} for i, row in enumerate(panel.rows)]
    base = alt.Chart(alt.Data(values=values)).encode(
        y=alt.Y("label:N", sort=alt.EncodingSortField("order"), title=None, axis=alt.Axis(labelLimit=limit)),
        x=alt.X("value:Q", title=panel.header[1] if len(panel.header) > 1 else None, axis=_value_axis(values)),
    )
    bars = base.mark_bar(color=COLOURS[0])
    text = base.mark_text(align="left", dx=3, color="#1f2328").encode(text=alt.Text("value:Q", format=",~r"))
    return (bars + text).properties(width=width, title=_title(panel)).to_dict()


def _grouped(panel: Panel, width: int, limit: int) -> dict[str, Any]:
    values = [
        {"label": str(row[0]), "series": name, "value": row[i + 1], "order": n}
        for n, row in enumerate(panel.rows)
        for i, name in enumerate(panel.series)
    ]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=alt.EncodingSortField("order"), title=None, axis=alt.Axis(labelLimit=limit)),
            yOffset=alt.YOffset("series:N", sort=panel.series),
            x=alt.X("value:Q", title=None, axis=_value_axis(values)),
            color=alt.Color(
                "series:N",
                sort=panel.series,
                scale=alt.Scale(domain=panel.series, range=COLOURS[: len(panel.series)]),
                legend=alt.Legend(orient="bottom", title=None),
            ),
        )
    )
    return chart.properties(width=width, title=_title(panel)).to_dict()


def _percent(panel: Panel, width: int, limit: int) -> dict[str, Any]:
    """Shares (0–1) in per cent: one bar per series for each row (rows without a number leave no bar)."""
    columns = [panel.header.index(name) for name in panel.series]
    values = [
        {"label": str(row[0]), "series": panel.header[c], "value": row[c], "order": n}
        for n, row in enumerate(panel.rows)
        for c in columns
        if isinstance(row[c], (int, float))
    ]
    encoding: dict[str, Any] = {
        "y": alt.Y("label:N", sort=alt.EncodingSortField("order"), title=None, axis=alt.Axis(labelLimit=limit)),
        "x": alt.X("value:Q", title=None, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="~%")),
    }
    if len(columns) > 1:
        encoding["yOffset"] = alt.YOffset("series:N", sort=panel.series)
        encoding["color"] = alt.Color(
            "series:N",
            sort=panel.series,
            scale=alt.Scale(domain=panel.series, range=COLOURS[: len(panel.series)]),
            legend=alt.Legend(orient="bottom", title=None, labelLimit=limit * 2),
        )
        chart = alt.Chart(alt.Data(values=values)).mark_bar().encode(**encoding)
    else:
        chart = alt.Chart(alt.Data(values=values)).mark_bar(color=COLOURS[0]).encode(**encoding)
    return chart.properties(width=width, title=_title(panel)).to_dict()


def _heatmap(panel: Panel, width: int, limit: int) -> dict[str, Any]:
    columns = panel.header[1:]
    values = [
        {"row": str(row[0]), "column": columns[i], "value": value, "order": n}
        for n, row in enumerate(panel.rows)
        for i, value in enumerate(row[1:])
    ]
    threshold = max((v["value"] for v in values), default=0) / 2
    base = alt.Chart(alt.Data(values=values)).encode(
        y=alt.Y("row:N", sort=alt.EncodingSortField("order"), title=None, axis=alt.Axis(labelLimit=limit)),
        x=alt.X("column:N", sort=columns, title=None, axis=alt.Axis(labelAngle=-40, labelLimit=limit)),
    )
    cells = base.mark_rect(stroke="#ffffff").encode(
        color=alt.Color("value:Q", scale=alt.Scale(scheme="blues"), legend=None)
    )
    text = base.mark_text(fontSize=12).encode(
        text=alt.Text("value:Q", format=",~r"),
        # White on the darker half of the scale, black on the lighter half.
        color=alt.condition(alt.datum.value > threshold, alt.value("#ffffff"), alt.value("#000000")),
    )
    return (cells + text).properties(width=width, title=_title(panel)).to_dict()
