"""The statistics tables, built in Python: five tables of up to 45 rows on a page that is never cached, where a
template loop per cell would cost more than the database's work."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from nyskap.core.charts import bar_chart, bar_chart_download, download_links
from nyskap.core.markup import escape
from nyskap.procurement.selectors import Row

register = template.Library()


class _Numbers:
    """``number_format`` with the reader's separators looked up once per table rather than three times a number."""

    def __init__(self) -> None:
        language = get_language()
        self.decimal = get_format("DECIMAL_SEPARATOR", language, use_l10n=True)
        self.grouping = get_format("NUMBER_GROUPING", language, use_l10n=True)
        self.thousands = get_format("THOUSAND_SEPARATOR", language, use_l10n=True)

    def whole(self, value: int) -> str:  # number_format(value, force_grouping=True)
        return numberformat.format(
            value, self.decimal, None, self.grouping, self.thousands, force_grouping=True, use_l10n=True
        )

    def rounded(self, value: int) -> str:  # number_format(value, 0, force_grouping=True)
        return numberformat.format(
            value, self.decimal, 0, self.grouping, self.thousands, force_grouping=True, use_l10n=True
        )

    def share(self, value: float | None) -> str:  # number_format(value, 1), or a dash
        if value is None:
            return "–"
        return numberformat.format(value, self.decimal, 1, self.grouping, self.thousands, use_l10n=True)


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
    numbers = _Numbers()
    not_known = _("Not known")
    no_notices = _("No notices match the filters.")
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    cells = "</td><td>"
    body = (
        "\n".join(
            f'<tr><th scope="row">{escape(row.label or not_known)}</th><td>'
            + cells.join(
                (
                    numbers.whole(row.total),
                    numbers.whole(row.innovation),
                    numbers.share(row.innovation_share),
                    numbers.whole(row.friendly),
                    numbers.share(row.friendly_share),
                )
            )
            + "</td></tr>"
            for row in rows
        )
        or f'<tr><td colspan="6">{escape(no_notices)}</td></tr>'
    )
    table_id = escape(table_id)
    # Every text above is escaped; the numbers are formatted by Django.
    return mark_safe(
        f'<div class="table-wrapper" tabindex="0" role="region" aria-labelledby="{table_id}-caption">'
        f'<table class="ds-table" data-size="sm" id="{table_id}"><caption id="{table_id}-caption">{escape(caption)}'
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
    caption = f'<figcaption class="chart__title">{escape(title)}</figcaption>'
    if all(value == 0 for _label, value in values):
        empty = escape(_("Nothing to show yet: every value is 0."))
        return mark_safe(  # escaped above
            f'<figure class="chart">{caption}<p class="ds-paragraph chart__empty" data-size="sm">{empty}</p></figure>'
        )
    chart = bar_chart(values)
    slug_text = escape(slug)
    labelled_by = f"{slug_text}-title {slug_text}-desc" if description else f"{slug_text}-title"
    numbers = _Numbers()
    bars = "".join(
        f'<text class="chart__label" x="{chart.label_width - 8}" y="{bar.text_y}" text-anchor="end">'
        f"{escape(bar.label if len(bar.label) <= 28 else bar.label[:27] + '…')}</text>"
        f'<rect class="chart__bar" x="{chart.label_width}" y="{bar.y}" width="{bar.width}" height="24" rx="2">'
        f'</rect><text class="chart__value" x="{chart.label_width + 8}" dx="{bar.width}" y="{bar.text_y}">'
        f"{numbers.rounded(bar.value)}</text>"
        for bar in chart.bars
    )
    desc = f'<desc id="{slug_text}-desc">{escape(description)}</desc>' if description else ""
    svg = (
        f'<svg class="chart__svg" role="img" aria-labelledby="{labelled_by}" viewBox="0 0 {chart.width} '
        f'{chart.height}" width="100%" preserveAspectRatio="xMinYMin meet"><title id="{slug_text}-title">'
        f"{escape(title)}</title>{desc}{bars}</svg>"
    )
    as_format, download_the_chart = _("%(title)s as %(format)s"), _("Download the chart:")
    links = " · ".join(
        f'<a class="ds-link" href="{escape(href)}" download rel="nofollow" '
        f'aria-label="{escape(as_format % {"title": title, "format": label})}">{escape(label)}</a>'
        for label, href in downloads
    )
    download_text = f'<p class="ds-paragraph chart__downloads" data-size="sm">{escape(download_the_chart)} {links}</p>'
    # Every text above is escaped; the rest are numbers
    return mark_safe(f'<figure class="chart">{caption}{svg}{download_text}</figure>')
