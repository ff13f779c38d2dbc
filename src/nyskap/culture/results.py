"""The results of one culture round, with disclosure control applied before anything leaves this module: the
page, the PDF, the XLSX and the API all render a `RoundResults`, so none of them can show a hidden figure.

A respondent's score on a dimension is the mean of their answers to its items ("don't know" left out); the
dimension's figures are over respondents' scores, so the answers in an interval are independent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy

from nyskap.surveys import selectors
from nyskap.surveys.calculations import (
    Difference,
    Interval,
    Moments,
    mean_interval,
    welch_difference,
    wilson_interval,
)
from nyskap.surveys.disclosure import Disclosure, disclose, dominant_value

from . import instrument
from .calculations import agrees, band, maturity_level, overall_level, weakest
from .models import Benchmark, Scope

if TYPE_CHECKING:
    from nyskap.surveys.models import Round

SCALE_BOUNDS = (1.0, 5.0)

BAND_NAMES = {
    "disagree": gettext_lazy("Most disagree"),
    "neither": gettext_lazy("Most neither agree nor disagree"),
    "agree": gettext_lazy("Most agree"),
}

LEVEL_NAMES = {
    1: gettext_lazy("Beginning"),
    2: gettext_lazy("Developing"),
    3: gettext_lazy("Established"),
    4: gettext_lazy("Leading"),
}


@dataclass(frozen=True)
class Figures:
    """A group's figures on one dimension; ``shown`` False means "too few answers" and every number is None.
    ``band`` set means one answer dominated: the band is shown instead of the mean and shares."""

    shown: bool
    n: int | None = None
    mean: Interval | None = None
    agree: Interval | None = None
    band: str | None = None
    # Why a hidden group is hidden: FEWER (fewer answers than the threshold) or PROTECTS (enough answers, hidden so
    # that a smaller hidden group cannot be worked out by subtraction); ``threshold`` is the round's.
    hidden_reason: str = ""
    threshold: int | None = None

    @property
    def band_name(self) -> str:
        return str(BAND_NAMES[self.band]) if self.band else ""

    @property
    def hidden_label(self) -> str:
        """Why no figure is shown, in a few words for a table cell."""
        from django.utils.translation import gettext, ngettext

        if self.shown:
            return ""
        if self.hidden_reason == PROTECTS:
            return gettext("Hidden so that a smaller unit cannot be worked out")
        if self.threshold:
            return ngettext("Fewer than %(threshold)d answer", "Fewer than %(threshold)d answers", self.threshold) % {
                "threshold": self.threshold
            }
        return gettext("Too few answers")


HIDDEN = Figures(shown=False)
FEWER = "fewer"
PROTECTS = "protects"


def hidden(count: int, threshold: int) -> Figures:
    """A hidden group's cell: fewer answers than the threshold, or hidden only to protect a smaller group."""
    return Figures(shown=False, hidden_reason=FEWER if count < threshold else PROTECTS, threshold=threshold)


@dataclass(frozen=True)
class BenchmarkFigure:
    label: str
    organisations: int
    mean: float
    low: float | None
    high: float | None


@dataclass
class DimensionResult:
    key: str
    name: str
    group: str
    total: Figures
    level: int | None
    distribution: list[tuple[int, str, int, float]] = field(default_factory=list)  # point, label, count, share
    dont_know: int = 0
    change: Difference | None = None
    units: list[tuple[str, Figures]] = field(default_factory=list)
    benchmarks: list[BenchmarkFigure] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)

    @property
    def distribution_rows(self) -> list[tuple[str, int]]:
        return [(label, count) for _point, label, count, _share in self.distribution]


@dataclass
class RoundResults:
    round: Round
    version_label: str
    respondents: int
    total_shown: bool
    threshold: int
    dimensions: list[DimensionResult]
    overall_level: int | None
    weakest: list[DimensionResult]
    previous: Round | None
    unit_respondents: list[tuple[str, int | None]]  # None when hidden
    comments: list[str] | None = None  # None when hidden (under the threshold) or no free-text question
    comment_question: str = ""
    awaiting_close: bool = False  # an open round shows no figures (they would change with each new answer)
    by_link: int = 0  # answers that came through the shared link (counted for the round as a whole only)
    unit_progress: list[tuple[str, int, int]] = field(default_factory=list)  # name, invited, answered
    link_enabled: bool = False

    @property
    def has_units(self) -> bool:
        return bool(self.unit_respondents)


def _moments(scores: list[float]) -> Moments:
    return Moments(len(scores), sum(scores), sum(s * s for s in scores))


