from django import template

from nyskap.core.charts import BarChart, bar_chart

register = template.Library()


@register.inclusion_tag("core/_bar_chart.html")
def horizontal_bar_chart(rows: list[tuple[str, int]], title: str, description: str = "") -> dict[str, object]:
    chart: BarChart = bar_chart([(str(label), int(value)) for label, value in rows])
    return {"chart": chart, "title": title, "description": description}
