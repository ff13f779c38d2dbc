"""Reads other modules may make of the culture measurement: the published comparison figures only (see
`benchmarks`), never a round's own answers."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language

from nyskap.surveys import selectors as survey_selectors

from . import instrument
from .calculations import maturity_level
from .models import Benchmark


def published_figures() -> list[dict[str, Any]]:
    """Every stored comparison figure: scope (national, kind, kind_size, size, county), key, dimension, counts
    (rounded to 5), mean and interval (rounded to 0.1) and its maturity level. Groups too small or derivable by
    subtraction were never stored, so nothing here can be differenced into a hidden group."""
    return [
        {
            "scope": scope,
            "key": key,
            "dimension": dimension,
            "organisations": organisations,
            "respondents": respondents,
            "mean": mean,
            "low": low,
            "high": high,
            "level": maturity_level(mean),
        }
        for scope, key, dimension, organisations, respondents, mean, low, high in Benchmark.objects.order_by(
            "scope", "key", "dimension"
        ).values_list("scope", "key", "dimension", "organisations", "respondents", "mean", "low", "high")
    ]


def dimension_labels() -> dict[str, str]:
    """Dimension key → its name in the active language, in the questionnaire's order."""
    language = (get_language() or "nb")[:2]
    return {d["key"]: d["name"].get(language, d["name"]["nb"]) for d in instrument.DIMENSIONS}


def organisations_with_disclosed_rounds() -> set[int]:
    """Organisations whose latest closed culture round allows comparison and met its threshold (what the published
    figures are made of): the only rounds other modules may count."""
    rounds = survey_selectors.latest_disclosed_shared_rounds(instrument.KEY)
    return {organisation for _pk, organisation, *_rest in survey_selectors.round_organisation_profiles(rounds)}
