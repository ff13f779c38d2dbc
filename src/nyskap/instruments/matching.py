"""The matcher: which instruments fit a project or a few answers, and why. Pure and deterministic — it reads plain
facts about each instrument (``InstrumentFacts``) and the question (``MatchInput``), never the database, so the
same input always gives the same ranked list.

How it decides (shown on the matcher page as its methods text):

1. **Hard rules exclude.** An instrument is left out of the ranking, with the reason, when
   - it has ended (``status`` ended);
   - the asker's kind of organisation may not apply: it is not among the instrument's applicant kinds. When the
     kind may take part *as a partner only* (the co-financing scheme: "municipalities only as partners"), the reason
     says so;
   - the asker's municipality is larger than the instrument's population limit;
   - the asker wants only what can be applied for now, the instrument takes applications only through calls, and
     no call is open today.
   A rule whose input was not given (no organisation, no population) is not applied, and the result says that it
   was not checked.
2. **Soft criteria rank** the rest. Each criterion the asker answered gives points out of its weight:
   phase 40 (the instrument covers the phase), needs 30 (share of the asked-for offers the instrument has),
   innovation type 15 and sector 15 (full points when the instrument is open to every type or sector, or names
   one asked for). The score is the points won divided by the weights of the answered criteria, as a whole
   percentage (half rounds up). Unanswered criteria neither help nor hurt.
3. **Fit** is said in words as well as the number: an instrument *fits* when it wins every point of the answered
   criteria (100 %); it *fits partly* when it loses some; it *does not fit* when a hard rule leaves it out or when
   the asker named kinds of support and it offers none of them. An instrument offering none of the asked-for kinds
   of support is still shown with its score, but it never ranks above one that offers at least one of them, however
   well it matches phase, type and sector: support of the wrong kind is not help.
4. **Order:** fits, then fits partly, then does not fit by its offers, then left out by a hard rule; within each
   group the higher score first. **Ties** are broken by an open call today (first), then the name, then the slug,
   so the order is total.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.utils.translation import gettext, gettext_noop

WEIGHTS = {"phase": 40, "needs": 30, "innovation_type": 15, "sector": 15}

# The fit in words. Ranked in this order (see the module docstring).
FITS = "fits"
FITS_PARTLY = "fits_partly"
DOES_NOT_FIT = "does_not_fit"

# The state administration: what a scheme "for state bodies" is open to (ministries, directorates and agencies,
# county governors, supervisory authorities, state universities and university colleges, tribunals and ombud).
# Health trusts are state-owned enterprises, not state administration, and Riksrevisjonen is the Storting's body:
# both are public bodies, but not "state bodies" for a scheme's rules (docs/adr, "register updates").
STATE_ADMINISTRATION_KINDS = (
    "state_agency",
    "ministry",
    "county_governor",
    "supervisory_authority",
    "university",
    "tribunal",
    "ombud",
)
HEALTH_TRUST_KINDS = ("health_trust", "regional_health_trust")
STATE_KINDS = (*STATE_ADMINISTRATION_KINDS, *HEALTH_TRUST_KINDS, "storting_body")
MUNICIPAL_KINDS = ("municipality", "county_municipality", "inter_municipal")
PUBLIC_KINDS = (*STATE_KINDS, *MUNICIPAL_KINDS, "other_public")
COMPANY_KINDS = ("company", "social_entrepreneur")
# A scheme open to research organisations is open to the state universities and university colleges too.
RESEARCH_KINDS = ("research", "university")


class InstrumentFacts(NamedTuple):
    """What the matcher reads about one instrument. A named tuple: cheap to build and to cache, and the garbage
    collector stops tracking tuples of plain values (a national catalogue is read on every match)."""

    key: str
    name: str
    offers: tuple[str, ...] = ()
    applicant_kinds: tuple[str, ...] = ()
    partner_kinds: tuple[str, ...] = ()
    max_population: int | None = None
    phases: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    innovation_types: tuple[str, ...] = ()
    requires_open_call: bool = False
    ended: bool = False
    ended_on: datetime.date | None = None
    has_open_call: bool = False


@dataclass(frozen=True)
class MatchInput:
    phase: str = ""
    needs: tuple[str, ...] = ()
    innovation_types: tuple[str, ...] = ()
    sector: str = ""
    organisation_kind: str = ""
    population: int | None = None
    only_open_calls: bool = False


class Reason(NamedTuple):
    """One line of explanation. ``fits`` is True (speaks for), False (speaks against) or None (a note)."""

    code: str
    message: str
    fits: bool | None


@dataclass(slots=True)
class MatchResult:
    key: str
    name: str
    score: int
    excluded: bool
    has_open_call: bool
    reasons: list[Reason] = field(default_factory=list)
    # False when the asker named kinds of support and the instrument offers none of them (True when none were named).
    offers_needed: bool = True
    # Every answered criterion won all its points.
    full_points: bool = True

    @property
    def fit(self) -> str:
        """``fits``, ``fits_partly`` or ``does_not_fit`` (see the module docstring)."""
        if self.excluded or not self.offers_needed:
            return DOES_NOT_FIT
        return FITS if self.full_points else FITS_PARTLY


class Words:
    """Translations for one run of the matcher, each looked up once: a national catalogue gives thousands of
    reasons from a few dozen sentences, and looking each up again would cost more than the matching itself.
    Messages are marked with ``gettext_noop`` so they are still collected for translation."""

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}
        self._phrases: dict[frozenset[str], str] = {}

    def __call__(self, msgid: str) -> str:
        text = self._texts.get(msgid)
        if text is None:
            text = self._texts[msgid] = gettext(msgid)
        return text

    def kind_plural(self, kind: str) -> str:
        msgid = KIND_PLURALS.get(kind)
        return self(msgid) if msgid else kind

    def describe_kinds(self, kinds: Iterable[str]) -> str:
        """A short phrase for a set of kinds: named groups first ("state bodies"), then the remaining kinds."""
        key = frozenset(kinds)
        phrase = self._phrases.get(key)
        if phrase is None:
            phrase = self._phrases[key] = self._describe(key)
        return phrase

    def _describe(self, kinds: frozenset[str]) -> str:
        remaining = set(kinds)
        parts: list[str] = []
        for group, label in KIND_GROUPS:
            if group <= remaining:
                parts.append(self(label))
                remaining -= group
        parts += [self.kind_plural(kind) for kind in sorted(remaining)]
        if not parts:
            return self(gettext_noop("nobody"))
        if len(parts) == 1:
            return parts[0]
        return self(gettext_noop("%(first)s and %(last)s")) % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


# Words for kinds of organisation, for the reasons. Plural msgids, so the sentences read naturally.
KIND_PLURALS = {
    "municipality": gettext_noop("municipalities"),
    "county_municipality": gettext_noop("county municipalities"),
    "state_agency": gettext_noop("state agencies"),
    "ministry": gettext_noop("ministries"),
    "county_governor": gettext_noop("county governors"),
    "health_trust": gettext_noop("health trusts"),
    "supervisory_authority": gettext_noop("supervisory authorities"),
    "university": gettext_noop("universities and university colleges"),
    "regional_health_trust": gettext_noop("regional health trusts"),
    "tribunal": gettext_noop("tribunals"),
    "ombud": gettext_noop("ombud"),
    "storting_body": gettext_noop("bodies of the Storting"),
    "inter_municipal": gettext_noop("inter-municipal companies"),
    "other_public": gettext_noop("other public bodies"),
    "company": gettext_noop("companies"),
    "social_entrepreneur": gettext_noop("social entrepreneurs"),
    "research": gettext_noop("research organisations"),
    "voluntary": gettext_noop("voluntary organisations"),
}
KIND_GROUPS: list[tuple[set[str], str]] = [
    (set(PUBLIC_KINDS), gettext_noop("public bodies")),
    (set(STATE_KINDS), gettext_noop("state bodies")),
    (set(STATE_ADMINISTRATION_KINDS), gettext_noop("state bodies")),
    ({"state_agency", "ministry", "county_governor"}, gettext_noop("state bodies")),
    (set(HEALTH_TRUST_KINDS), gettext_noop("health trusts")),
    (set(RESEARCH_KINDS), gettext_noop("research organisations")),
    ({"municipality", "county_municipality", "inter_municipal"}, gettext_noop("the municipal sector")),
    ({"municipality", "county_municipality"}, gettext_noop("municipalities and county municipalities")),
    (set(COMPANY_KINDS), gettext_noop("companies")),
]


def kind_plural(kind: str) -> str:
    return Words().kind_plural(kind)


def describe_kinds(kinds: Iterable[str]) -> str:
    return Words().describe_kinds(kinds)


def _percent(points: Decimal, weight: int) -> int:
    if weight == 0:
        return 100
    return int((points * 100 / weight).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _hard_rules(facts: InstrumentFacts, asked: MatchInput, _: Words) -> list[Reason]:
    """The reasons that exclude the instrument (empty when none does)."""
    refusals: list[Reason] = []
    if facts.ended:
        if facts.ended_on:
            message = _(gettext_noop("The scheme ended on %(date)s.")) % {"date": facts.ended_on.strftime("%d.%m.%Y")}
        else:
            message = _(gettext_noop("The scheme has ended."))
        refusals.append(Reason("ended", message, False))
    kind = asked.organisation_kind
    if kind and kind not in facts.applicant_kinds:
        values = {"applicants": _.describe_kinds(facts.applicant_kinds), "kind": _.kind_plural(kind)}
        if kind in facts.partner_kinds:
            message = _(gettext_noop("The scheme is for %(applicants)s; %(kind)s can only be partners.")) % values
            refusals.append(Reason("partner_only", message, False))
        else:
            message = _(gettext_noop("The scheme is for %(applicants)s, not for %(kind)s.")) % values
            refusals.append(Reason("not_eligible", message, False))
    if facts.max_population is not None and asked.population is not None and asked.population > facts.max_population:
        message = _(gettext_noop("The scheme is for municipalities with at most %(limit)s inhabitants.")) % {
            "limit": f"{facts.max_population:,}".replace(",", "\u00a0")
        }
        refusals.append(Reason("too_large", message, False))
    if asked.only_open_calls and facts.requires_open_call and not facts.has_open_call:
        refusals.append(
            Reason("no_open_call", _(gettext_noop("Applications only through calls, and no call is open now.")), False)
        )
    return refusals


def match_one(facts: InstrumentFacts, asked: MatchInput, words: Words | None = None) -> MatchResult:
    _ = words or Words()
    reasons = _hard_rules(facts, asked, _)
    excluded = bool(reasons)
    if not asked.organisation_kind and not facts.ended:
        reasons.append(
            Reason("kind_unknown", _(gettext_noop("Not checked who may apply: no organisation was given.")), None)
        )
    elif asked.organisation_kind and not excluded:
        reasons.append(
            Reason(
                "eligible",
                _(gettext_noop("%(kind)s may apply.")) % {"kind": _.kind_plural(asked.organisation_kind).capitalize()},
                True,
            )
        )

    points = Decimal(0)
    weight = 0
    offers_needed = True
    if asked.phase:
        weight += WEIGHTS["phase"]
        if asked.phase in facts.phases:
            points += WEIGHTS["phase"]
            reasons.append(Reason("phase", _(gettext_noop("Covers the phase you are in.")), True))
        else:
            reasons.append(Reason("phase", _(gettext_noop("Does not cover the phase you are in.")), False))
    if asked.needs:
        weight += WEIGHTS["needs"]
        wanted = list(dict.fromkeys(asked.needs))
        covered = [need for need in wanted if need in facts.offers]
        points += Decimal(WEIGHTS["needs"]) * len(covered) / len(wanted)
        if covered:
            reasons.append(
                Reason(
                    "needs",
                    _(gettext_noop("Offers %(covered)d of the %(wanted)d kinds of support you need."))
                    % {"covered": len(covered), "wanted": len(wanted)},
                    True,
                )
            )
        else:
            offers_needed = False
            reasons.append(Reason("needs", _(gettext_noop("Offers none of the kinds of support you need.")), False))
    if asked.innovation_types:
        weight += WEIGHTS["innovation_type"]
        if not facts.innovation_types:
            points += WEIGHTS["innovation_type"]
            reasons.append(Reason("innovation_type", _(gettext_noop("Open to every kind of innovation.")), True))
        elif set(asked.innovation_types) & set(facts.innovation_types):
            points += WEIGHTS["innovation_type"]
            reasons.append(Reason("innovation_type", _(gettext_noop("Aimed at your kind of innovation.")), True))
        else:
            reasons.append(Reason("innovation_type", _(gettext_noop("Aimed at other kinds of innovation.")), False))
    if asked.sector:
        weight += WEIGHTS["sector"]
        if not facts.sectors:
            points += WEIGHTS["sector"]
            reasons.append(Reason("sector", _(gettext_noop("Open to every sector.")), True))
        elif asked.sector in facts.sectors:
            points += WEIGHTS["sector"]
            reasons.append(Reason("sector", _(gettext_noop("Aimed at your sector.")), True))
        else:
            reasons.append(Reason("sector", _(gettext_noop("Aimed at other sectors.")), False))

    if facts.requires_open_call and not excluded:
        if facts.has_open_call:
            reasons.append(Reason("open_call", _(gettext_noop("A call is open now.")), True))
        else:
            reasons.append(
                Reason(
                    "no_open_call",
                    _(gettext_noop("Applications only through calls; no call is open now – watch for the next.")),
                    None,
                )
            )
    score = 0 if excluded else _percent(points, weight)
    return MatchResult(
        key=facts.key,
        name=facts.name,
        score=score,
        excluded=excluded,
        has_open_call=facts.has_open_call,
        reasons=reasons,
        offers_needed=offers_needed,
        full_points=points == weight,
    )


_FIT_ORDER = {FITS: 0, FITS_PARTLY: 1, DOES_NOT_FIT: 2}


def sort_key(result: MatchResult) -> tuple[bool, int, int, bool, str, str]:
    """Left out by a hard rule last; before them, fits, fits partly, then offers none of the asked-for support
    (whatever its score); then the score, an open call, the name and the slug."""
    return (
        result.excluded,
        _FIT_ORDER[result.fit],
        -result.score,
        not result.has_open_call,
        result.name.casefold(),
        result.key,
    )


def match(instruments: Sequence[InstrumentFacts], asked: MatchInput) -> list[MatchResult]:
    """Every instrument with its score and reasons: the ranked ones first (best first), then the excluded ones."""
    words = Words()
    return sorted((match_one(facts, asked, words) for facts in instruments), key=sort_key)
