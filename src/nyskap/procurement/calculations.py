"""Classifying procurement notices as procurement of innovation, innovation-friendly procurement or other — the rule
of DOMAIN.md §6.3 — with the reason for each notice stated in words. Pure: no Django, no database.

The codes are the EU's eForms code lists (OP-TED/eForms-SDK, ``codelists/``):

- BT-105 procedure type, list ``procurement-procedure-type``: open, restricted, neg-w-call (competitive procedure
  with negotiation), neg-wo-call, comp-dial (competitive dialogue), innovation (innovation partnership), oth-single,
  oth-mult, and comp-tend (competitive tendering, used under the defence and concessions rules).
- BT-776 innovative procurement, list ``innovative-acquisition`` (version 20220615-0): buy-eff, fp-requ, mar-nov,
  org-nov, proc-innov, prod-innov, rd-act, other.

A pre-commercial procurement is bought under the R&D exception (anskaffelsesforskriften § 2-5) and so has no
procedure code of its own in the directives' list; it shows as R&D services, CPV division 73. We count a notice whose
CPV codes include division 73 as a pre-commercial procurement, as the white paper's rule of thumb does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class NoticeClass(StrEnum):
    INNOVATION = "innovation"
    INNOVATION_FRIENDLY = "innovation_friendly"
    OTHER = "other"


# BT-105, procurement-procedure-type.
PROCEDURE_CODES: dict[str, str] = {
    "open": "Open procedure",
    "restricted": "Restricted procedure",
    "neg-w-call": "Competitive procedure with negotiation",
    "neg-wo-call": "Negotiated procedure without prior call for competition",
    "comp-dial": "Competitive dialogue",
    "innovation": "Innovation partnership",
    "comp-tend": "Competitive tendering",
    "oth-single": "Other single-stage procedure",
    "oth-mult": "Other multiple-stage procedure",
}
INNOVATION_PROCEDURES = frozenset({"innovation", "comp-dial"})

# BT-776, innovative-acquisition.
INNOVATIVE_CODES: dict[str, str] = {
    "buy-eff": "likely to make the buyer's work more effective",
    "fp-requ": "specifications based on functional and performance requirements",
    "mar-nov": "novel or significantly improved compared with the market",
    "org-nov": "novel for the organisation",
    "proc-innov": "involves process innovation",
    "prod-innov": "involves product innovation",
    "rd-act": "involves research and development activities",
    "other": "other",
}
INNOVATION_CODES = ("mar-nov", "rd-act", "prod-innov", "proc-innov")
FRIENDLY_CODES = ("fp-requ", "buy-eff", "org-nov")

# CPV: eight digits and a check digit ("73110000-6"); the check digit is optional in OCDS data and in the API and is
# not verified (the classification needs the digits only).
CPV_PATTERN = re.compile(r"^(\d{8})(?:-(\d))?$")
RD_DIVISION = "73"

MAX_CPV_CODES = 50
MAX_INNOVATIVE_CODES = len(INNOVATIVE_CODES)


@dataclass(frozen=True)
class Classification:
    notice_class: NoticeClass
    reason: str


class UnknownCode(ValueError):
    """A code outside its code list; ``field`` names where it was given. ``template`` (English, with ``%(name)s``
    placeholders filled from ``params``) is the message's msgid: the Django layer shows it in the reader's language
    (``labels.message``); ``message`` is the English text."""

    def __init__(self, field: str, code: str, template: str, params: dict[str, object]) -> None:
        self.field = field
        self.code = code
        self.template = template
        self.params = params
        self.message = template % params
        super().__init__(self.message)


def normalise_cpv(code: str, *, field: str = "cpv") -> str:
    """The eight digits of a CPV code written as ``73110000`` or ``73110000-6``; anything else refused."""
    match = CPV_PATTERN.match(code.strip()) if isinstance(code, str) else None
    if match is None:
        raise UnknownCode(
            field,
            str(code)[:40],
            "“%(code)s” is not a CPV code (eight digits, e.g. 73110000-6).",
            {"code": str(code)[:40]},
        )
    return match.group(1)


def cpv_division(code: str) -> str:
    """The CPV division (the first two digits) of a normalised code: 73 is research and development services."""
    return code[:2]


def check_procedure(code: str, *, field: str = "procedure") -> str:
    if code not in PROCEDURE_CODES:
        raise UnknownCode(
            field,
            code,
            "Unknown procedure type “%(code)s” (BT-105: %(codes)s).",
            {"code": str(code)[:40], "codes": ", ".join(PROCEDURE_CODES)},
        )
    return code


def check_innovative(codes: Iterable[str], *, field: str = "innovative") -> list[str]:
    checked = []
    for index, code in enumerate(codes):
        if code not in INNOVATIVE_CODES:
            raise UnknownCode(
                f"{field}.{index}",
                code,
                "Unknown innovative procurement code “%(code)s” (BT-776: %(codes)s).",
                {"code": str(code)[:40], "codes": ", ".join(INNOVATIVE_CODES)},
            )
        if code not in checked:
            checked.append(code)
    return checked


def classify(
    *, procedure: str, innovative: Sequence[str] = (), cpv: Sequence[str] = (), market_dialogue: bool = False
) -> Classification:
    """The notice's class and why. Procurement of innovation wins over innovation-friendly; within a class the
    reason names every criterion that was met, the procedure first."""
    check_procedure(procedure)
    codes = check_innovative(innovative)
    divisions = {cpv_division(normalise_cpv(code, field=f"cpv.{index}")) for index, code in enumerate(cpv)}

    reasons: list[str] = []
    if procedure in INNOVATION_PROCEDURES:
        reasons.append(f"procedure is {PROCEDURE_CODES[procedure].lower()} ({procedure})")
    if RD_DIVISION in divisions:
        reasons.append("R&D services (CPV 73): pre-commercial procurement under the R&D exception")
    reasons += [f"BT-776 {code}: {INNOVATIVE_CODES[code]}" for code in INNOVATION_CODES if code in codes]
    if reasons:
        return Classification(NoticeClass.INNOVATION, "Procurement of innovation: " + "; ".join(reasons) + ".")

    reasons = [f"BT-776 {code}: {INNOVATIVE_CODES[code]}" for code in FRIENDLY_CODES if code in codes]
    if market_dialogue:
        reasons.append("a market-dialogue notice preceded it")
    if reasons:
        return Classification(
            NoticeClass.INNOVATION_FRIENDLY, "Innovation-friendly procurement: " + "; ".join(reasons) + "."
        )
    return Classification(
        NoticeClass.OTHER,
        f"Other: {PROCEDURE_CODES[procedure].lower()} ({procedure}) without innovation codes or market dialogue.",
    )


def share(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in per cent, one decimal; none when there is nothing to divide by."""
    if whole <= 0:
        return None
    return round(100 * part / whole, 1)


# The white paper's reference line: about 1 % of competitions in Doffin used a procedure designed for innovation.
WHITE_PAPER_SHARE = 1.0
WHITE_PAPER_YEAR = 2019
WHITE_PAPER_SOURCE = "Meld. St. 30 (2019–2020) En innovativ offentlig sektor, ch. 11.1.3 (Doffin extract 2019)"
