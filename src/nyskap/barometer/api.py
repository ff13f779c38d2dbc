"""The innovation barometer in the open API (``/api/v1/barometer``).

- ``POST /estimate``: the strata's populations and the answers (stratum, yes/no) in; the post-stratified weighted
  share out, with its Wilson interval on Kish's effective n, and each stratum's weight and share — or
  ``suppressed: true`` where the survey engine's disclosure rules hide it. The same functions as the barometer's
  results (`calculations`), so analysts can check every published figure. No token needed; nothing is stored.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from nyskap.api.auth import OPTIONAL_AUTH, OPTIONAL_SECURITY
from nyskap.api.errors import ErrorOut, invalid
from nyskap.api.throttling import ANONYMOUS_WRITES
from nyskap.api.types import InSchema, NoNul, whole_number

from . import calculations

router = Router(tags=["barometer"])

MAX_STRATA = 500
MAX_RESPONSES = 50_000
MAX_POPULATION = 100_000_000

StratumName = Annotated[NoNul, Field(min_length=1, max_length=100, description="The stratum's key, e.g. `helse`.")]


class BarometerStratumIn(InSchema):
    stratum: StratumName
    population: whole_number(1, MAX_POPULATION) = Field(  # type: ignore[valid-type]
        description="Workplaces in the stratum (N_h): at least 1, and at least its respondents."
    )


class BarometerResponseIn(InSchema):
    stratum: StratumName
    value: bool = Field(strict=True, description="The answer: true (yes) or false (no).")


class BarometerEstimateIn(InSchema):
    confidence: float = Field(
        calculations.CONFIDENCE,
        strict=True,
        allow_inf_nan=False,
        ge=calculations.MIN_CONFIDENCE,
        le=calculations.MAX_CONFIDENCE,
        description="Confidence level of every interval.",
    )
    min_cell: whole_number(3, 1_000_000) = Field(  # type: ignore[valid-type]
        calculations.MIN_CELL, description="Fewest respondents a stratum needs to show its share (at least 3)."
    )
    strata: list[BarometerStratumIn] = Field(
        min_length=1, max_length=MAX_STRATA, description="Every stratum of the population, each once."
    )
    responses: list[BarometerResponseIn] = Field(
        min_length=1, max_length=MAX_RESPONSES, description="One entry per responding workplace."
    )


class BarometerStratumOut(Schema):
    stratum: str
    population: int
    n: int = Field(description="Respondents in the stratum.")
    weight: float | None = Field(description="N_h / n_h; null without respondents.")
    suppressed: bool = Field(description="True when the share is hidden (too few, or derivable by subtraction).")
    estimate: float | None = Field(description="The stratum's share; null when suppressed or without respondents.")
    ci_low: float | None
    ci_high: float | None


class BarometerEstimateOut(Schema):
    confidence: float
    min_cell: int
    estimate: float | None = Field(description="Weighted share Σw·y / Σw; null when all respondents are too few.")
    ci_low: float | None = Field(description="Wilson interval on the effective n.")
    ci_high: float | None
    n: int = Field(description="Respondents.")
    n_eff: float | None = Field(description="Kish's effective n, (Σw)² / Σw².")
    covered_population: int = Field(description="Workplaces in the strata with respondents, which the share covers.")
    by_stratum: list[BarometerStratumOut]


@router.post(
    "/estimate",
    response={200: BarometerEstimateOut, 400: ErrorOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Post-stratified share with its interval",
    description=(
        "Weights w_h = N_h / n_h per stratum, the weighted share p = Σw·y / Σw, Kish's effective n (Σw)² / Σw² and "
        "Wilson's interval on it; per stratum the weight and share, or `suppressed: true` under `min_cell` or where "
        "the hidden strata could be recovered from the total (complementary suppression). A stratum with answers "
        "but no population, or with fewer workplaces than answers, is refused naming the stratum. Nothing is stored."
    ),
    auth=OPTIONAL_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
    throttle=ANONYMOUS_WRITES,
)
def barometer_estimate(request: HttpRequest, payload: BarometerEstimateIn) -> Any:
    population: dict[str, int] = {}
    for i, stratum in enumerate(payload.strata):
        if stratum.stratum in population:
            return invalid(f"strata.{i}.stratum", f"The stratum «{stratum.stratum}» is listed twice.")
        population[stratum.stratum] = stratum.population
    respondents: Counter[str] = Counter()
    yes: Counter[str] = Counter()
    for response in payload.responses:
        respondents[response.stratum] += 1
        yes[response.stratum] += int(response.value)
    try:
        result = calculations.estimate(
            population, {h: (n, yes[h]) for h, n in respondents.items()}, payload.confidence, payload.min_cell
        )
    except calculations.EstimateError as exc:
        field = exc.field if exc.field in ("confidence", "min_cell") else _stratum_field(payload, exc.field)
        return invalid(field, exc.message)
    share = result.share
    return {
        "confidence": payload.confidence,
        "min_cell": payload.min_cell,
        "estimate": share.estimate if share else None,
        "ci_low": share.low if share else None,
        "ci_high": share.high if share else None,
        "n": result.n,
        "n_eff": share.n_eff if share else None,
        "covered_population": result.covered_population,
        "by_stratum": [
            {
                "stratum": f.stratum,
                "population": f.population,
                "n": f.n,
                "weight": f.weight,
                "suppressed": f.suppressed,
                "estimate": f.share.estimate if f.share else None,
                "ci_low": f.share.low if f.share else None,
                "ci_high": f.share.high if f.share else None,
            }
            for f in result.by_stratum
        ],
    }


def _stratum_field(payload: BarometerEstimateIn, stratum: str) -> str:
    """The field that names a refused stratum: its entry in ``strata``, or its first answer when it is not there."""
    for i, entry in enumerate(payload.strata):
        if entry.stratum == stratum:
            return f"strata.{i}.population"
    for i, response in enumerate(payload.responses):
        if response.stratum == stratum:
            return f"responses.{i}.stratum"
    return "strata"