def _figures(scores: list[float], counts: dict[Any, int] | None = None) -> Figures:
    """A shown group's figures; ``counts`` (answers per scale point) decide whether one answer dominates."""
    dominant = dominant_value({k: c for k, c in (counts or {}).items() if k != "dk"})
    if dominant is not None:
        return Figures(shown=True, n=len(scores), band=band(int(dominant)))
    agreeing = sum(1 for s in scores if agrees(s))
    return Figures(
        shown=True,
        n=len(scores),
        mean=mean_interval(_moments(scores), bounds=SCALE_BOUNDS),
        agree=wilson_interval(agreeing, len(scores)),
    )


def _previous_moments(previous: Round) -> dict[str, Moments]:
    """The previous round's totals per dimension, only where that round's own threshold was met."""
    result = {}
    for dimension, by_unit in selectors.dimension_scores_by_unit(previous).items():
        scores = [s for unit_scores in by_unit.values() for s in unit_scores]
        if len(scores) >= previous.threshold:
            result[dimension] = _moments(scores)
    return result


def _benchmarks(round: Round) -> dict[str, list[BenchmarkFigure]]:
    from django.utils.translation import gettext as _

    organisation = round.organisation
    wanted = {(Scope.NATIONAL.value, ""): str(_("All public-sector organisations"))}
    if organisation.size_band:
        wanted[(Scope.KIND_SIZE.value, f"{organisation.kind}:{organisation.size_band}")] = str(
            _("%(kind)s, %(size)s inhabitants")
            % {"kind": organisation.get_kind_display(), "size": organisation.size_band_label}
        )
    else:
        wanted[(Scope.KIND.value, str(organisation.kind))] = str(organisation.get_kind_display())
    rows = Benchmark.objects.filter(scope__in=[s for s, _k in wanted], key__in=[k for _s, k in wanted])
    found: dict[str, list[BenchmarkFigure]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: r.scope != Scope.NATIONAL):
        label = wanted.get((row.scope, row.key))
        if label is not None:
            found[row.dimension].append(
                BenchmarkFigure(label=label, organisations=row.organisations, mean=row.mean, low=row.low, high=row.high)
            )
    return found


def _summed(by_unit: dict[Any, dict[Any, int]]) -> dict[Any, int]:
    total: dict[Any, int] = defaultdict(int)
    for counts in by_unit.values():
        for key, count in counts.items():
            total[key] += count
    return total


