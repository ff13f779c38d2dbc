"""Reads that the pages, the API, the exports and the notification task share."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import get_language

from nyskap.core.permissions import is_operator
from nyskap.organisations.models import Organisation, OrganisationKind
from nyskap.projects.models import Phase, Project

from .matching import STATE_ADMINISTRATION_KINDS, InstrumentFacts, MatchInput, MatchResult, match
from .models import Call, Instrument, InstrumentOwnerRole, InstrumentUse, Offer, Outcome, Status

CLOSING_SOON_DAYS = 30


def _quoted(code: str) -> str:
    # JSON lists are stored as text with each code in double quotes; see the models' docstring.
    return f'"{code}"'


def _case_variants(text: str) -> list[str]:
    return list(dict.fromkeys([text, text.lower(), text.upper(), text.capitalize()]))


def instrument_search(
    *,
    q: str = "",
    offer: Iterable[str] = (),
    phase: Iterable[str] = (),
    applicant_kind: str = "",
    owner: str = "",
    status: str = "",
    sector: str = "",
    include_synthetic: bool = True,
) -> QuerySet[Instrument]:
    """Instruments matching every filter given, by name. Several values of one filter are alternatives."""
    instruments = Instrument.objects.all()
    if not include_synthetic:
        instruments = instruments.real()
    text = (q or "").strip()
    if text:
        condition = Q()
        for variant in _case_variants(text):
            condition |= (
                Q(name_nb__icontains=variant)
                | Q(name_en__icontains=variant)
                | Q(name_nn__icontains=variant)
                | Q(owner_text__icontains=variant)
            )
        instruments = instruments.filter(condition)
    for name, values in (("offers", offer), ("phases", phase)):
        values = [v for v in values if v]
        if values:
            condition = Q()
            for value in values:
                condition |= Q(**{f"{name}__icontains": _quoted(value)})
            instruments = instruments.filter(condition)
    if applicant_kind:
        instruments = instruments.filter(applicant_kinds__icontains=_quoted(applicant_kind))
    if sector:
        # An instrument without sectors is open to every sector.
        instruments = instruments.filter(Q(sectors=[]) | Q(sectors__icontains=_quoted(sector)))
    if owner:
        instruments = instruments.filter(
            pk__in=Instrument.owners.through.objects.filter(organisation__slug=owner).values("instrument_id")
        )
    if status:
        instruments = instruments.filter(status=status)
    return instruments.order_by("name_nb", "pk")


def open_call_instrument_ids(today: datetime.date) -> set[int]:
    return set(Call.objects.open_on(today).values_list("instrument_id", flat=True))


def facts_for(instruments: Iterable[Instrument], open_ids: set[int]) -> list[InstrumentFacts]:
    return [
        InstrumentFacts(
            key=instrument.slug,
            name=instrument.name,
            offers=tuple(instrument.offers),
            applicant_kinds=tuple(instrument.applicant_kinds),
            partner_kinds=tuple(instrument.partner_kinds),
            max_population=instrument.max_population,
            phases=tuple(instrument.phases),
            sectors=tuple(instrument.sectors),
            innovation_types=tuple(instrument.innovation_types),
            requires_open_call=instrument.requires_open_call,
            ended=instrument.status == Status.ENDED,
            ended_on=instrument.ended_on,
            has_open_call=instrument.pk in open_ids,
        )
        for instrument in instruments
    ]


MATCH_FIELDS = (
    "pk",
    "slug",
    "name_nb",
    "name_nn",
    "name_en",
    "offers",
    "applicant_kinds",
    "partner_kinds",
    "max_population",
    "phases",
    "sectors",
    "innovation_types",
    "requires_open_call",
    "status",
    "ended_on",
    "verification",
    "is_synthetic",
)


class CatalogueRow(NamedTuple):
    """The rest of what a matcher result shows about an instrument (beside its `InstrumentFacts`)."""

    pk: int
    slug: str
    name_nb: str
    name_nn: str
    name_en: str
    status: str
    verification: str
    is_synthetic: bool


@dataclass
class Ranked:
    row: CatalogueRow
    facts: InstrumentFacts
    url: str
    result: MatchResult

    @property
    def name(self) -> str:
        return self.result.name


def _name_in(row: dict[str, Any], language: str) -> str:
    if language == "en":
        return str(row["name_en"] or row["name_nb"])
    if language == "nn":
        return str(row["name_nn"] or row["name_nb"])
    return str(row["name_nb"])


# The last catalogue read in this process, per (synthetic included, language), with the key it was read under.
# Only ever used when the key still matches the database, so it is a cache, not state: it saves unpickling a
# thousand instruments per request, whose garbage would otherwise set off full garbage collections.
_MEMO: dict[tuple[bool, str], tuple[str, list[tuple[CatalogueRow, InstrumentFacts]]]] = {}


def _catalogue_for_matching(include_synthetic: bool, language: str) -> list[tuple[CatalogueRow, InstrumentFacts]]:
    """The catalogue as matcher facts in ``language``, cached under a key that changes whenever an instrument is
    added, changed (``updated_at``) or removed (the count): one small aggregate query per match instead of
    reading and decoding every row. The key is checked against the database on every call, so every node and
    process sees a change at once."""
    instruments = Instrument.objects.all()
    if not include_synthetic:
        instruments = instruments.real()
    state = instruments.aggregate(count=Count("pk"), latest=Max("updated_at"))
    latest = state["latest"].isoformat() if state["latest"] else "-"
    key = f"instruments:match:{int(include_synthetic)}:{language}:{state['count']}:{latest}"
    slot = (include_synthetic, language)
    memo = _MEMO.get(slot)
    if memo is not None and memo[0] == key:
        return memo[1]
    catalogue = cache.get(key)
    if catalogue is None:
        catalogue = [
            (
                CatalogueRow(
                    pk=row["pk"],
                    slug=row["slug"],
                    name_nb=row["name_nb"],
                    name_nn=row["name_nn"],
                    name_en=row["name_en"],
                    status=row["status"],
                    verification=row["verification"],
                    is_synthetic=row["is_synthetic"],
                ),
                InstrumentFacts(
                    key=row["slug"],
                    name=_name_in(row, language),
                    offers=tuple(row["offers"]),
                    applicant_kinds=tuple(row["applicant_kinds"]),
                    partner_kinds=tuple(row["partner_kinds"]),
                    max_population=row["max_population"],
                    phases=tuple(row["phases"]),
                    sectors=tuple(row["sectors"]),
                    innovation_types=tuple(row["innovation_types"]),
                    requires_open_call=row["requires_open_call"],
                    ended=row["status"] == Status.ENDED,
                    ended_on=row["ended_on"],
                ),
            )
            for row in instruments.values(*MATCH_FIELDS)
        ]
        cache.set(key, catalogue, timeout=3600)
    _MEMO[slot] = (key, catalogue)
    return catalogue


def run_matcher(asked: MatchInput, *, today: datetime.date, include_synthetic: bool = True) -> list[Ranked]:
    """The whole catalogue through the matcher: an aggregate query, the cached facts, and the open calls."""
    catalogue = _catalogue_for_matching(include_synthetic, (get_language() or "nb")[:2])
    open_ids = open_call_instrument_ids(today)
    by_slug: dict[str, tuple[CatalogueRow, InstrumentFacts]] = {}
    facts = []
    for row, fact in catalogue:
        if row.pk in open_ids:
            fact = fact._replace(has_open_call=True)
        by_slug[row.slug] = (row, fact)
        facts.append(fact)
    # One reverse() for all: the detail URL differs only in the slug.
    pattern = reverse("instruments:detail", kwargs={"slug": "slug-placeholder"})
    return [
        Ranked(row=by_slug[r.key][0], facts=by_slug[r.key][1], url=pattern.replace("slug-placeholder", r.key), result=r)
        for r in match(facts, asked)
    ]


def match_input_for_organisation(organisation: Organisation | None, **answers: Any) -> MatchInput:
    """The matcher's question; the organisation gives the kind and (for municipalities) the population."""
    return MatchInput(
        organisation_kind=organisation.kind if organisation else answers.pop("organisation_kind", "") or "",
        population=organisation.population if organisation and organisation.population else None,
        **{k: v for k, v in answers.items() if k != "organisation_kind"},
    )


