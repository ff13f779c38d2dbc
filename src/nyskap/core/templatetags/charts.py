from django import template
from django.utils.text import slugify
from django.utils.translation import gettext as _

from nyskap.core.charts import CHART_FORMATS, DOWNLOAD_ATTRIBUTE, BarChart, ChartDownload, bar_chart

register = template.Library()


@register.inclusion_tag("core/_bar_chart.html", takes_context=True)
def horizontal_bar_chart(
    context: template.Context, rows: list[tuple[str, int]], title: str, description: str = ""
) -> dict[str, object]:
    values = [(str(label), int(value)) for label, value in rows]
    chart: BarChart = bar_chart(values)
    slug = slugify(title) or "diagram"
    request = context.get("request")
    downloads: list[tuple[str, str]] = []
    if request is not None:
        if request.GET.get("diagram") == slug:
            # The page was asked for this chart as a file: ChartDownloadMiddleware answers with it.
            setattr(
                request,
                DOWNLOAD_ATTRIBUTE,
                ChartDownload(slug=slug, title=str(title), rows=values, value_header=_("Value")),
            )
        query = request.GET.copy()
        for name in ("diagram", "format"):
            query.pop(name, None)
        for fmt in CHART_FORMATS:
            query["diagram"], query["format"] = slug, fmt
            downloads.append((fmt.upper(), f"?{query.urlencode()}"))
    return {"chart": chart, "title": title, "description": description, "downloads": downloads, "rows": values}
