"""Reading ``nyskap/data/instruments.csv`` (the instruments named in the white paper, DOMAIN.md §8) into the
catalogue's structured fields.

Two steps, both explicit:

1. The controlled columns are parsed word by word: ``offers`` and ``phase`` with the word tables below, ``status``
   (V/S/U with qualifiers) into a verification level. A word the tables do not know is a problem in the file,
   reported with file, row and column — nothing is guessed.
2. Everything the free text says only in prose — who may apply and who may only be a partner, owners, sectors,
   requirements, amounts, whether one applies through calls, whether the scheme has ended — comes from
   ``REVIEWED`` (module `reviewed`), one entry per instrument, written by reading the row and DOMAIN.md. Each
   entry's ``note`` records the judgement made, and is shown on the instrument's page beside the original text. A
   row without an entry is a problem too: a new instrument must be reviewed before it is loaded.

Names and links are reviewed too. The bokmål name is the row's; the nynorsk name (proper nouns such as StimuLab,
Digifin or FORREGION kept as they are) and, where the row's English description loses the proper noun, a better
English name are in the entry. The link to the owner's page is never invented: either an address exactly as the
row's ``source`` names it (``site``; checked against the source when the file is read, so a changed source is a
problem, not a stale link), or the owner's well-known home page (``OWNER_HOME_PAGES``). Where the link came from is
stored with it (``website_origin``) and shown on the instrument's page.

Amounts are only encoded where the row states a per-project figure; per-project caps for Innovasjon Norge,
Forskningsrådet, StimuLab, Regionale forskningsfond and prosjektskjønnsmidler are unverified (DOMAIN.md §10 item 10)
and stay in the text only. Rows are numbered as in a spreadsheet: the header is row 1.

This module is pure (no database); ``services.catalogue_load`` writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nyskap.core.tabular import Problem, ReferenceDataError, read_csv_rows
from nyskap.organisations.reference_data import DEFAULT_DATA_DIR

from .matching import COMPANY_KINDS, HEALTH_TRUST_KINDS, PUBLIC_KINDS, RESEARCH_KINDS, STATE_ADMINISTRATION_KINDS

# The reviewed mapping and the owners' keys, re-exported here where the loader and the tests have always found them.
from .reviewed import (  # noqa: F401
    DATATILSYNET,
    DFO,
    DIGDIR,
    DOGA,
    EHELSE,
    FIN,
    FINANSTILSYNET,
    FORSKNINGSRADET,
    HDIR,
    HOD,
    INNOVASJON_NORGE,
    KDD,
    KS,
    MNOK,
    NAV,
    NEW_OWNERS,
    NMBU,
    NTNU,
    OTHER_HOME_PAGES,
    OWNER_HOME_PAGES,
    REVIEWED,
)

INSTRUMENTS_FILE = "instruments.csv"
COLUMNS = (
    "instrument",
    "norwegian_name",
    "owner",
    "offers",
    "target_group",
    "phase",
    "amounts_or_rules",
    "source",
    "status",
)
REQUIRED = ("instrument", "norwegian_name", "owner", "offers", "target_group", "phase", "source", "status")

# Words of the ``offers`` column → the catalogue's offer; None: not an offer of the catalogue (kept in the text).
OFFER_WORDS: dict[str, str | None] = {
    "money": "money",
    "advice": "advice",
    "process guidance": "advice",
    "competence": "competence",
    "research": "competence",
    "network": "network",
    "coordination": "network",
    "legal": "legal",
    "legal clarity": "legal",
    "data": "data",
    "method": "method",
    "recognition": None,
    "requirement of benefit-realisation plan": None,
}

# Words of the ``phase`` column → the platform's phases (DOMAIN.md §7.3; projects.models.Phase).
ALL_PHASES = ("need", "ideas", "develop_test", "implemented", "spread")
PHASE_WORDS: dict[str, tuple[str, ...]] = {
    "need": ("need",),
    "idea": ("ideas",),
    "development": ("develop_test",),
    "implementation": ("implemented",),
    "spread": ("spread",),
    "all": ALL_PHASES,
    "need → spread": ALL_PHASES,
}

STATE_APPLICANTS = STATE_ADMINISTRATION_KINDS
MUNICIPAL_APPLICANTS = ("municipality", "county_municipality")
# Short names for groups of kinds used in REVIEWED.
GROUPS: dict[str, tuple[str, ...]] = {
    "public": PUBLIC_KINDS,
    "state": STATE_APPLICANTS,
    "municipal": MUNICIPAL_APPLICANTS,
    "municipality": ("municipality",),
    "companies": COMPANY_KINDS,
    "company": ("company",),
    "social_entrepreneur": ("social_entrepreneur",),
    "research": RESEARCH_KINDS,
    "health_trust": HEALTH_TRUST_KINDS,
    "inter_municipal": ("inter_municipal",),
    "other_public": ("other_public",),
    "state_agency": ("state_agency",),
}


def address_url(address: str) -> str:
    """``"digdir.no/788"`` → ``"https://www.digdir.no/788"``; ``"ks.no"`` → ``"https://www.ks.no/"``. Only the
    address as written is used: no path is added to a bare domain."""
    domain, _slash, path = address.partition("/")
    return f"https://www.{domain}/{path}"


@dataclass
class InstrumentRow:
    row: int
    values: dict[str, Any]
    owner_keys: tuple[str, ...] = ()
    raw: dict[str, str] = field(default_factory=dict)


def _split(text: str) -> list[str]:
    """Split on ";" outside brackets: ``"money (grant; pilot); advice"`` → ``["money (grant; pilot)", "advice"]``."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == ";" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def _words(text: str) -> list[str]:
    """``"money (to buy …); advice"`` → ``["money", "advice"]``: qualifiers in brackets are dropped, and so is a
    word that is itself in brackets because it is unverified (``"(money U)"``) — the page shows the source text."""
    words = []
    for part in _split(text):
        word = re.sub(r"\([^)]*\)", "", part).strip().lower()
        if word:
            words.append(word)
    return words


