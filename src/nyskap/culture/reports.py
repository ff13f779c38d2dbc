"""The results of a round as a PDF a leader can take to a management meeting, and as XLSX. Both render a
`RoundResults`, whose hidden figures are already None, so neither can reveal a small group."""

from __future__ import annotations

import io
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from nyskap.core.spreadsheets import neutralise

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
    from openpyxl import Workbook

    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Dimensions")[:31]
    summary.append([neutralise(results.round.title)])
    summary.append([neutralise(str(results.round.organisation)), results.version_label])
    summary.append([_("Respondents"), results.respondents if results.total_shown else None])
    summary.append([_("Anonymity threshold"), results.threshold])
    summary.append([])
    summary.append(
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
        ]
    )
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
    distribution = workbook.create_sheet(_("Distribution")[:31])
    distribution.append([_("Dimension"), _("Answer option"), _("Number of answers"), _("Share of answers")])
    for d in results.dimensions:
        for _point, label, count, share in d.distribution:
            distribution.append([d.name, label, count, _round(share)])
        if d.distribution:
            distribution.append([d.name, _("Don't know"), d.dont_know, None])
    if results.has_units:
        units = workbook.create_sheet(_("Units")[:31])
        units.append(
            [_("Unit"), _("Dimension"), _("Respondents"), _("Mean"), _("95 % CI low"), _("95 % CI high"), _("Band")]
        )
        for d in results.dimensions:
            for name, figures in d.units:
                mean = figures.mean
                units.append(
                    [
                        neutralise(name),
                        d.name,
                        figures.n,
                        _round(mean.estimate) if mean else None,
                        _round(mean.low) if mean else None,
                        _round(mean.high) if mean else None,
                        figures.band_name or None,
                    ]
                )
        invited_sheet = workbook.create_sheet(_("Invited per unit")[:31])
        invited_sheet.append([_("Unit"), _("Invited"), _("Answered")])
        for name, invited, answered in results.unit_progress:
            invited_sheet.append([neutralise(name), invited, answered])
    if results.comments:
        comments = workbook.create_sheet(_("Comments")[:31])
        comments.append([results.comment_question])
        for comment in results.comments:
            comments.append([neutralise(comment)])
    anonymity = workbook.create_sheet(_("Anonymity")[:31])
    anonymity.append([_("How anonymity is protected")])
    for sentence in anonymity_explanation(results):
        anonymity.append([sentence])
    anonymity.append([])
    anonymity.append([_("Answers by shared link"), results.by_link])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
