"""The statistics tables, built in Python: five tables of up to 45 rows on a page that is never cached, where a
template loop per cell would cost more than the database's work."""

from __future__ import annotations

import html
from collections.abc import Iterable

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from nyskap.core.charts import bar_chart, bar_chart_download, download_links
from nyskap.procurement.selectors import Row

register = template.Library()


def _escape(value: object) -> str:
    """The same escaping as Django's (``html.escape``), without its lazy-string machinery: this page is built for
    every request."""
    return str(value) if isinstance(value, SafeData) else html.escape(str(value))


def _share(value: float | None) -> str:
    return "–" if value is None else number_format(value, 1)


@register.simple_tag
def statistics_table(rows: Iterable[Row], table_id: str, caption: str, first_header: str) -> SafeString:
    headers = [
        first_header,
        _("Competitions"),
        _("Procurement of innovation"),
        _("Share (%%)") % (),
        _("Innovation-friendly"),
        _("Share (%%)") % (),
    ]
    head = "".join(f'<th scope="col">{_escape(h)}</th>' for h in headers)
    cells = "</td><td>"
    body = (
        "\n".join(
            f'<tr><th scope="row">{_escape(row.label or _("Not known"))}</th><td>'
            + cells.join(
                (
                    number_format(row.total, force_grouping=True),
                    number_format(row.innovation, force_grouping=True),
                    _share(row.innovation_share),
                    number_format(row.friendly, force_grouping=True),
                    _share(row.friendly_share),
                )
            )
            + "</td></tr>"
            for row in rows
        )
        or f'<tr><td colspan="6">{_escape(_("No notices match the filters."))}</td></tr>'
    )
    table_id = _escape(table_id)
    # Every text above is escaped; the numbers are formatted by Django.
    return mark_safe(
        f'<div class="table-wrapper" tabindex="0" role="region" aria-labelledby="{table_id}-caption">'
        f'<table class="ds-table" data-size="sm" id="{table_id}"><caption id="{table_id}-caption">{_escape(caption)}'
        f"</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


@register.simple_tag(takes_context=True)
def statistics_chart(
    context: template.Context, rows: list[tuple[str, int]], title: str, description: str
) -> SafeString:
    """The shared bar chart (core/charts: geometry, SVG/PNG/CSV downloads) with the markup of core/_bar_chart.html,
    written in Python for the same reason as the tables."""
    values = [(str(label), int(value)) for label, value in rows]
    slug = slugify(title) or "diagram"
    downloads = download_links(
        context.get("request"), slug, lambda: bar_chart_download(slug, str(title), values, _("Value"))
    )
    caption = format_html('<figcaption class="chart__title">{}</figcaption>', title)
    if all(value == 0 for _label, value in values):
        empty = format_html(
            '<p class="ds-paragraph chart__empty" data-size="sm">{}</p>', _("Nothing to show yet: every value is 0.")
        )
        return format_html('<figure class="chart">{}{}</figure>', caption, empty)
    chart = bar_chart(values)
    labelled_by = f"{slug}-title {slug}-desc" if description else f"{slug}-title"
    bars = format_html_join(
        "",
        '<text class="chart__label" x="{}" y="{}" text-anchor="end">{}</text>'
        '<rect class="chart__bar" x="{}" y="{}" width="{}" height="24" rx="2"></rect>'
        '<text class="chart__value" x="{}" dx="{}" y="{}">{}</text>',
        (
            (
                chart.label_width - 8,
                bar.text_y,
                bar.label if len(bar.label) <= 28 else bar.label[:27] + "…",
                chart.label_width,
                bar.y,
                bar.width,
                chart.label_width + 8,
                bar.width,
                bar.text_y,
                number_format(bar.value, 0, force_grouping=True),
            )
            for bar in chart.bars
        ),
    )
    desc = format_html('<desc id="{}-desc">{}</desc>', slug, description) if description else ""
    svg = format_html(
        '<svg class="chart__svg" role="img" aria-labelledby="{}" viewBox="0 0 {} {}" width="100%" '
        'preserveAspectRatio="xMinYMin meet"><title id="{}-title">{}</title>{}{}</svg>',
        labelled_by,
        chart.width,
        chart.height,
        slug,
        title,
        desc,
        bars,
    )
    links = format_html_join(
        " · ",
        '<a class="ds-link" href="{}" download rel="nofollow" aria-label="{}">{}</a>',
        ((href, _("%(title)s as %(format)s") % {"title": title, "format": label}, label) for label, href in downloads),
    )
    download_text = format_html(
        '<p class="ds-paragraph chart__downloads" data-size="sm">{} {}</p>', _("Download the chart:"), links
    )
    return format_html('<figure class="chart">{}{}{}</figure>', caption, svg, download_text)
