from typing import Any

from django import template
from django.utils.text import slugify
from django.utils.translation import gettext as _

from nyskap.core.charts import ChartDownload, download_links
from nyskap.culture.charts import interval_chart, standalone_interval_svg

register = template.Library()


def interval_download(
    slug: str, title: str, rows: list[tuple[str, float | None, float | None, float | None, str]]
) -> ChartDownload:
    """The mean-interval chart as files. The CSV has the numbers as the page's table shows them (two decimals, the
    language's decimal sign); a dimension the page hides (too few answers, or shown as a band) has no numbers in
    the download either, only the page's text for it."""
    table: list[list[Any]] = [
        [label, decimal(mean), decimal(low), decimal(high), text] if mean is not None else [label, "", "", "", text]
        for label, mean, low, high, text in rows
    ]
    return ChartDownload(
        slug=slug,
        title=title,
        header=[_("Dimension"), _("Mean"), _("Lower limit (95 % CI)"), _("Upper limit (95 % CI)"), _("Shown as")],
        rows=table,
        svg=standalone_interval_svg(title, rows),
    )


@register.inclusion_tag("culture/_interval_chart.html", takes_context=True)
def mean_interval_chart(context: template.Context, rows: list, title: str, description: str = "") -> dict[str, object]:
    slug = slugify(title) or "diagram"
    downloads = download_links(context.get("request"), slug, lambda: interval_download(slug, str(title), rows))
    return {"chart": interval_chart(rows), "title": title, "description": description, "downloads": downloads}


@register.filter
def decimal(value: float | None, places: int = 2) -> str:
    """A number with a decimal comma in Norwegian and a point in English, or an en dash for none."""
    from django.utils.formats import number_format

    if value is None:
        return "–"
    return number_format(value, decimal_pos=places)


@register.filter
def percent(value: float | None) -> str:
    from django.utils.formats import number_format

    if value is None:
        return "–"
    return f"{number_format(value * 100, decimal_pos=0)} %"
