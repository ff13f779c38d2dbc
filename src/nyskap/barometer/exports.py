"""Exports of a round: every shown figure as CSV or XLSX (public once published), and the microdata for the
owner's editors.

Microdata leave out what could identify a workplace: a breakdown variable is kept only while every combination of
the kept variables holds at least the round's smallest cell of respondents (variables are tried in the order
sector, organisation type, size band, county, centrality; the first that would make a combination smaller is left
out, and so on). A round with fewer respondents than its smallest cell gives no rows. Answers carry no respondent
id, come in random order, and free text is never exported."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from nyskap.core.spreadsheets import DEFAULT_SEPARATOR, csv_lines, xlsx_file
from nyskap.surveys import selectors as survey_selectors

from . import questionnaire
from .models import STRATUM_VARIABLES, Round
from .results import Figure, OrganisationResults, RoundResults

FIGURE_HEADER = ["indicator", "breakdown", "group", "n", "share", "ci_low", "ci_high", "band"]


def figure_rows(results: RoundResults) -> Iterator[list[Any]]:
    for result in results.indicators:
        groups = [("all", result.overall)] + [(v, f) for v, fs in result.breakdowns.items() for f in fs]
        for breakdown, figure in groups:
            yield _figure_row(result.indicator.key, breakdown, figure)


ORGANISATION_HEADER = ["organisation", *FIGURE_HEADER]


def _figure_row(indicator: str, breakdown: str, figure: Figure) -> list[Any]:
    share = figure.share
    return [
        indicator,
        breakdown,
        figure.group,
        figure.n if figure.shown else None,
        round(share.estimate, 4) if share else None,
        round(share.low, 4) if share else None,
        round(share.high, 4) if share else None,
        figure.band or None,
    ]


def organisation_rows(own: list[tuple[Any, OrganisationResults]]) -> Iterator[list[Any]]:
    """Per organisation, per indicator: its aggregate ("own") and its breakdowns' groups, hidden ones empty; an
    organisation whose figures are not shown gives no rows."""
    for organisation, found in own:
        if not found.shown:
            continue
        for result, figure, breakdowns in found.rows():
            yield [organisation.name, *_figure_row(result.indicator.key, "all", figure)]
            for variable, figures in breakdowns:
                for group in figures:
                    yield [organisation.name, *_figure_row(result.indicator.key, variable, group)]


def organisation_csv(
    own: list[tuple[Any, OrganisationResults]], *, separator: str = DEFAULT_SEPARATOR
) -> Iterator[str]:
    return csv_lines(ORGANISATION_HEADER, organisation_rows(own), separator=separator)


def figures_csv(results: RoundResults, *, separator: str = DEFAULT_SEPARATOR) -> Iterator[str]:
    return csv_lines(FIGURE_HEADER, figure_rows(results), separator=separator)


def figures_xlsx(round: Round, results: RoundResults) -> bytes:
    return xlsx_file(round.title[:31] or "barometer", FIGURE_HEADER, figure_rows(results)).read()


def kept_variables(cells: Counter[tuple[str, ...]], threshold: int) -> list[str]:
    """The breakdown variables whose every joint combination holds at least ``threshold`` respondents."""
    kept: list[int] = []
    for index in range(len(STRATUM_VARIABLES)):
        trial = [*kept, index]
        joint: Counter[tuple[str, ...]] = Counter()
        for values, n in cells.items():
            joint[tuple(values[i] for i in trial)] += n
        if joint and min(joint.values()) >= threshold:
            kept = trial
    return [STRATUM_VARIABLES[i] for i in kept]


def microdata(round: Round) -> tuple[list[str], list[list[Any]]]:
    assert round.survey_round is not None
    units = {pk: tuple(name.split(" | ")) for pk, name in survey_selectors.unit_names(round.survey_round).items()}
    responses = [(units[u], answers) for u, answers in survey_selectors.answers_by_response(round.survey_round)
                 if u in units]  # fmt: skip
    if len(responses) < round.min_cell:
        responses = []  # under the threshold the round shows nothing, and its answers are not given out either
    cells: Counter[tuple[str, ...]] = Counter(values for values, _answers in responses)
    variables = kept_variables(cells, round.min_cell)
    keys = [item["key"] for block in questionnaire.data(round.kind)["blocks"] for item in block["items"]]
    rows = []
    for values, answers in responses:
        row: list[Any] = [values[STRATUM_VARIABLES.index(v)] for v in variables]
        for key in keys:
            answer = answers.get(key)
            row.append(";".join(answer) if isinstance(answer, list) else answer)
        rows.append(row)
    return [*variables, *keys], rows
