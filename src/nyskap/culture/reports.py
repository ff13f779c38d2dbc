"""The results of a round as a PDF a leader can take to a management meeting, and as XLSX. Both render a
`RoundResults`, whose hidden figures are already None, so neither can reveal a small group."""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .results import LEVEL_NAMES, RoundResults, anonymity_explanation


def results_pdf(context: dict[str, Any]) -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string("culture/report_pdf.html", {**context, "generated_on": timezone.localdate()})
    stylesheet = finders.find("culture/report.css")
    stylesheets = [CSS(filename=stylesheet)] if stylesheet else []
    return bytes(HTML(string=html).write_pdf(stylesheets=stylesheets, pdf_variant="pdf/ua-1"))


def _round(value: float | None, places: int = 3) -> float | None:
    return round(value, places) if value is not None else None


def results_workbook(results: RoundResults) -> bytes:
    """The sheets written through `nyskap.core.spreadsheets.xlsx_sheets`, so every cell (dimension, unit and
    organisation names, comments) is neutralised and characters XLSX cannot hold are escaped."""
    from nyskap.core.spreadsheets import xlsx_sheets

    sheets: list[tuple[str, list[Any], list[list[Any]]]] = []
    summary: list[list[Any]] = [
        [str(results.round.organisation), results.version_label],
        [_("Respondents"), results.respondents if results.total_shown else None],
        [_("Anonymity threshold"), results.threshold],
        [],
        [
            _("Dimension"),
            _("Respondents"),
            _("Mean"),
            _("95 % CI low"),
            _("95 % CI high"),
            _("Share agreeing"),
            _("Share CI low"),
            _("Share CI high"),
            _("Maturity level"),
            _("Change since last round"),
            _("Change CI low"),
            _("Change CI high"),
            _("Band"),
        ],
    ]
    for d in results.dimensions:
        mean, agree, change = d.total.mean, d.total.agree, d.change
        summary.append(
            [
                d.name,
                d.total.n,
                _round(mean.estimate) if mean else None,
                _round(mean.low) if mean else None,
                _round(mean.high) if mean else None,
                _round(agree.estimate) if agree else None,
                _round(agree.low) if agree else None,
                _round(agree.high) if agree else None,
                str(LEVEL_NAMES[d.level]) if d.level else None,
                _round(change.estimate) if change else None,
                _round(change.low) if change else None,
                _round(change.high) if change else None,
                d.total.band_name or None,
            ]
        )
    sheets.append((_("Dimensions"), [results.round.title], summary))
    distribution: list[list[Any]] = []
    for d in results.dimensions:
        for _point, label, count, share in d.distribution:
            distribution.append([d.name, label, count, _round(share)])
        if d.distribution:
            distribution.append([d.name, _("Don't know"), d.dont_know, None])
    sheets.append(
        (
            _("Distribution"),
            [_("Dimension"), _("Answer option"), _("Number of answers"), _("Share of answers")],
            distribution,
        )
    )
    if results.has_units:
        units: list[list[Any]] = []
        for d in results.dimensions:
            for name, figures in d.units:
                mean = figures.mean
                units.append(
                    [
                        name,
                        d.name,
                        figures.n,
                        _round(mean.estimate) if mean else None,
                        _round(mean.low) if mean else None,
                        _round(mean.high) if mean else None,
                        figures.band_name or None,
                    ]
                )
        sheets.append(
            (
                _("Units"),
                [
                    _("Unit"),
                    _("Dimension"),
                    _("Respondents"),
                    _("Mean"),
                    _("95 % CI low"),
                    _("95 % CI high"),
                    _("Band"),
                ],
                units,
            )
        )
        sheets.append(
            (
                _("Invited per unit"),
                [_("Unit"), _("Invited"), _("Answered")],
                [[name, invited, answered] for name, invited, answered in results.unit_progress],
            )
        )
    if results.comments:
        sheets.append((_("Comments"), [results.comment_question], [[comment] for comment in results.comments]))
    anonymity: list[list[Any]] = [[sentence] for sentence in anonymity_explanation(results)]
    anonymity += [[], [_("Answers by shared link"), results.by_link]]
    sheets.append((_("Anonymity"), [_("How anonymity is protected")], anonymity))
    with xlsx_sheets(sheets) as workbook:
        return workbook.read()
