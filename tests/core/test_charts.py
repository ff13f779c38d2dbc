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
