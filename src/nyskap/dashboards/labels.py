"""The names the dashboards show for the codes in the figures, in the active language: the modules' own
vocabularies, read through their selectors."""

from __future__ import annotations

import functools

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from nyskap.barometer import selectors as barometer_selectors
from nyskap.benefits import selectors as benefit_selectors
from nyskap.challenges import selectors as challenge_selectors
from nyskap.culture import selectors as culture_selectors
from nyskap.instruments import selectors as instrument_selectors
from nyskap.organisations import selectors as organisation_selectors
from nyskap.procurement import selectors as procurement_selectors
from nyskap.projects import selectors as project_selectors
from nyskap.trials import selectors as trial_selectors


def vocabulary(name: str) -> dict[str, str]:
    """Code → label of one vocabulary (``phase``, ``trial_kind``, ``bearer``, …), in the active language."""
    return dict(_vocabularies(get_language() or "nb")[name])


@functools.cache
def _vocabularies(language: str) -> dict[str, dict[str, str]]:
    """Every vocabulary in one language. They are the modules' fixed choices (code and settings, not data), so
    they are built once per language and process, not once per figure on every page."""
    projects = project_selectors.vocabularies()
    trials = trial_selectors.vocabularies()
    challenges = challenge_selectors.vocabularies()
    sources = {
        "phase": projects["phase"],
        "innovation_type": projects["innovation_type"],
        "degree": [*projects["degree"], ("unknown", _("Not stated"))],
        "novelty": [*projects["novelty"], ("unknown", _("Not stated"))],
        "sector": projects["sector"],
        "trial_kind": trials["kind"],
        "trial_status": trials["status"],
        "procedure": challenges["procedure"],
        "challenge_status": challenges["status"],
        "bearer": benefit_selectors.bearer_choices(),
        "offer": instrument_selectors.offer_choices(),
        "notice_class": procurement_selectors.class_choices(),
        "size_band": organisation_selectors.size_bands(),
        "centrality": [(str(code), label) for code, label in organisation_selectors.centrality_choices()],
        "family": [("2", "2"), ("3-5", "3–5"), ("6-10", "6–10"), ("11+", _("11 or more"))],
        "wait": [
            ("before", _("Adopted before it was implemented")),
            ("0-6m", _("Within 6 months")),
            ("6-12m", _("6–12 months")),
            ("1-2y", _("1–2 years")),
            ("2y+", _("More than 2 years")),
        ],
    }
    return {name: {str(code): str(label) for code, label in pairs} for name, pairs in sources.items()}


def order(name: str) -> list[str]:
    return list(vocabulary(name))


def counties() -> dict[str, str]:
    return dict(organisation_selectors.county_choices())


def dimensions() -> dict[str, str]:
    return culture_selectors.dimension_labels()


def indicators() -> dict[str, str]:
    return barometer_selectors.indicator_labels()


def instrument_name(names: dict[str, str]) -> str:
    language = (get_language() or "nb")[:2]
    return names.get(language) or names.get("nb") or ""
