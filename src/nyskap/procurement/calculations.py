"""Classifying procurement notices as procurement of innovation, innovation-friendly procurement or other — the rule
of DOMAIN.md §6.3 — with the reason for each notice: a stable code (the criteria met) and its sentence. Pure: no
Django, no database.

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
from collections.abc import Callable, Iterable, Sequence
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
class Criterion:
    """One reason for a notice's class: ``name`` and, for most, a code (``procedure=innovation``, ``cpv=73``,
    ``bt776=mar-nov``, ``market_dialogue``, ``prior_information``, ``other=open``)."""

    name: str
    value: str = ""

    @property
    def code(self) -> str:
        return f"{self.name}={self.value}" if self.value else self.name


@dataclass(frozen=True)
class Classification:
    notice_class: NoticeClass
    criteria: tuple[Criterion, ...]

    @property
    def reason_code(self) -> str:
        """The reason as a stable code: the criteria met, in the order the reason names them, joined by ``;``."""
        return reason_code(self.criteria)

    @property
    def reason(self) -> str:
        """The reason in English (the pages and the API show it in the reader's language: ``labels.reason``)."""
        return reason_text(self.notice_class, self.reason_code)


# The reason's sentences: English templates with %(name)s placeholders, the msgids of their translations
# (``labels.MESSAGES``).
REASON_INNOVATION = "Procurement of innovation: %(criteria)s."
REASON_FRIENDLY = "Innovation-friendly procurement: %(criteria)s."
REASON_OTHER = "Other: %(procedure)s (%(code)s) without innovation codes or market dialogue."
REASON_PRIOR = "Prior information notice (market dialogue)."
CRITERION_PROCEDURE = "procedure is %(procedure)s (%(code)s)"
CRITERION_RD = "R&D services (CPV 73): pre-commercial procurement under the R&D exception"
CRITERION_BT776 = "BT-776 %(code)s: %(meaning)s"
CRITERION_MARKET_DIALOGUE = "a market-dialogue notice preceded it"
REASON_TEMPLATES = (
    REASON_INNOVATION,
    REASON_FRIENDLY,
    REASON_OTHER,
    REASON_PRIOR,
    CRITERION_PROCEDURE,
    CRITERION_RD,
    CRITERION_BT776,
    CRITERION_MARKET_DIALOGUE,
)
PRIOR_INFORMATION = (Criterion("prior_information"),)


def reason_code(criteria: Iterable[Criterion]) -> str:
    return ";".join(criterion.code for criterion in criteria)


def parse_reason_code(code: str) -> list[Criterion]:
    criteria = []
    for part in code.split(";") if code else []:
        name, _, value = part.partition("=")
        criteria.append(Criterion(name, value))
    return criteria


def _english(template: str, params: dict[str, object] | None = None) -> str:
    return template % params if params else template


def reason_text(
    notice_class: str,
    code: str,
    *,
    message: Callable[[str, dict[str, object] | None], str] = _english,
    procedure_name: Callable[[str], str] = lambda code: PROCEDURE_CODES.get(code, code).lower(),
    innovative_meaning: Callable[[str], str] = lambda code: INNOVATIVE_CODES.get(code, code),
) -> str:
    """The sentence a reason code stands for, in English — or, with the Django layer's ``message`` and names, in
    the reader's language. An empty or unreadable code gives an empty sentence."""
    criteria = parse_reason_code(code)
    if not criteria:
        return ""
    first = criteria[0]
    if first.name == "prior_information":
        return message(REASON_PRIOR, None)
    if first.name == "other":
        return message(REASON_OTHER, {"procedure": procedure_name(first.value), "code": first.value})
    parts = []
    for criterion in criteria:
        if criterion.name == "procedure":
            params: dict[str, object] = {"procedure": procedure_name(criterion.value), "code": criterion.value}
            parts.append(message(CRITERION_PROCEDURE, params))
        elif criterion.name == "cpv":
            parts.append(message(CRITERION_RD, None))
        elif criterion.name == "bt776":
            params = {"code": criterion.value, "meaning": innovative_meaning(criterion.value)}
            parts.append(message(CRITERION_BT776, params))
        elif criterion.name == "market_dialogue":
            parts.append(message(CRITERION_MARKET_DIALOGUE, None))
    template = REASON_INNOVATION if notice_class == NoticeClass.INNOVATION else REASON_FRIENDLY
    return message(template, {"criteria": "; ".join(parts)})


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

    criteria: list[Criterion] = []
    if procedure in INNOVATION_PROCEDURES:
        criteria.append(Criterion("procedure", procedure))
    if RD_DIVISION in divisions:
        criteria.append(Criterion("cpv", RD_DIVISION))
    criteria += [Criterion("bt776", code) for code in INNOVATION_CODES if code in codes]
    if criteria:
        return Classification(NoticeClass.INNOVATION, tuple(criteria))

    criteria = [Criterion("bt776", code) for code in FRIENDLY_CODES if code in codes]
    if market_dialogue:
        criteria.append(Criterion("market_dialogue"))
    if criteria:
        return Classification(NoticeClass.INNOVATION_FRIENDLY, tuple(criteria))
    return Classification(NoticeClass.OTHER, (Criterion("other", procedure),))


def share(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in per cent, one decimal; none when there is nothing to divide by."""
    if whole <= 0:
        return None
    return round(100 * part / whole, 1)


# The white paper's reference line: about 1 % of competitions in Doffin used a procedure designed for innovation.
WHITE_PAPER_SHARE = 1.0
WHITE_PAPER_YEAR = 2019
WHITE_PAPER_SOURCE = "Meld. St. 30 (2019–2020) En innovativ offentlig sektor, ch. 11.1.3 (Doffin extract 2019)"
