"""The dashboards' figures, computed for every lens at once from the facts the other modules hand over (pure: no
database here, so the figures are tested against a direct computation and worked examples).

Each metric is defined once, in `definitions`; the pages show its definition beside it. An item counts once in every
lens it falls in (an item owned by two municipalities of one county counts once for the county). Figures for
everybody count public items only; an organisation's internal figures (for its members) also count what it shares
with its own people (projects and trials visible to the organisation or the network, challenges in draft, draft
benefit plans), never other organisations' internal items.

Survey figures (culture, barometer) are never computed here: a lens shows the figure the survey's own publication
shows for the same group, or nothing. So no combination of lenses can be differenced into a hidden group.
"""

from __future__ import annotations

import datetime
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .lenses import (
    CENTRALITY,
    COUNTRY,
    COUNTY,
    NATIONAL,
    ORGANISATION,
    SECTOR,
    SIZE_BAND,
    Directory,
    Lens,
)

PUBLIC = "public"
INTERNAL = "internal"

ENDED_PHASES = ("implemented", "spread", "stopped")
STOPPED = "stopped"
ENDED_TRIAL_STATUSES = ("ended", "results_reported", "decided")
DECIDED = "decided"

FAMILY_BUCKETS = (("2", 2, 2), ("3-5", 3, 5), ("6-10", 6, 10), ("11+", 11, None))
WAIT_BUCKETS = (("before", None, -1), ("0-6m", 0, 182), ("6-12m", 183, 365), ("1-2y", 366, 730), ("2y+", 731, None))


@dataclass
class Facts:
    """What the modules hand over (their selectors' facts), and the organisation register."""

    directory: Directory
    projects: list[Any] = field(default_factory=list)  # projects.selectors.ProjectFact
    adoptions: list[Any] = field(default_factory=list)  # projects.selectors.AdoptionFact
    uses: list[Any] = field(default_factory=list)  # instruments.selectors.UseFact
    instruments: dict[int, Any] = field(default_factory=dict)  # instruments.selectors.InstrumentMeta
    granted: str = "granted"
    trials: list[Any] = field(default_factory=list)  # trials.selectors.TrialFact
    sandboxes: list[Any] = field(default_factory=list)  # trials.selectors.SandboxFact
    challenges: list[Any] = field(default_factory=list)  # challenges.selectors.ChallengeFact
    notices: list[Any] = field(default_factory=list)  # procurement.selectors.NoticeCount
    innovation_class: str = "innovation"
    friendly_class: str = "innovation_friendly"
    benefits: list[Any] = field(default_factory=list)  # benefits.selectors.BenefitSum
    plans: list[tuple[int, bool]] = field(default_factory=list)  # (project, is draft)
    own_bearer: str = "own"
    culture: list[dict[str, Any]] = field(default_factory=list)  # culture.selectors.published_figures
    culture_organisations: set[int] = field(default_factory=set)
    barometer: list[dict[str, Any]] = field(default_factory=list)  # barometer.selectors.latest_published_figures
    sectors: list[str] = field(default_factory=list)  # every sector code, so each sector lens exists


class _Acc:
    """One lens's running counts."""

    def __init__(self) -> None:
        self.projects = 0
        self.by_phase: Counter[str] = Counter()
        self.by_type: Counter[str] = Counter()
        self.by_degree: Counter[str] = Counter()
        self.by_novelty: Counter[str] = Counter()
        self.started: Counter[int] = Counter()
        self.finished: Counter[int] = Counter()
        self.project_ids: set[int] = set()
        self.adoptions_of = 0
        self.adoptions_by = 0
        self.reused: set[int] = set()
        self.families: Counter[str] = Counter()
        self.waits: list[int] = []
        self.uses = 0
        self.matrix: Counter[str] = Counter()
        self.instrument_uses: Counter[int] = Counter()
        self.uses_by_band: Counter[str] = Counter()
        self.trials = 0
        self.trials_by_kind: Counter[str] = Counter()
        self.trials_by_status: Counter[str] = Counter()
        self.preregistered = 0
        self.trials_ended = 0
        self.decided = 0
        self.overdue = 0
        self.sandbox_applications = 0
        self.sandbox_admitted = 0
        self.challenges = 0
        self.by_procedure: Counter[str] = Counter()
        self.by_status: Counter[str] = Counter()
        self.joint = 0
        self.notices = 0
        self.innovation = 0
        self.friendly = 0
        self.plans = 0
        self.planned_year: dict[int, Decimal] = defaultdict(Decimal)
        self.realised_year: dict[int, Decimal] = defaultdict(Decimal)
        self.planned_bearer: dict[str, Decimal] = defaultdict(Decimal)
        self.realised_bearer: dict[str, Decimal] = defaultdict(Decimal)