def project_answers(project: Project) -> dict[str, Any]:
    """What a project says about itself, as matcher answers: phase (none when stopped), types, sector, and its
    first owning organisation."""
    owner = project.owners.order_by("pk").first()
    return {
        "phase": project.phase if project.phase != Phase.STOPPED else "",
        "innovation_types": sorted(t.code for t in project.innovation_types.all()),
        "sector": project.sector,
        "organisation": owner.slug if owner else "",
    }


# Calls


def calls_open(today: datetime.date) -> QuerySet[Call]:
    return Call.objects.open_on(today).select_related("instrument").order_by("closes_on", "opens_on", "pk")


def calls_closing_soon(today: datetime.date, days: int = CLOSING_SOON_DAYS) -> QuerySet[Call]:
    return calls_open(today).filter(closes_on__isnull=False, closes_on__lte=today + datetime.timedelta(days=days))


def calls_upcoming(today: datetime.date) -> QuerySet[Call]:
    return Call.objects.filter(opens_on__gt=today).select_related("instrument").order_by("opens_on", "pk")


def calls_closed(today: datetime.date) -> QuerySet[Call]:
    return Call.objects.closed_before(today).select_related("instrument").order_by("-closes_on", "-pk")


# Uses


def uses_visible_to(user: Any) -> QuerySet[InstrumentUse]:
    """Uses of instruments by projects the user may see (the projects app's visibility rule, in the query)."""
    return InstrumentUse.objects.filter(project__in=Project.objects.visible_to(user).values("pk"))


