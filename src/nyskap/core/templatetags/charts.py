from django import template
from django.utils.text import slugify
from django.utils.translation import gettext as _

from nyskap.core.charts import BarChart, bar_chart, bar_chart_download, download_links

register = template.Library()


@register.inclusion_tag("core/_bar_chart.html", takes_context=True)
def horizontal_bar_chart(
    context: template.Context, rows: list[tuple[str, int]], title: str, description: str = ""
) -> dict[str, object]:
    values = [(str(label), int(value)) for label, value in rows]
    chart: BarChart = bar_chart(values)
    slug = slugify(title) or "diagram"
    downloads = download_links(
        context.get("request"), slug, lambda: bar_chart_download(slug, str(title), values, _("Value"))
    )
    # A chart of nothing but zeros is a row of empty bars: it is said in a sentence instead.
    empty = all(value == 0 for _label, value in values)
    return {
        "chart": chart,
        "title": title,
        "description": description,
        "downloads": [] if empty else downloads,
        "rows": values,
        "empty": empty,
    }
