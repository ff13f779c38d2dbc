from django.template import Context, Template

from nyskap.core.charts import LABEL_WIDTH, bar_chart


def test_when_values_differ_then_bars_are_proportional_to_the_largest():
    chart = bar_chart([("Vestland", 4), ("Nordland", 2), ("Agder", 0)])
    area = chart.bar_area
    assert [bar.width for bar in chart.bars] == [area, area / 2, 0.0]
    assert [bar.y for bar in chart.bars] == [0, 32, 64]
    assert chart.height == 3 * 32 - 8


def test_when_there_are_no_rows_then_the_chart_is_empty_but_valid():
    chart = bar_chart([])
    assert chart.bars == [] and chart.height == 24


def test_when_the_chart_is_rendered_then_it_is_an_accessible_svg_without_inline_styles():
    html = Template("{% load charts %}{% horizontal_bar_chart rows 'Fylker' 'Antall per fylke' %}").render(
        Context({"rows": [("Vestland", 3), ("Troms", 1)]})
    )
    assert 'role="img"' in html and '<title id="fylker-title">Fylker</title>' in html
    assert 'aria-labelledby="fylker-title fylker-desc"' in html
    assert "style=" not in html and "<script" not in html
    assert f'x="{LABEL_WIDTH}"' in html and ">3</text>" in html and ">Troms</text>" in html


def test_when_values_are_long_then_the_bars_leave_room_for_them_inside_the_drawing():
    from nyskap.core.charts import CHART_WIDTH, LABEL_WIDTH, VALUE_CHAR_WIDTH, VALUE_GAP

    chart = bar_chart([("Innbyggere", 1_020_000_000), ("Egen virksomhet", 240_000_000)])
    # "1,020,000,000" is 13 characters: 8 + 13 × 7.5 = 105.5 → 106 px kept for it.
    assert chart.bar_area == CHART_WIDTH - LABEL_WIDTH - round(VALUE_GAP + 13 * VALUE_CHAR_WIDTH) == 334
    assert chart.bars[0].width == 334
    assert LABEL_WIDTH + chart.bars[0].width + 106 <= CHART_WIDTH
    # Short values keep the usual room.
    assert bar_chart([("A", 3), ("B", 12)]).bar_area == CHART_WIDTH - LABEL_WIDTH - 60


def test_when_a_value_is_large_then_it_is_written_with_the_language_s_thousands_separator():
    from django.utils import translation

    template = Template("{% load charts %}{% horizontal_bar_chart rows 'Nytte' %}")
    with translation.override("nb"):
        html = template.render(Context({"rows": [("Innbyggere", 1_020_000_000)]}))
    assert ">1\xa0020\xa0000\xa0000</text>" in html
    with translation.override("en"):
        html = template.render(Context({"rows": [("Citizens", 1_020_000_000)]}))
    assert ">1,020,000,000</text>" in html


def test_when_labels_hold_characters_xml_cannot_hold_then_the_svg_leaves_them_out_and_parses():
    from defusedxml import ElementTree

    from nyskap.core.charts import png, standalone_svg

    svg = standalone_svg("Tittel\x01\ufffe", [("Kontroll\x00\x0b\x1f\x7fslutt", 2), ("=1+1 \u202eevil\u202c", 1)])
    root = ElementTree.fromstring(svg.encode("utf-8"))
    texts = [element.text for element in root.iter() if element.text and element.text.strip()]
    assert texts[:2] == ["Tittel", "Tittel"]  # the <title> and the drawn title
    assert "Kontroll\x7fslutt" in texts and "=1+1 \u202eevil\u202c" in texts
    assert png(svg).startswith(b"\x89PNG")


def test_when_a_vega_chart_holds_characters_xml_cannot_hold_then_it_is_drawn_without_them():
    """vl-convert aborts the whole process on such a character (it does not raise), so they never reach it."""
    from defusedxml import ElementTree

    from nyskap.core import vega

    spec = {
        "data": {"values": [{"label": "Kontroll\x01\x0b\ufffeslutt", "value": 1}]},
        "mark": "bar",
        "encoding": {"y": {"field": "label", "type": "nominal"}, "x": {"field": "value", "type": "quantitative"}},
        "title": {"text": "Tittel\x00\x1f", "limit": 0},
    }
    root = ElementTree.fromstring(vega.to_svg(spec).encode("utf-8"))
    texts = {"".join(element.itertext()) for element in root.iter()}
    assert "Kontrollslutt" in texts and "Tittel" in texts
    assert vega.to_png(spec).startswith(b"\x89PNG")