def instrument_for_detail() -> QuerySet[Instrument]:
    return Instrument.objects.prefetch_related(
        Prefetch("owners", queryset=Organisation.objects.order_by("name")),
        Prefetch("calls", queryset=Call.objects.order_by("-opens_on", "-pk")),
    )


# Portfolio


@dataclass
class Matrix:
    rows: list[tuple[str, str]]  # (code, label)
    columns: list[tuple[str, str]]
    cells: dict[tuple[str, str], int]

    def row_values(self) -> list[tuple[str, list[int], int]]:
        out = []
        for code, label in self.rows:
            values = [self.cells.get((code, column), 0) for column, _label in self.columns]
            out.append((label, values, sum(values)))
        return out


TARGET_GROUPS: list[tuple[str, tuple[str, ...]]] = [
    ("municipal", (OrganisationKind.MUNICIPALITY, OrganisationKind.COUNTY_MUNICIPALITY)),
    ("state", STATE_ADMINISTRATION_KINDS),
    ("companies", (OrganisationKind.COMPANY, OrganisationKind.SOCIAL_ENTREPRENEUR)),
    ("research", (OrganisationKind.RESEARCH,)),
]


def coverage(instruments: Iterable[Instrument]) -> tuple[Matrix, Counter[str], Counter[str]]:
    """Active instruments by phase × offer, and how many instruments each target group may apply to and each
    phase has. An instrument counts once in every cell it covers."""
    phase_labels = [(p.value, str(p.label)) for p in Phase if p != Phase.STOPPED]
    offer_labels = [(o.value, str(o.label)) for o in Offer]
    cells: Counter[tuple[str, str]] = Counter()
    groups: Counter[str] = Counter()
    phases: Counter[str] = Counter()
    for instrument in instruments:
        for phase in instrument.phases:
            phases[phase] += 1
            for offer in instrument.offers:
                cells[(phase, offer)] += 1
        for group, kinds in TARGET_GROUPS:
            if set(kinds) & set(instrument.applicant_kinds):
                groups[group] += 1
    return Matrix(rows=phase_labels, columns=offer_labels, cells=dict(cells)), groups, phases


