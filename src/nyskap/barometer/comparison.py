"""The published national and Nordic figures (DOMAIN.md §1.2–1.4), shown beside a round's own as a comparison
series, each labelled with its source and year. Shares in per cent as published (rounded by the source)."""

from __future__ import annotations

from dataclasses import dataclass

from nyskap.surveys.selectors import pick_language


@dataclass(frozen=True)
class Published:
    indicator: str  # the key of the round's indicator it compares with
    label: dict[str, str]
    percent: int
    source: str
    year: str

    @property
    def text(self) -> str:
        return str(pick_language(self.label))


def _t(nb: str, nn: str, en: str) -> dict[str, str]:
    return {"nb": nb, "nn": nn, "en": en}


KS_2020 = "KS Innovasjonsbarometeret 2020 (Meld. St. 30 (2019–2020) kap. 3.4, 5.1, 10.1)"
DIFI_2018 = "Difi, Innovasjonsbarometer i staten 2018 (Meld. St. 30 (2019–2020) kap. 3.4, 5.1, 10.1)"
NORDIC_2019 = "Measuring New Nordic Solutions – Innovation Barometer for the Public Sector (2019), via Meld. St. 30"
COPI = "CO-PI, Innovationsbarometeret 2018–19 (co-pi.dk)"

SERIES = [
    Published("innovation_rate", _t("Kommunal sektor", "Kommunal sektor", "Municipal sector"), 74, KS_2020, "2020"),
    Published(
        "innovation_rate",
        _t("Statlige arbeidsplasser", "Statlege arbeidsplassar", "State workplaces"),
        85,
        DIFI_2018,
        "2018",
    ),
    Published("innovation_rate", _t("Danmark", "Danmark", "Denmark"), 83, COPI, "2018–19"),
    Published("b3_novelty.inspired_adapted", _t("Norge", "Noreg", "Norway"), 49, NORDIC_2019, "2019"),
    Published("b3_novelty.copied", _t("Norge", "Noreg", "Norway"), 32, NORDIC_2019, "2019"),
    Published("b2_types.process_org", _t("Danmark", "Danmark", "Denmark"), 79, COPI, "2018–19"),
    Published("b2_types.communication", _t("Danmark", "Danmark", "Denmark"), 37, COPI, "2018–19"),
    Published("b2_types.service", _t("Danmark", "Danmark", "Denmark"), 29, COPI, "2018–19"),
    Published("b2_types.product", _t("Danmark", "Danmark", "Denmark"), 22, COPI, "2018–19"),
    Published(
        "b6_financing.own_budget", _t("Kommunal sektor", "Kommunal sektor", "Municipal sector"), 60, KS_2020, "2020"
    ),
    Published(
        "b6_financing.special_allocation",
        _t("Kommunal sektor", "Kommunal sektor", "Municipal sector"),
        16,
        KS_2020,
        "2020",
    ),
    Published(
        "b6_financing.public_support", _t("Kommunal sektor", "Kommunal sektor", "Municipal sector"), 15, KS_2020, "2020"
    ),
    Published(
        "b6_financing.public_support",
        _t("Statlige arbeidsplasser", "Statlege arbeidsplassar", "State workplaces"),
        11,
        DIFI_2018,
        "2018",
    ),
    Published("b5_partners.private", _t("Kommunal sektor", "Kommunal sektor", "Municipal sector"), 15, KS_2020, "2020"),
    Published(
        "b5_partners.private",
        _t("Statlige arbeidsplasser", "Statlege arbeidsplassar", "State workplaces"),
        20,
        DIFI_2018,
        "2018",
    ),
    Published(
        "b5_partners.education_research",
        _t("Kommunal sektor", "Kommunal sektor", "Municipal sector"),
        13,
        KS_2020,
        "2020",
    ),
    Published(
        "b5_partners.education_research",
        _t("Statlige arbeidsplasser", "Statlege arbeidsplassar", "State workplaces"),
        11,
        DIFI_2018,
        "2018",
    ),
    Published("evaluation_rate", _t("Danmark", "Danmark", "Denmark"), 39, COPI, "2018–19"),
]


def for_indicator(key: str) -> list[Published]:
    return [p for p in SERIES if p.indicator == key]
