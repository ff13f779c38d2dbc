"""``generate_synthetic_projects`` bulk-creates demonstration projects (``is_synthetic=True``, labelled
"syntetisk eksempel" in the title and description) for development and benchmarks. It refuses to run unless
``settings.DEBUG`` is on; tests and benchmarks pass ``allow_without_debug=True``.

The words they are written from are data, in ``data/synthetic_vocabulary.json``.
"""

from __future__ import annotations

import datetime
import json
import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from nyskap.core.visibility import Visibility
from nyskap.organisations.models import Organisation, OrganisationKind

from ..models import (
    Adoption,
    AdoptionHow,
    Degree,
    EffectsMeasurement,
    Novelty,
    Partner,
    PartnerRole,
    Phase,
    PhaseChange,
    Project,
    Sector,
)
from .cases import PHASE_ORDER, ContentError, _at

# Synthetic projects

SYNTHETIC_LABEL = "Syntetisk eksempel"
# Fixed reference date for the synthetic timelines, so the same seed gives the same rows on any day.
SYNTHETIC_AS_OF = datetime.date(2025, 12, 31)
# DOMAIN.md §1.4: Norway's latest innovations were 49 % inspired and adapted, 32 % copied, so ≈ 19 % first.
NOVELTY_WEIGHTS = {Novelty.FIRST_OF_ITS_KIND: 19, Novelty.INSPIRED_ADAPTED: 49, Novelty.COPIED: 32}
PHASE_WEIGHTS = {
    Phase.NEED: 7, Phase.IDEAS: 9, Phase.DEVELOP_TEST: 26, Phase.IMPLEMENTED: 36, Phase.SPREAD: 12, Phase.STOPPED: 10,
}  # fmt: skip
DEGREE_WEIGHTS = {Degree.INCREMENTAL: 62, Degree.RADICAL: 30, Degree.TRANSFORMATIVE: 8}


VOCABULARY_FILE = Path(__file__).resolve().parent.parent / "data" / "synthetic_vocabulary.json"


@dataclass(frozen=True)
class _Vocabulary:
    who: tuple[str, ...]
    problem: tuple[str, ...]
    today: tuple[str, ...]
    effect: tuple[str, ...]
    solution: tuple[str, ...]
    areas: tuple[str, ...]
    types: tuple[str, ...]
    sdgs: tuple[int, ...]