def round_results(round: Round) -> RoundResults:
    """Every figure of a round, with disclosure control applied (see `nyskap.surveys.disclosure`)."""
    from django.utils.translation import gettext as _

    threshold = round.disclosure_threshold
    units = list(round.units.all())
    unit_names = {unit.pk: unit.name for unit in units}
    counts = selectors.submitted_by_unit(round)
    respondents = sum(counts.values())
    by_unit = {str(u.pk): counts.get(u.pk, 0) for u in units}
    awaiting_close = not round.is_closed()
    # While a round is open every new answer would move the figures, and comparing two views would single it
    # out: figures are shown once the round has closed.
    people: Disclosure = disclose(0 if awaiting_close else respondents, {} if awaiting_close else by_unit, threshold)
    dimensions = selectors.dimensions_of(round.version)
    scores = selectors.dimension_scores_by_unit(round) if people.total_shown else {}
    distribution = selectors.dimension_answer_counts(round) if people.total_shown else {}
    previous = selectors.previous_round(round)
    previous_moments = _previous_moments(previous) if previous and people.total_shown else {}
    benchmarks = _benchmarks(round) if people.total_shown else {}
    labels = {int(o["key"]): o for o in instrument.SCALE}

    results = []
    for dimension in dimensions:
        dim_scores = scores.get(dimension.key, {})
        all_scores = [s for unit_scores in dim_scores.values() for s in unit_scores]
        figure_counts = {str(u.pk): len(dim_scores.get(u.pk, [])) for u in units}
        decision = disclose(len(all_scores), figure_counts, threshold)
        dim_counts = distribution.get(dimension.key, {})
        dist = _summed(dim_counts)
        if people.total_shown and decision.total_shown:
            total = _figures(all_scores, dist)
        else:
            total = hidden(len(all_scores) if people.total_shown else 0, threshold)
        unit_rows = []
        for unit in units:
            key = str(unit.pk)
            if people.is_shown(key) and decision.is_shown(key):
                unit_rows.append((unit.name, _figures(dim_scores[unit.pk], dim_counts.get(unit.pk))))
            else:
                # The reason of whichever decision hid it: too few people in the unit, or too few answers to this
                # dimension; otherwise it was hidden to protect a smaller unit.
                count = by_unit[key] if not people.is_shown(key) else figure_counts[key]
                unit_rows.append((unit.name, hidden(count, threshold)))
        result = DimensionResult(
            key=dimension.key,
            name=dimension.name,
            group=dimension.group,
            total=total,
            level=maturity_level(total.mean.estimate) if total.mean else None,
            units=unit_rows,
        )
        if total.shown:
            result.benchmarks = benchmarks.get(dimension.key, [])
        if total.shown and total.band is None:
            valid = sum(c for k, c in dist.items() if k != "dk")
            result.distribution = [
                (
                    point,
                    _label(labels.get(point), point),
                    dist.get(point, 0),
                    dist.get(point, 0) / valid if valid else 0,
                )
                for point in range(1, 6)
            ]
            result.dont_know = dist.get("dk", 0)
            before = previous_moments.get(dimension.key)
            if before is not None:
                result.change = welch_difference(_moments(all_scores), before)
        results.append(result)

    means = {r.key: (r.total.mean.estimate if r.total.mean else None) for r in results}
    weakest_keys = weakest(means) if people.total_shown else []
    weakest_results = [r for key in weakest_keys for r in results if r.key == key]
    for result in weakest_results:
        result.suggestions = [str(s) for s in instrument.SUGGESTIONS.get(result.key, [])]
    comment_item = selectors.first_text_item(round.version)
    comments = None
    if comment_item and people.total_shown:
        without_unit = respondents - sum(by_unit.values())
        comments = selectors.free_text(
            round,
            comment_item,
            shown_units=[u.pk for u in units if people.is_shown(str(u.pk))],
            without_unit=without_unit >= threshold,
        )
    unit_respondents = [(unit_names[u.pk], by_unit[str(u.pk)] if people.is_shown(str(u.pk)) else None) for u in units]
    invited = selectors.invited_by_unit(round)
    return RoundResults(
        round=round,
        version_label=str(
            _("%(name)s, version %(number)s")
            % {"name": round.version.questionnaire.name, "number": round.version.number}
        ),
        respondents=respondents,
        total_shown=people.total_shown,
        threshold=threshold,
        dimensions=results,
        overall_level=overall_level(list(means.values())) if people.total_shown else None,
        weakest=weakest_results,
        previous=previous if previous_moments else None,
        unit_respondents=unit_respondents,
        comments=comments,
        comment_question=comment_item.text if comment_item else "",
        awaiting_close=awaiting_close,
        by_link=selectors.submitted_by_link_count(round),
        unit_progress=[(u.name, invited.get(u.pk, 0), counts.get(u.pk, 0)) for u in units],
        link_enabled=round.link_enabled,
    )


def anonymity_explanation(results: RoundResults) -> list[str]:
    """How anonymity is protected, in plain words, for the page, the PDF and the spreadsheet (one source)."""
    from django.utils.translation import gettext as _

    sentences = [
        _(
            "No figure is shown for a group with fewer than %(threshold)s answers, and the round shows nothing "
            "until %(threshold)s people have answered."
        )
        % {"threshold": results.threshold},
        _("A unit is hidden too when its figures could be worked out by subtracting the units shown from the total."),
        _(
            "Where 90 %% or more gave the same answer, only a band such as “most agree” is shown: an exact mean "
            "would tell what each person answered."
        ),
        _(
            "Figures are shown only after the round has closed. Once they have been seen or used in comparisons, "
            "the round is frozen: nobody can reopen it, add answers or change its threshold, units or dates."
        ),
        _(
            "Answers are stored without name, e-mail address, IP address or time of day. Each invitation says "
            "which unit it is for, so nobody can choose a unit or add answers to one."
        ),
        _("Comments are shown only from units with enough answers, in random order."),
    ]
    if results.link_enabled:
        sentences.append(
            _(
                "%(count)s answers came through the shared link. They count for the round as a whole only, "
                "which is why the round needs at least %(threshold)s answers."
            )
            % {"count": results.by_link, "threshold": results.threshold}
        )
    return [str(s) for s in sentences]


def version_label(round: Round) -> str:
    from django.utils.translation import gettext as _

    return _("%(name)s, version %(number)s") % {
        "name": round.version.questionnaire.name,
        "number": round.version.number,
    }


def _share(count: int, valid: int) -> float:
    return count / valid if valid else 0.0


def _label(option: dict | None, point: int) -> str:
    from nyskap.surveys.selectors import pick_language

    return f"{point} {pick_language(option)}" if option else str(point)
