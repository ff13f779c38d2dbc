"""The analysis parameters shipped with Nyskap (DOMAIN.md §3.2). Migration 0002 seeds the same values; this copy
lets `services.current_parameters` restore them in an empty database (e.g. after a test flush)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

R109_2021: dict[str, Any] = {
    "version": "R-109/21",
    "in_force_from": datetime.date(2021, 6, 25),
    "source": (
        "Finansdepartementet, rundskriv R-109/21 «Prinsipper og krav ved utarbeidelse av samfunnsøkonomiske "
        "analyser» (25.06.2021), and DFØ's Veileder i samfunnsøkonomiske analyser. Discount rates as implemented "
        "in Kystverket's open-source FRAM model (function «diskontering», based on R-109/14); tax-financing cost "
        "20 % (NOU 2012:16)."
    ),
    "discount_bands": [[40, "0.04"], [75, "0.03"], [None, "0.02"]],
    "tax_financing_rate": "0.2000",
    "default_analysis_years": 10,
    "max_analysis_years": 100,
    # Not read in the primary text of R-109/21 (DOMAIN.md §3.2 marks them [U]).
    # Whether the co-financing scheme's NOK 5 million threshold means per year or over the period is not settled
    # by the sources: this version keeps the sum over the period, and both verdicts are shown when they differ.
    "co_financing_basis": "period",
    "uncertain": [
        "discount_bands",
        "tax_financing_rate",
        "max_analysis_years",
        "real_growth_rate",
        "co_financing_basis",
    ],
    "note": (
        "The discount-rate bands and the 20 % tax-financing cost are confirmed by secondary sources only; the "
        "longest analysis period (40 or 75 years as the main rule) is not verified, so Nyskap allows up to 100 "
        "years and uses a residual value beyond. No real-price growth path is prescribed: the plan chooses one."
    ),
}

# Parameters of a version that its ``uncertain`` list names but that are confirmed by secondary sources ([S] in the
# research behind Nyskap), as against not verified at all ([U]). R-109/21's discount-rate bands are implemented
# exactly so in Kystverket's open-source FRAM model (which cites R-109) and quoted for R-109/21 by a third party; the
# 20 % tax-financing cost is confirmed by NOU 2012:16 and DFØ's guide. Neither was read in R-109's own text, so
# neither is labelled verified; each is labelled with what it rests on.
SECONDARY_ONLY: dict[str, frozenset[str]] = {"R-109/21": frozenset({"discount_bands", "tax_financing_rate"})}

# The shipped versions' source notes as readers see them: stored in English (as the API gives them), shown in the
# reader's language. The msgid is the stored text word for word (a test keeps them equal).
SOURCE_TEXTS: dict[str, Promise] = {
    R109_2021["source"]: _(
        "Finansdepartementet, rundskriv R-109/21 «Prinsipper og krav ved utarbeidelse av samfunnsøkonomiske "
        "analyser» (25.06.2021), and DFØ's Veileder i samfunnsøkonomiske analyser. Discount rates as implemented "
        "in Kystverket's open-source FRAM model (function «diskontering», based on R-109/14); tax-financing cost "
        "20 % (NOU 2012:16)."
    ),
}


def source_text(stored: str) -> str:
    """A parameter version's source note in the reader's language when it is one Nyskap ships, else as stored."""
    translated = SOURCE_TEXTS.get(stored)
    return str(translated) if translated is not None else stored


# The parameters as readers name them (the stored ``uncertain`` list holds the field names, as the API gives them).
PARAMETER_LABELS: dict[str, Promise] = {
    "discount_bands": _("Discount rates"),
    "tax_financing_rate": _("Tax-financing cost"),
    "default_analysis_years": _("Default analysis period"),
    "max_analysis_years": _("Longest analysis period"),
    "real_growth_rate": _("Real-price growth of benefits"),
    "co_financing_basis": _("Basis of the co-financing threshold"),
    "co_financing_reading": _("Reading of the co-financing rule"),
}


def parameter_labels(names: list[str]) -> list[str]:
    """The parameters' names in the reader's language (a name Nyskap does not know is shown as it is)."""
    return [str(PARAMETER_LABELS.get(name, name)) for name in names]
