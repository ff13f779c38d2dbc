"""The culture measurement in the API (``/api/v1/culture``): a round's results for its leaders (bearer token),
with exactly the disclosure control of the page — a hidden figure is null, never a number — and the public
national picture."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Field, Path, Router, Schema

from nyskap.api.auth import TOKEN_AUTH
from nyskap.api.errors import ErrorOut
from nyskap.core.permissions import is_editor_of
from nyskap.surveys import selectors
from nyskap.surveys.services import round_results_opened

from . import instrument
from .models import Benchmark
from .results import Figures, round_results

router = Router(tags=["culture"])

RoundId = Annotated[int, Path(ge=1, le=2**63 - 1)]


class IntervalOut(Schema):
    estimate: float
    low: float
    high: float


class FiguresOut(Schema):
    shown: bool = Field(description="False when the group is too small, or could be derived by subtraction.")
    band: str | None = Field(
        description="When one answer holds 90 % or more of the group's answers: `agree`, `neither` or `disagree` "
        "instead of a mean, interval and distribution (null otherwise)."
    )
    respondents: int | None = Field(description="Respondents with a score; null when hidden.")
    mean: IntervalOut | None = Field(description="Mean on the 1–5 scale with its 95 % t interval.")
    share_agreeing: IntervalOut | None = Field(description="Share with a score of 4 or more, 95 % Wilson interval.")


class UnitFiguresOut(FiguresOut):
    unit: str


class ChangeOut(Schema):
    estimate: float
    low: float
    high: float


class BenchmarkOut(Schema):
    group: str
    organisations: int
    mean: float
    low: float | None
    high: float | None


class DimensionOut(Schema):
    key: str
    name: str
    total: FiguresOut
    maturity_level: int | None = Field(description="1–4 by the documented rule; null when hidden.")
    change_since_last_round: ChangeOut | None = Field(description="Difference of means with a 95 % Welch interval.")
    distribution: dict[str, int] = Field(description="Answers per scale point and `dk`; empty when hidden.")
    units: list[UnitFiguresOut]
    benchmarks: list[BenchmarkOut]


class UnitProgressOut(Schema):
    unit: str
    invited: int = Field(description="People invited to the unit.")
    answered: int = Field(description="Of them, how many answered.")


class ResultsOut(Schema):
    round: int
    questionnaire_version: str
    threshold: int = Field(description="The threshold every figure obeys (the link threshold with a shared link).")
    respondents: int | None = Field(description="Null when under the threshold.")
    by_link: int = Field(description="Answers that came through the shared link (counted for the round only).")
    units_invited: list[UnitProgressOut] = Field(description="Per unit, how many were invited and answered.")
    overall_maturity_level: int | None
    dimensions: list[DimensionOut]
    comments: list[str] | None = Field(
        description="Free-text answers of shown units, in random order; null under the threshold."
    )


def _interval(value: Any) -> dict[str, float] | None:
    return {"estimate": value.estimate, "low": value.low, "high": value.high} if value is not None else None


def _figures(figures: Figures) -> dict[str, Any]:
    return {
        "shown": figures.shown,
        "band": figures.band,
        "respondents": figures.n,
        "mean": _interval(figures.mean),
        "share_agreeing": _interval(figures.agree),
    }


@router.get(
    "/rounds/{round_id}/results",
    response={200: ResultsOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="A culture round's results",
    description="Every figure of the results page, with the same suppression: hidden groups have `shown: false` "
    "and null figures. 404 unless the token's user leads the round's organisation.",
    auth=TOKEN_AUTH,
)
def culture_round_results(request: HttpRequest, round_id: RoundId) -> dict[str, Any]:
    round = selectors.round_with_organisation(round_id, questionnaire_key=instrument.KEY)
    if round is None or not is_editor_of(request.auth, round.organisation):  # type: ignore[attr-defined]
        raise Http404
    results = round_results(round)
    if results.total_shown:
        round_results_opened(round=round)
    return {
        "round": round.pk,
        "questionnaire_version": results.version_label,
        "threshold": results.threshold,
        "respondents": results.respondents if results.total_shown else None,
        "by_link": results.by_link,
        "units_invited": [
            {"unit": name, "invited": invited, "answered": answered}
            for name, invited, answered in results.unit_progress
        ],
        "overall_maturity_level": results.overall_level,
        "comments": results.comments,
        "dimensions": [
            {
                "key": d.key,
                "name": d.name,
                "total": _figures(d.total),
                "maturity_level": d.level,
                "change_since_last_round": _interval(d.change),
                "distribution": ({str(p): c for p, _l, c, _s in d.distribution} | {"dk": d.dont_know})
                if d.distribution
                else {},
                "units": [{"unit": name, **_figures(f)} for name, f in d.units],
                "benchmarks": [
                    {"group": b.label, "organisations": b.organisations, "mean": b.mean, "low": b.low, "high": b.high}
                    for b in d.benchmarks
                ],
            }
            for d in results.dimensions
        ],
    }


class NationalOut(Schema):
    scope: str = Field(description="national, kind, kind_size, size or county.")
    key: str = Field(description="The group: a kind, `kind:size band`, a size band or a county number.")
    dimension: str
    organisations: int
    respondents: int
    mean: float
    low: float | None
    high: float | None
    alpha: float | None = Field(description="Cronbach's alpha (national scope only).")


@router.get(
    "/national",
    response={200: list[NationalOut], 422: ErrorOut},
    summary="The national picture",
    description="Comparison figures per dimension (mean of the organisations' means with a t interval), from "
    "closed rounds that are frozen once used. Only groups of at least five organisations, none derivable from "
    "the others or from earlier figures; means rounded to 0.1 and counts to 5; a figure changes only when at "
    "least five organisations' rounds changed.",
    auth=None,
)
def culture_national(request: HttpRequest) -> list[Benchmark]:
    return list(Benchmark.objects.order_by("scope", "key", "dimension"))