@dataclass
class UseRow:
    instrument: Instrument
    by_band: dict[str, int]
    by_centrality: dict[int, int]
    total: int


def use_by_municipality(user: Any) -> tuple[list[UseRow], Counter[str], Counter[int]]:
    """Uses of each instrument by projects owned by municipalities, by the municipality's size band and
    centrality class (the white paper's fig. 5.3 asks this), over the projects the user may see. A project with
    two owning municipalities counts for each."""
    uses = (
        uses_visible_to(user)
        .filter(project__owners__kind=OrganisationKind.MUNICIPALITY)
        .values_list("instrument_id", "project__owners__size_band", "project__owners__centrality_class")
    )
    per_instrument: dict[int, tuple[Counter[str], Counter[int]]] = {}
    bands: Counter[str] = Counter()
    centrality: Counter[int] = Counter()
    for instrument_id, band, klass in uses:
        band_counter, klass_counter = per_instrument.setdefault(instrument_id, (Counter(), Counter()))
        band_counter[band or ""] += 1
        bands[band or ""] += 1
        if klass:
            klass_counter[klass] += 1
            centrality[klass] += 1
    instruments = Instrument.objects.in_bulk(list(per_instrument))
    rows = [
        UseRow(
            instrument=instruments[pk],
            by_band=dict(band_counter),
            by_centrality=dict(klass_counter),
            total=sum(band_counter.values()),
        )
        for pk, (band_counter, klass_counter) in per_instrument.items()
    ]
    rows.sort(key=lambda row: (-row.total, row.instrument.name_nb))
    return rows, bands, centrality


def size_bands() -> list[tuple[str, str]]:
    return [(str(code), str(label)) for code, label, _low, _high in settings.ORGANISATION_SIZE_BANDS]


# Instrument owners


def owner_organisation_ids(user: Any) -> set[int]:
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    return set(InstrumentOwnerRole.objects.filter(user=user).values_list("organisation_id", flat=True))


def owned_organisations(user: Any) -> Any:
    """The organisations ``user`` may add instruments for: those of the user's instrument-owner roles."""
    if is_operator(user):
        return Organisation.objects.filter(ended_on=None).order_by("name")
    return Organisation.objects.filter(pk__in=owner_organisation_ids(user)).order_by("name")


# Facts for the dashboards (M8)


@dataclass(frozen=True)
class UseFact:
    project: int
    instrument: int
    year: int
    outcome: str


@dataclass(frozen=True)
class InstrumentMeta:
    names: dict[str, str]  # language → name
    phases: tuple[str, ...]
    offers: tuple[str, ...]


def use_facts() -> list[UseFact]:
    """Every registered use of an instrument by a project (one query); the project decides who may see it."""
    return [
        UseFact(project=p, instrument=i, year=y, outcome=o)
        for p, i, y, o in InstrumentUse.objects.order_by().values_list("project_id", "instrument_id", "year", "outcome")
    ]


def instrument_meta() -> dict[int, InstrumentMeta]:
    """Name in each language, phases and offers of every instrument (one query)."""
    return {
        pk: InstrumentMeta(names={"nb": nb, "nn": nn or nb, "en": en or nb}, phases=tuple(ph), offers=tuple(of))
        for pk, nb, nn, en, ph, of in Instrument.objects.order_by().values_list(
            "pk", "name_nb", "name_nn", "name_en", "phases", "offers"
        )
    }


def offer_choices() -> list[tuple[str, Any]]:
    return list(Offer.choices)


GRANTED = Outcome.GRANTED.value