def _kroner(value: Decimal) -> int:
    return int(value.to_integral_value())


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _bucket(value: int, buckets: tuple[tuple[str, int | None, int | None], ...]) -> str:
    for name, low, high in buckets:
        if (low is None or value >= low) and (high is None or value <= high):
            return name
    return buckets[-1][0]


def _families(adoptions: Iterable[Any]) -> dict[int, int]:
    """Family-tree size (the root and every project and body that adopted it, directly or further down) of each
    root project that was adopted at least once. A root is a project that adopts no other."""
    children: dict[int, list[Any]] = defaultdict(list)
    adopting: set[int] = set()
    for adoption in adoptions:
        children[adoption.source_project].append(adoption)
        if adoption.adopting_project is not None:
            adopting.add(adoption.adopting_project)
    sizes = {}
    for root in children:
        if root in adopting:
            continue
        seen = {root}
        size = 1
        stack = [root]
        while stack:
            for adoption in children.get(stack.pop(), ()):
                child = adoption.adopting_project
                if child is None:
                    size += 1
                elif child not in seen:
                    seen.add(child)
                    size += 1
                    stack.append(child)
        sizes[root] = size
    return sizes


class _Accumulators:
    def __init__(self) -> None:
        self.public: dict[Lens, _Acc] = defaultdict(_Acc)
        self.internal: dict[Lens, _Acc] = defaultdict(_Acc)

    def targets(self, lenses: Iterable[Lens], public: bool, owner_lenses: Iterable[Lens]) -> list[_Acc]:
        """A public item counts in every lens it falls in, and in the internal figures of the organisations among
        them (internal figures are the public ones plus the organisation's own shared items); an item that is not
        public counts only in its owners' internal figures."""
        if public:
            lenses = list(lenses)
            return [self.public[lens] for lens in lenses] + [
                self.internal[lens] for lens in lenses if lens[0] == ORGANISATION
            ]
        return [self.internal[lens] for lens in owner_lenses]


