from django import template

from nyskap.culture.charts import interval_chart

register = template.Library()


@register.inclusion_tag("culture/_interval_chart.html")
def mean_interval_chart(rows: list, title: str, description: str = "") -> dict[str, object]:
    return {"chart": interval_chart(rows), "title": title, "description": description}


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