def _read_vocabulary(
    path: Path = VOCABULARY_FILE,
) -> tuple[dict[Sector, _Vocabulary], tuple[tuple[str, str], ...], tuple[tuple[str, PartnerRole], ...]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    vocabulary = {
        Sector(sector): _Vocabulary(**{name: tuple(values) for name, values in words.items()})
        for sector, words in data["sectors"].items()
    }
    stopped = tuple((reason, lessons) for reason, lessons in data["stopped_reasons"])
    partners = tuple((name, PartnerRole(role)) for name, role in data["partners"])
    return vocabulary, stopped, partners


VOCABULARY, STOPPED_REASONS, PARTNERS = _read_vocabulary()


@dataclass
class _Draft:
    project: Project
    owner_id: int
    types: list[str]
    sdgs: list[int]
    timeline: list[tuple[str, datetime.date]]
    partners: list[tuple[str, str]]


def _weighted(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _draft(rng: random.Random, owner: Organisation, slug: str) -> _Draft:
    sector = rng.choice(list(VOCABULARY))
    vocab = VOCABULARY[sector]
    who = rng.choice(vocab.who)
    solution = rng.choice(vocab.solution)
    phase = _weighted(rng, PHASE_WEIGHTS)
    stop_index = rng.randint(1, 3) if phase == Phase.STOPPED else PHASE_ORDER.index(phase)
    steps = [rng.randint(45, 400) for _ in range(stop_index + (phase == Phase.STOPPED))]
    start = SYNTHETIC_AS_OF - datetime.timedelta(days=sum(steps) + rng.randint(0, 2500))
    timeline, day = [(str(Phase.NEED), start)], start
    for step, next_phase in zip(steps, [*PHASE_ORDER[1 : stop_index + 1], Phase.STOPPED], strict=False):
        day += datetime.timedelta(days=step)
        timeline.append((str(next_phase), day))
    reason, lessons = rng.choice(STOPPED_REASONS) if phase == Phase.STOPPED else ("", "")
    implemented = phase in (Phase.IMPLEMENTED, Phase.SPREAD)
    project = Project(
        title=f"{solution[0].upper()}{solution[1:]} i {owner.name} ({SYNTHETIC_LABEL.lower()})"[:200],
        slug=slug,
        need_problem=rng.choice(vocab.problem).format(who=who).capitalize() + ".",
        need_who=who.capitalize() + ".",
        need_today=rng.choice(vocab.today),
        need_effect=rng.choice(vocab.effect),
        description=f"**{SYNTHETIC_LABEL}** – oppdiktet demonstrasjonsprosjekt, ikke et reelt prosjekt. "
        f"{owner.name} prøver {solution} for {who}.",
        phase=phase,
        degree=_weighted(rng, DEGREE_WEIGHTS),
        novelty=_weighted(rng, NOVELTY_WEIGHTS),
        sector=sector,
        service_area=rng.choice(vocab.areas),
        start_date=start,
        effects_achieved=rng.choice(vocab.effect) if implemented and rng.random() < 0.6 else "",
        effects_measurement=(
            rng.choice([EffectsMeasurement.INTERNAL, EffectsMeasurement.EXTERNAL])
            if implemented and rng.random() < 0.5
            else EffectsMeasurement.NONE
        ),
        lessons_learned=lessons,
        stopped_reason=reason,
        visibility=Visibility.PUBLIC if rng.random() < 0.85 else Visibility.ORGANISATION,
        is_synthetic=True,
    )
    types = sorted(set(rng.sample(vocab.types, k=rng.randint(1, min(2, len(vocab.types))))))
    sdgs = [rng.choice(vocab.sdgs)] if rng.random() < 0.5 else []
    partners = [rng.choice(PARTNERS) for _ in range(rng.choice([0, 0, 1, 1, 2]))]
    return _Draft(project, owner.pk, types, sdgs, timeline, list(dict.fromkeys(partners)))


def _chunks(items: list[Any], size: int = 900) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def generate_synthetic_projects(count: int, *, seed: int = 1, allow_without_debug: bool = False) -> list[Project]:
    """Bulk-create ``count`` synthetic projects (deterministic for a given ``seed`` and reference data). Owners are
    municipalities weighted by population (about 80 %) and state agencies and county municipalities (about 20 %);
    novelty follows the barometer's 19/49/32 shares; about one in three copied or adapted projects records an
    adoption of an earlier implemented synthetic project in the same sector."""
    if not (settings.DEBUG or allow_without_debug):
        raise ContentError(["Synthetic projects are only generated when DEBUG is on (never in production)."])
    if count < 1:
        raise ContentError(["Give a positive number of projects."])
    municipalities = list(
        Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, population__gt=0).order_by(
            "reference_key", "pk"
        )
    )
    others = list(
        Organisation.objects.filter(
            kind__in=[OrganisationKind.STATE_AGENCY, OrganisationKind.COUNTY_MUNICIPALITY], ended_on__isnull=True
        ).order_by("reference_key", "pk")
    )
    if not municipalities:
        raise ContentError(["No municipalities: run `manage.py load_reference_data` first."])
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    prefix = f"syntetisk-s{seed}-"
    offset = Project.objects.filter(slug__startswith=prefix).count()
    populations = [m.population or 0 for m in municipalities]
    drafts: list[_Draft] = []
    for i in range(count):
        if others and rng.random() < 0.2:
            owner = rng.choice(others)
        else:
            owner = rng.choices(municipalities, weights=populations)[0]
        drafts.append(_draft(rng, owner, f"{prefix}{offset + i + 1}"))

    with transaction.atomic():
        created = Project.objects.bulk_create([d.project for d in drafts], batch_size=500)
        if any(p.pk is None for p in created):  # databases that do not return ids from a bulk insert
            ids: dict[str, int] = {}
            for chunk in _chunks([p.slug for p in created]):
                ids.update(Project.objects.filter(slug__in=chunk).values_list("slug", "pk"))
            for p in created:
                p.pk = ids[p.slug]
        through = Project.owners.through
        through.objects.bulk_create(
            [through(project_id=d.project.pk, organisation_id=d.owner_id) for d in drafts], batch_size=2000
        )
        types_through = Project.innovation_types.through
        types_through.objects.bulk_create(
            [types_through(project_id=d.project.pk, innovationtype_id=code) for d in drafts for code in d.types],
            batch_size=2000,
        )
        sdg_through = Project.sdgs.through
        sdg_through.objects.bulk_create(
            [sdg_through(project_id=d.project.pk, sustainabledevelopmentgoal_id=n) for d in drafts for n in d.sdgs],
            batch_size=2000,
        )
        changes = []
        for d in drafts:
            previous = ""
            for phase, day in d.timeline:
                note = d.project.stopped_reason if phase == Phase.STOPPED else ""
                changes.append(
                    PhaseChange(project=d.project, from_phase=previous, to_phase=phase, at=_at(day), note=note)
                )
                previous = phase
        PhaseChange.objects.bulk_create(changes, batch_size=2000)
        Partner.objects.bulk_create(
            [Partner(project=d.project, name=name, role=role) for d in drafts for name, role in d.partners],
            batch_size=2000,
        )
        Adoption.objects.bulk_create(_synthetic_adoptions(rng, drafts), batch_size=2000)
    return [d.project for d in drafts]


def _synthetic_adoptions(rng: random.Random, drafts: list[_Draft]) -> list[Adoption]:
    """Earlier implemented projects are adopted by later copied/adapted ones in the same sector; always backwards in
    the generated order, so no cycles."""
    implemented_by_sector: dict[str, list[tuple[Project, datetime.date]]] = {}
    adoptions: list[Adoption] = []
    for d in drafts:
        p = d.project
        candidates = [
            (source, day)
            for source, day in implemented_by_sector.get(p.sector, [])[-50:]
            if day <= p.start_date  # type: ignore[operator]
        ]
        if p.novelty != Novelty.FIRST_OF_ITS_KIND and candidates and rng.random() < 0.35:
            source, _day = rng.choice(candidates)
            adoptions.append(
                Adoption(
                    source_project=source,
                    adopting_project=p,
                    how=AdoptionHow.COPIED if p.novelty == Novelty.COPIED else AdoptionHow.ADAPTED,
                    adopted_on=p.start_date,  # type: ignore[misc]  # always set on synthetic drafts
                    source_phase=source.phase,
                    note=SYNTHETIC_LABEL,
                )
            )
        implemented_day = next((day for phase, day in d.timeline if phase == Phase.IMPLEMENTED), None)
        if implemented_day is not None and p.phase in (Phase.IMPLEMENTED, Phase.SPREAD):
            implemented_by_sector.setdefault(p.sector, []).append((p, implemented_day))
    return adoptions