def compute(facts: Facts, today: datetime.date) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Every lens's figures: ``{(kind, key, audience): figures}``. Internal figures exist for organisations only,
    and only where they differ from the public ones."""
    directory = facts.directory
    acc = _Accumulators()
    for lens in directory.every_lens(facts.sectors):
        acc.public[lens]  # every lens exists, with zeros where nothing falls in it
    project_lenses: dict[int, set[Lens]] = {}
    project_owner_lenses: dict[int, set[Lens]] = {}
    project_public: dict[int, bool] = {}
    project_owners: dict[int, tuple[int, ...]] = {}
    implemented: dict[int, datetime.date | None] = {}

    def own_lenses(lenses: Iterable[Lens]) -> set[Lens]:
        return {lens for lens in lenses if lens[0] == ORGANISATION}

    # Projects
    for project in facts.projects:
        lenses = directory.lenses_of_owners(project.owners, project.sector)
        owned = own_lenses(lenses)
        project_lenses[project.id] = lenses
        project_owner_lenses[project.id] = owned
        project_public[project.id] = project.public
        project_owners[project.id] = project.owners
        implemented[project.id] = project.implemented_on
        for a in acc.targets(lenses, project.public, owned):
            a.projects += 1
            a.project_ids.add(project.id)
            a.by_phase[project.phase] += 1
            for code in project.types:
                a.by_type[code] += 1
            a.by_degree[project.degree or "unknown"] += 1
            a.by_novelty[project.novelty or "unknown"] += 1
            if project.started:
                a.started[project.started] += 1
            if project.finished:
                a.finished[project.finished] += 1

    # Spread: adoptions of a lens's projects by bodies that do not own them, adoptions made by a lens's bodies,
    # projects reused by at least one other body, family trees, and the wait from implemented to first adoption.
    first_adoption: dict[tuple[int, bool], datetime.date] = {}
    for adoption in facts.adoptions:
        source = adoption.source_project
        if source not in project_lenses or adoption.adopting_organisation in project_owners[source]:
            continue
        public = adoption.public
        for a in acc.targets(project_lenses[source], public, project_owner_lenses[source]):
            a.adoptions_of += 1
            a.reused.add(source)
        # Adoptions made count public adoptions only: an internal one belongs to the source project's owners.
        for a in acc.targets(directory.lenses_of_owners([adoption.adopting_organisation]), public, ()):
            a.adoptions_by += 1
        for audience_public in {public, False}:
            key = (source, audience_public)
            if key not in first_adoption or adoption.adopted_on < first_adoption[key]:
                first_adoption[key] = adoption.adopted_on
    for audience_public in (True, False):
        adoptions = [a for a in facts.adoptions if a.public or not audience_public]
        for root, size in _families(adoptions).items():
            if root not in project_lenses or (audience_public and not project_public[root]):
                continue
            if size < 2:
                continue
            name = _bucket(size, FAMILY_BUCKETS)
            accs = (
                [acc.public[lens] for lens in project_lenses[root]]
                if audience_public
                else [acc.internal[lens] for lens in project_owner_lenses[root]]
            )
            for a in accs:
                a.families[name] += 1
    for (source, audience_public), adopted_on in first_adoption.items():
        started = implemented.get(source)
        if started is None or source not in project_lenses:
            continue
        if audience_public and not project_public[source]:
            continue
        wait = (adopted_on - started).days
        accs = (
            [acc.public[lens] for lens in project_lenses[source]]
            if audience_public
            else [acc.internal[lens] for lens in project_owner_lenses[source]]
        )
        for a in accs:
            a.waits.append(wait)

    # Instruments: granted uses by the lens's projects, in each phase × offer cell the instrument covers
    bands = {p.id: p.size_band for p in directory.municipalities() if p.size_band}
    for use in facts.uses:
        if use.outcome != facts.granted or use.project not in project_lenses:
            continue
        meta = facts.instruments.get(use.instrument)
        use_bands = {bands[o] for o in project_owners[use.project] if o in bands}
        for a in acc.targets(
            project_lenses[use.project], project_public[use.project], project_owner_lenses[use.project]
        ):
            a.uses += 1
            a.instrument_uses[use.instrument] += 1
            for band in use_bands:
                a.uses_by_band[band] += 1
            if meta is not None:
                for phase in meta.phases:
                    for offer in meta.offers:
                        a.matrix[f"{phase}|{offer}"] += 1

    # Trials and sandboxes
    for trial in facts.trials:
        lenses = directory.lenses_of_owners(trial.owners, trial.sector)
        for a in acc.targets(lenses, trial.public, own_lenses(lenses)):
            a.trials += 1
            a.trials_by_kind[trial.kind] += 1
            a.trials_by_status[trial.status] += 1
            a.preregistered += trial.preregistered
            if trial.status in ENDED_TRIAL_STATUSES:
                a.trials_ended += 1
                a.decided += trial.status == DECIDED
            a.overdue += trial.overdue
    for sandbox in facts.sandboxes:
        lenses = directory.lenses_of_owners([sandbox.owner] if sandbox.owner else [])
        for a in acc.targets(lenses, True, ()):
            a.sandbox_applications += sandbox.applications
            a.sandbox_admitted += sandbox.admitted

    # Challenges
    for challenge in facts.challenges:
        lenses = directory.lenses_of_owners(challenge.owners, challenge.sector)
        for a in acc.targets(lenses, challenge.public, own_lenses(lenses)):
            a.challenges += 1
            a.by_procedure[challenge.procedure] += 1
            a.by_status[challenge.status] += 1
            a.joint += challenge.joint

    # Procurement notices (public records): the buyer's lenses, and the county the notice names
    for notice in facts.notices:
        lenses = directory.lenses_of_owners([notice.buyer] if notice.buyer else [])
        lenses = {lens for lens in lenses if lens[0] != COUNTY}
        if notice.county_number:
            lenses.add((COUNTY, notice.county_number))
        for a in acc.targets(lenses, True, ()):
            a.notices += notice.count
            a.innovation += notice.count if notice.notice_class == facts.innovation_class else 0
            a.friendly += notice.count if notice.notice_class == facts.friendly_class else 0

    # Benefits: the current plans of the lens's projects; a draft plan counts only internally
    for project, draft in facts.plans:
        if project in project_lenses:
            for a in acc.targets(
                project_lenses[project], project_public[project] and not draft, project_owner_lenses[project]
            ):
                a.plans += 1
    for row in facts.benefits:
        if row.project not in project_lenses:
            continue
        public = project_public[row.project] and not row.draft
        for a in acc.targets(project_lenses[row.project], public, project_owner_lenses[row.project]):
            a.planned_year[row.year] += row.planned
            a.realised_year[row.year] += row.realised
            a.planned_bearer[row.bearer] += row.planned
            a.realised_bearer[row.bearer] += row.realised

    participation = _participation(facts, directory, project_lenses, project_public)

    out: dict[tuple[str, str, str], dict[str, Any]] = {}
    for lens, a in acc.public.items():
        out[(lens[0], lens[1], PUBLIC)] = _figures(a, facts, lens, participation.get(lens, {}))
    for lens, a in acc.internal.items():
        figures = _figures(a, facts, lens, participation.get(lens, {}))
        if figures != out.get((lens[0], lens[1], PUBLIC)):
            out[(lens[0], lens[1], INTERNAL)] = figures
    return out


def blank(facts: Facts, lens: Lens) -> dict[str, Any]:
    """The figures of a lens nothing falls in yet (an organisation registered since the last refresh)."""
    participation = _participation(facts, facts.directory, {}, {})
    return _figures(_Acc(), facts, lens, participation.get(lens, {}))


TOP_INSTRUMENTS = 10


def _names(facts: Facts, instrument: int) -> dict[str, str]:
    meta = facts.instruments.get(instrument)
    return dict(meta.names) if meta is not None else {}


def _counts(counter: Counter[Any]) -> dict[str, int]:
    return {str(key): value for key, value in sorted(counter.items(), key=lambda kv: str(kv[0]))}


def _figures(a: _Acc, facts: Facts, lens: Lens, participation: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    ended = sum(a.by_phase[p] for p in ENDED_PHASES)
    years = sorted(set(a.started) | set(a.finished))
    benefit_years = sorted(set(a.planned_year) | set(a.realised_year))
    bearers = sorted(set(a.planned_bearer) | set(a.realised_bearer))
    planned = sum(a.planned_year.values(), Decimal(0))
    outside = planned - a.planned_bearer.get(facts.own_bearer, Decimal(0))
    waits = sorted(a.waits)
    return {
        "projects": {
            "total": a.projects,
            "by_phase": _counts(a.by_phase),
            "by_type": _counts(a.by_type),
            "by_degree": _counts(a.by_degree),
            "by_novelty": _counts(a.by_novelty),
            "by_year": {str(y): [a.started.get(y, 0), a.finished.get(y, 0)] for y in years},
            "ended": ended,
            "stopped": a.by_phase.get(STOPPED, 0),
            "stopped_share": _share(a.by_phase.get(STOPPED, 0), ended),
        },
        "spread": {
            "adoptions_of": a.adoptions_of,
            "adoptions_by": a.adoptions_by,
            "reused": len(a.reused),
            "reused_share": _share(len(a.reused), a.projects),
            "families": {name: a.families.get(name, 0) for name, _l, _h in FAMILY_BUCKETS},
            "waits": {name: sum(1 for w in waits if _bucket(w, WAIT_BUCKETS) == name) for name, _l, _h in WAIT_BUCKETS},
            "median_wait_days": int(statistics.median(waits)) if waits else None,
        },
        "instruments": {
            "uses": a.uses,
            "matrix": _counts(a.matrix),
            "top": [
                {"id": instrument, "uses": n, "names": _names(facts, instrument)}
                for instrument, n in sorted(a.instrument_uses.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_INSTRUMENTS]
            ],
            "by_band": _counts(a.uses_by_band),
        },
        "trials": {
            "total": a.trials,
            "by_kind": _counts(a.trials_by_kind),
            "by_status": _counts(a.trials_by_status),
            "preregistered": a.preregistered,
            "preregistered_share": _share(a.preregistered, a.trials),
            "ended": a.trials_ended,
            "decided": a.decided,
            "decided_share": _share(a.decided, a.trials_ended),
            "overdue": a.overdue,
            "sandbox_applications": a.sandbox_applications,
            "sandbox_admitted": a.sandbox_admitted,
        },
        "challenges": {
            "total": a.challenges,
            "by_procedure": _counts(a.by_procedure),
            "by_status": _counts(a.by_status),
            "joint": a.joint,
        },
        # Notices carry no sector: the procurement figures are not given for a sector lens.
        "procurement": None
        if lens[0] == SECTOR
        else {
            "notices": a.notices,
            "innovation": a.innovation,
            "friendly": a.friendly,
            "innovation_share": _share(a.innovation, a.notices),
            "friendly_share": _share(a.friendly, a.notices),
        },
        "benefits": {
            "plans": a.plans,
            "by_year": {
                str(y): [_kroner(a.planned_year.get(y, Decimal(0))), _kroner(a.realised_year.get(y, Decimal(0)))]
                for y in benefit_years
            },
            "by_bearer": {
                b: [_kroner(a.planned_bearer.get(b, Decimal(0))), _kroner(a.realised_bearer.get(b, Decimal(0)))]
                for b in bearers
            },
            "planned": _kroner(planned),
            "realised": _kroner(sum(a.realised_year.values(), Decimal(0))),
            "outside": _kroner(outside),
            "outside_share": _share(_kroner(outside), _kroner(planned)) if planned > 0 else None,
        },
        "culture": _culture(facts, lens),
        "barometer": _barometer(facts, lens),
        "participation": participation.get("size_band", []),
        "participation_centrality": participation.get("centrality", []),
    }


# Survey figures: the published group matching the lens, or nothing.
CULTURE_SCOPE = {
    COUNTRY: ("national", lambda key: ""),
    COUNTY: ("county", lambda key: key),
    SIZE_BAND: ("kind_size", lambda key: f"municipality:{key}"),
}
BAROMETER_VARIABLE = {COUNTY: "county", SIZE_BAND: "size_band", CENTRALITY: "centrality", SECTOR: "sector"}


def _culture(facts: Facts, lens: Lens) -> list[dict[str, Any]] | None:
    if lens[0] not in CULTURE_SCOPE:
        return None
    scope, key_of = CULTURE_SCOPE[lens[0]]
    key = key_of(lens[1])
    return [
        {k: figure[k] for k in ("dimension", "organisations", "respondents", "mean", "low", "high", "level")}
        for figure in facts.culture
        if figure["scope"] == scope and figure["key"] == key
    ]


def _barometer(facts: Facts, lens: Lens) -> list[dict[str, Any]] | None:
    if lens[0] != COUNTRY and lens[0] not in BAROMETER_VARIABLE:
        return None
    out = []
    for published in facts.barometer:
        indicators = []
        for indicator in published["indicators"]:
            if lens[0] == COUNTRY:
                figure = indicator["overall"]
            else:
                figure = indicator["breakdowns"].get(BAROMETER_VARIABLE[lens[0]], {}).get(lens[1])
            if figure is not None:
                indicators.append({"key": indicator["key"], **figure})
        out.append({k: published[k] for k in ("round", "kind", "title", "period_end")} | {"indicators": indicators})
    return out


def _participation(
    facts: Facts, directory: Directory, project_lenses: dict[int, set[Lens]], project_public: dict[int, bool]
) -> dict[Lens, dict[str, list[dict[str, Any]]]]:
    """Per lens, for each size band and each centrality class: the municipalities the lens holds, how many of them
    took part (own a public project, trial or challenge, made a public adoption, or have a culture round in the
    published figures; in a sector lens only the sector's items count), the share that took part, and the group's
    share of the lens's municipalities beside its share of those that took part."""
    municipalities = directory.municipalities()
    ids = {p.id for p in municipalities}
    active: dict[str, set[int]] = defaultdict(set)  # sector ("" = any) → municipalities that took part

    def mark(owners: Iterable[int], sector: str) -> None:
        for owner in owners:
            if owner in ids:
                active[""].add(owner)
                if sector:
                    active[sector].add(owner)

    for project in facts.projects:
        if project.public:
            mark(project.owners, project.sector)
    sectors = {p.id: p.sector for p in facts.projects}
    for adoption in facts.adoptions:
        if adoption.public:
            mark([adoption.adopting_organisation], sectors.get(adoption.source_project, ""))
    for trial in facts.trials:
        if trial.public:
            mark(trial.owners, trial.sector)
    for challenge in facts.challenges:
        if challenge.public:
            mark(challenge.owners, challenge.sector)
    mark(facts.culture_organisations & ids, "")

    lenses: set[Lens] = {NATIONAL}
    for profile in municipalities:
        lenses.update(directory.lenses_of(profile.id))
    lenses.update(lens for lenses_ in project_lenses.values() for lens in lenses_ if lens[0] == SECTOR)
    band_order = [code for code, _label in _band_codes()]
    out = {}
    for lens in lenses:
        held = directory.municipalities_in(lens)
        took_part = active[lens[1] if lens[0] == SECTOR else ""]
        out[lens] = {
            "size_band": _participation_rows(held, took_part, "size_band", band_order),
            "centrality": _participation_rows(held, took_part, "centrality", list(range(1, 7))),
        }
    return out


def _participation_rows(held: list[Any], took_part: set[int], attribute: str, order: list[Any]) -> list[dict[str, Any]]:
    all_active = sum(1 for p in held if p.id in took_part)
    rows = []
    for group in order:
        in_group = [p for p in held if getattr(p, attribute) == group]
        if not in_group:
            continue
        part = sum(1 for p in in_group if p.id in took_part)
        rows.append(
            {
                attribute: group,
                "municipalities": len(in_group),
                "active": part,
                "share": round(part / len(in_group), 4),
                "share_of_all": round(len(in_group) / len(held), 4),
                "share_of_active": _share(part, all_active),
            }
        )
    return rows


def _band_codes() -> list[tuple[str, str]]:
    from nyskap.organisations.selectors import size_bands

    return size_bands()