def parse_offers(text: str) -> tuple[list[str], list[str]]:
    """The offers, and the words not known."""
    offers: list[str] = []
    unknown: list[str] = []
    for word in _words(text):
        if word not in OFFER_WORDS:
            unknown.append(word)
        elif OFFER_WORDS[word] and OFFER_WORDS[word] not in offers:
            offers.append(str(OFFER_WORDS[word]))
    return offers, unknown


def parse_phases(text: str) -> tuple[list[str], list[str]]:
    phases: list[str] = []
    unknown: list[str] = []
    for word in _words(text):
        if word not in PHASE_WORDS:
            unknown.append(word)
            continue
        for phase in PHASE_WORDS[word]:
            if phase not in phases:
                phases.append(phase)
    return [p for p in ALL_PHASES if p in phases], unknown


def parse_verification(text: str) -> str | None:
    """V → verified, S → secondary, U → unverified; a qualified V or S (``V (existence); criteria U``) → partly."""
    text = text.strip()
    if text in ("V", "S", "U"):
        return {"V": "verified", "S": "secondary", "U": "unverified"}[text]
    if text[:2] in ("V ", "S "):
        return "partly"
    return None


def expand(groups: tuple[str, ...]) -> list[str]:
    kinds: list[str] = []
    for group in groups:
        for kind in GROUPS[group]:
            if kind not in kinds:
                kinds.append(kind)
    return kinds


def source_addresses(source: str) -> list[str]:
    """The web addresses a ``source`` cell names, as written: ``"WP; difi.no; digdir.no/788"`` → ``["difi.no",
    "digdir.no/788"]``. Only whole words with a dot before a known top-level domain count, so ``"ch.5.1"`` does
    not."""
    return re.findall(r"(?<![\w./-])((?:[a-z0-9-]+\.)+(?:no|com|org|eu)(?:/[\w/.-]*\w)?)(?![\w.])", source)


def review_website(review: dict[str, Any], source: str) -> tuple[str, str, str]:
    """The link to the owner's page for one reviewed entry: ``(url, origin, problem)``. A ``site`` must be one of
    the addresses the source names; otherwise the owner's home page is used."""
    site, home = review["site"], review["home"]
    if site:
        if site not in source_addresses(source):
            return "", "", f"the link “{site}” in REVIEWED is not an address the source names"
        return address_url(site), "source", ""
    if home and home not in OTHER_HOME_PAGES and home not in OWNER_HOME_PAGES.values():
        return "", "", f"“{home}” in REVIEWED is not a known home page of an owner"
    domain = home or next((OWNER_HOME_PAGES[o] for o in review["owners"] if o in OWNER_HOME_PAGES), "")
    if not domain:
        return "", "", "no link to the owner's page: give the entry a site or a home page"
    return address_url(domain), "owner_home", ""


def read_instruments(data_dir: Path = DEFAULT_DATA_DIR) -> list[InstrumentRow]:
    """Every row of ``instruments.csv`` as catalogue values, or :class:`ReferenceDataError` with every problem."""
    problems: list[Problem] = []
    rows: list[InstrumentRow] = []
    raw_rows = read_csv_rows(data_dir / INSTRUMENTS_FILE, COLUMNS, problems, file=INSTRUMENTS_FILE)
    if problems:
        raise ReferenceDataError(problems)
    seen: dict[str, int] = {}
    for number, raw in raw_rows:
        rows_problems_before = len(problems)

        def problem(column: str | None, message: str, number: int = number) -> None:
            problems.append(Problem(INSTRUMENTS_FILE, number, column, message))

        cells = {column: (raw.get(column) or "").strip() for column in COLUMNS}
        for column in REQUIRED:
            if not cells[column]:
                problem(column, "is empty")
        name = cells["instrument"]
        if name in seen:
            problem("instrument", f"the same instrument as row {seen[name]}")
        seen[name] = number
        review = REVIEWED.get(name)
        if name and review is None:
            problem("instrument", f"“{name}” has no reviewed mapping in nyskap.instruments.catalogue.REVIEWED")
        offers, unknown_offers = parse_offers(cells["offers"])
        if unknown_offers:
            problem("offers", f"unknown offer(s): {', '.join(unknown_offers)}")
        phases, unknown_phases = parse_phases(cells["phase"])
        if unknown_phases:
            problem("phase", f"unknown phase(s): {', '.join(unknown_phases)}")
        verification = parse_verification(cells["status"]) if cells["status"] else "unverified"
        if verification is None:
            problem("status", f"“{cells['status']}” is not V, S or U (with a qualifier)")
        if review is not None:
            if not review["nn"]:
                problem("norwegian_name", f"“{name}” has no nynorsk name in REVIEWED")
            website, website_origin, link_problem = review_website(review, cells["source"])
            if link_problem:
                problem("source", link_problem)
        if len(problems) > rows_problems_before or review is None:
            continue
        rows.append(
            InstrumentRow(
                row=number,
                raw=cells,
                owner_keys=review["owners"],
                values={
                    "slug": review["slug"],
                    "name_en": review["en"] or name,
                    "name_nb": cells["norwegian_name"],
                    "name_nn": review["nn"],
                    "owner_text": cells["owner"],
                    "offers": offers,
                    "offers_text": cells["offers"],
                    "applicant_kinds": expand(review["applicants"]),
                    "partner_kinds": expand(review["partners"]),
                    "target_text": cells["target_group"],
                    "phases": phases,
                    "phases_text": cells["phase"],
                    "sectors": list(review["sectors"]),
                    "requirements": list(review["requirements"]),
                    "requires_open_call": review["open_call"],
                    "grant_max": review["grant_max"],
                    "project_cost_min": review["cost"][0],
                    "project_cost_max": review["cost"][1],
                    "cofunding_max_percent": review["cofunding"],
                    "amounts_text": "" if cells["amounts_or_rules"] in ("", "—") else cells["amounts_or_rules"],
                    "status": "ended" if review["ended"] else "active",
                    "ended_on": review["ended_on"],
                    "status_note": review["status_note"],
                    "verification": verification,
                    "verification_text": cells["status"],
                    "unverified_facts": review["unverified"],
                    "source": cells["source"],
                    "mapping_note": review["note"],
                    "website": website,
                    "website_origin": website_origin,
                },
            )
        )

    if problems:
        raise ReferenceDataError(problems)
    return rows
