"""Content for the project library on the first run: the real cases of the white paper, and synthetic examples.

``load_white_paper_cases`` reads ``data/white_paper_cases.json`` (facts from Meld. St. 30 (2019–2020), written in
our own words), checks every case before anything is written, and then creates each case through the project
services in one transaction: all or nothing. A case is keyed by its ``case_key``, stored as the project's slug;
a case whose project already exists is left exactly as it is (edits made on the platform win), so re-running
creates nothing and reports the cases as unchanged.

The services check permissions, so the rows are written by a dedicated content actor, ``innhold@nyskap.invalid``:
an *active* operator (``has_perm`` is false for inactive users, so it cannot be inactive) with an unusable
password, so nobody can sign in as it with a password; the ``.invalid`` domain (RFC 2606) can never receive
e-mail, so no password reset or e-mail based login can reach it. It appears as the author of the cases and in
their timelines, which says honestly where they came from.

The services stamp the timeline with the current time. The white paper gives years (sometimes a month or a day),
so after each phase change the entry's ``at`` is set to the date the text gives — 1 January when only a year is
known, and the entry's note says so. A phase the project passed through without a known date gets the date of
the next dated phase, and its note says that too.

``generate_synthetic_projects`` bulk-creates demonstration projects (``is_synthetic=True``, labelled
"syntetisk eksempel" in the title and description) for development and benchmarks. It refuses to run unless
``settings.DEBUG`` is on; tests and benchmarks pass ``allow_without_debug=True``.
"""

from __future__ import annotations

import datetime
import json
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from nyskap.accounts.models import User
from nyskap.core.visibility import Visibility
from nyskap.organisations.models import Organisation, OrganisationKind
from nyskap.organisations.reference_data import slug_base
from nyskap.organisations.services import unique_slug

from .models import (
    Adoption,
    AdoptionHow,
    Degree,
    EffectsMeasurement,
    InnovationTypeCode,
    LifeEventCode,
    Novelty,
    Partner,
    PartnerRole,
    Phase,
    PhaseChange,
    Project,
    Sector,
    SustainableDevelopmentGoalNumber,
)
from .services import (
    ProjectError,
    project_add_funding,
    project_add_partner,
    project_adopt,
    project_change_phase,
    project_create,
)

DEFAULT_CASES_FILE = Path(__file__).resolve().parent / "data" / "white_paper_cases.json"
SOURCE_PREFIX = "Meld. St. 30 (2019–2020)"
CONTENT_ACTOR_EMAIL = "innhold@nyskap.invalid"

PHASE_ORDER = [Phase.NEED, Phase.IDEAS, Phase.DEVELOP_TEST, Phase.IMPLEMENTED, Phase.SPREAD]
_CASE_FIELDS = {
    "case_key", "title", "source", "owners", "partners", "sector", "service_area", "innovation_types", "degree",
    "novelty", "sdgs", "life_events", "need_problem", "need_who", "need_today", "need_effect", "description",
    "effects_achieved", "effects_measurement", "lessons_learned", "stopped_reason", "start_year", "timeline",
    "funding", "budget",
}  # fmt: skip
_REQUIRED_TEXT = ("case_key", "title", "source", "need_problem", "need_who", "need_today", "need_effect")
_CREATE_TEXT = ("description", "service_area", "effects_achieved", "lessons_learned", "source")


class ContentError(Exception):
    """The content file has problems; ``problems`` lists every one (case and field named). Nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class LoadReport:
    created: int = 0
    unchanged: int = 0
    adoptions_created: int = 0
    adoptions_unchanged: int = 0
    organisations_created: int = 0
    created_keys: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"Projects: created {self.created}, unchanged {self.unchanged}. "
            f"Adoptions: created {self.adoptions_created}, unchanged {self.adoptions_unchanged}. "
            f"Organisations outside the reference data: created {self.organisations_created}."
        )


# Reading and checking


def _parse_date(value: Any) -> tuple[datetime.date, str] | None:
    """``"2020"`` → 1 January 2020, ``"2018-11"`` → 1 November 2018, ``"2020-03-12"``; with the precision."""
    if not isinstance(value, str):
        return None
    parts = value.split("-")
    try:
        if len(parts) == 1 and len(parts[0]) == 4:
            return datetime.date(int(parts[0]), 1, 1), "year"
        if len(parts) == 2:
            return datetime.date(int(parts[0]), int(parts[1]), 1), "month"
        if len(parts) == 3:
            return datetime.date.fromisoformat(value), "day"
    except ValueError:
        return None
    return None


class _Checker:
    def __init__(self, data: Any, known_keys: set[str]) -> None:
        self.data = data
        self.known_keys = known_keys
        self.problems: list[str] = []

    def problem(self, case: str, name: str, message: str) -> None:
        self.problems.append(f"case «{case}», field «{name}»: {message}")

    def check(self) -> None:
        data = self.data
        if not isinstance(data, dict) or not isinstance(data.get("cases"), list) or not data["cases"]:
            self.problems.append("the file must be a JSON object with a non-empty list «cases»")
            return
        for i, org in enumerate(data.get("organisations", [])):
            key = org.get("key", "")
            if not key.startswith("annen:") or len(key) > 40:
                self.problem(f"organisations[{i}]", "key", f"«{key}» must start with «annen:», at most 40 characters")
            if org.get("kind") not in OrganisationKind.values:
                self.problem(f"organisations[{i}]", "kind", f"unknown kind «{org.get('kind')}»")
            if not org.get("name"):
                self.problem(f"organisations[{i}]", "name", "missing")
            self.known_keys.add(key)
        seen: set[str] = set()
        for i, case in enumerate(data["cases"]):
            name = str(case.get("case_key") or f"cases[{i}]")
            if name in seen:
                self.problem(name, "case_key", "used by more than one case")
            seen.add(name)
            self.check_case(name, case)
        for i, adoption in enumerate(data.get("adoptions", [])):
            label = f"adoptions[{i}]"
            for end in ("source", "adopter"):
                if adoption.get(end) not in seen:
                    self.problem(label, end, f"unknown case «{adoption.get(end)}»")
            if adoption.get("how") not in AdoptionHow.values:
                self.problem(label, "how", f"unknown value «{adoption.get('how')}»")
            parsed = _parse_date(adoption.get("date"))
            if parsed is None or parsed[0] > timezone.localdate():
                self.problem(
                    label, "date", f"«{adoption.get('date')}» is not a date (YYYY, YYYY-MM, YYYY-MM-DD) in the past"
                )

    def check_case(self, name: str, case: dict[str, Any]) -> None:
        for unknown in sorted(set(case) - _CASE_FIELDS):
            self.problem(name, unknown, "unknown field")
        for text in _REQUIRED_TEXT:
            if not isinstance(case.get(text), str) or not case[text].strip():
                self.problem(name, text, "missing")
        if len(case.get("title", "")) > 200:
            self.problem(name, "title", "longer than 200 characters")
        if not str(case.get("source", "")).startswith(SOURCE_PREFIX):
            self.problem(name, "source", f"must start with «{SOURCE_PREFIX}»")
        if slug_base(name) != name:
            self.problem(name, "case_key", "must be a slug (a-z, 0-9, hyphens)")
        owners = case.get("owners")
        if not isinstance(owners, list) or not owners:
            self.problem(name, "owners", "at least one organisation key is needed")
        for key in owners or []:
            if key not in self.known_keys:
                self.problem(name, "owners", f"unknown organisation key «{key}»")
        for partner in case.get("partners", []):
            if partner.get("role") not in PartnerRole.values:
                self.problem(name, "partners", f"unknown role «{partner.get('role')}»")
            if "org" in partner and partner["org"] not in self.known_keys:
                self.problem(name, "partners", f"unknown organisation key «{partner['org']}»")
            if "org" not in partner and not partner.get("name"):
                self.problem(name, "partners", "a partner needs «org» or «name»")
        for choice, choices in (
            ("sector", Sector), ("degree", Degree), ("novelty", Novelty), ("effects_measurement", EffectsMeasurement),
        ):  # fmt: skip
            if choice in case and case[choice] not in choices.values:
                self.problem(name, choice, f"unknown code «{case[choice]}»")
        for many, values in (
            ("innovation_types", InnovationTypeCode.values),
            ("sdgs", SustainableDevelopmentGoalNumber.values),
            ("life_events", LifeEventCode.values),
        ):
            for code in case.get(many, []):
                if code not in values:
                    self.problem(name, many, f"unknown code «{code}»")
        for funding in case.get("funding", []):
            try:
                if Decimal(str(funding.get("amount"))) < 0 or not funding.get("source_name"):
                    raise InvalidOperation
            except InvalidOperation:
                self.problem(name, "funding", "needs «source_name» and a non-negative «amount»")
        start_year = case.get("start_year")
        if start_year is not None and not (isinstance(start_year, int) and 1900 <= start_year <= 2100):
            self.problem(name, "start_year", f"«{start_year}» is not a year")
        self.check_timeline(name, case)

    def check_timeline(self, name: str, case: dict[str, Any]) -> None:
        timeline = case.get("timeline")
        if not isinstance(timeline, list) or not timeline:
            self.problem(name, "timeline", "at least one dated phase is needed")
            return
        previous_index, previous_date = -1, datetime.date.min
        for n, entry in enumerate(timeline):
            phase = entry.get("phase")
            parsed = _parse_date(entry.get("date"))
            if parsed is None or parsed[0] > timezone.localdate():
                self.problem(
                    name, "timeline", f"«{entry.get('date')}» is not a date in the past (YYYY, YYYY-MM or YYYY-MM-DD)"
                )
                continue
            if parsed[0] < previous_date:
                self.problem(name, "timeline", f"{phase} on {entry['date']} is before the phase before it")
            previous_date = parsed[0]
            if phase == Phase.STOPPED:
                if n != len(timeline) - 1 or n == 0:
                    self.problem(
                        name, "timeline", "«stopped» must be the last entry and follow the phase it stopped in"
                    )
                if not case.get("stopped_reason") or not case.get("lessons_learned"):
                    self.problem(name, "stopped_reason", "a stopped case needs «stopped_reason» and «lessons_learned»")
                continue
            if phase not in PHASE_ORDER:
                self.problem(name, "timeline", f"unknown phase «{phase}»")
                continue
            index = PHASE_ORDER.index(Phase(phase))
            if index <= previous_index:
                self.problem(name, "timeline", f"phase «{phase}» does not come after the phase before it")
            previous_index = index


def read_cases(path: Path = DEFAULT_CASES_FILE) -> dict[str, Any]:
    """The content file, checked against the codes and the organisations in the database. Raises `ContentError`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ContentError([f"{path}: cannot read the file ({exc})"]) from exc
    known = {key for key in Organisation.objects.values_list("reference_key", flat=True) if key}
    checker = _Checker(data, known)
    checker.check()
    if checker.problems:
        raise ContentError(checker.problems)
    return data


# Writing


def content_actor() -> User:
    """The operator account that writes the shipped content (see the module docstring for why it looks like this)."""
    user = User.objects.filter(email=CONTENT_ACTOR_EMAIL).first()
    if user is None:
        user = User.objects.create_user(email=CONTENT_ACTOR_EMAIL, password=None, name="Nyskap innhold")
    if not (user.is_active and user.is_staff and user.is_superuser) or user.has_usable_password():
        user.is_active = user.is_staff = user.is_superuser = True
        user.set_unusable_password()
        user.save()
    return user


def _organisations(data: dict[str, Any], report: LoadReport) -> dict[str, Organisation]:
    by_key = {o.reference_key: o for o in Organisation.objects.exclude(reference_key=None) if o.reference_key}
    taken: set[str] = set()
    for spec in data.get("organisations", []):
        if spec["key"] in by_key:
            continue
        if not taken:
            taken = set(Organisation.objects.values_list("slug", flat=True))
        organisation = Organisation(
            kind=spec["kind"],
            name=spec["name"],
            slug=unique_slug(slug_base(spec["name"]), taken),
            reference_key=spec["key"],
            note=spec.get("note", ""),
        )
        organisation.full_clean()
        organisation.save()
        by_key[spec["key"]] = organisation
        report.organisations_created += 1
    return by_key


def _at(day: datetime.date) -> datetime.datetime:
    # Noon local time, so the date reads the same in every time zone the platform shows.
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


def _dated_path(case: dict[str, Any]) -> list[tuple[str, datetime.date, str]]:
    """Every phase from *need* to the case's phase, each with its date and timeline note."""
    given: dict[str, tuple[datetime.date, str]] = {}
    for entry in case["timeline"]:
        day, precision = _parse_date(entry["date"])  # type: ignore[misc]  # checked by _Checker
        note = entry.get("note", "")
        if precision == "year":
            note = f"{note} Bare året er kjent; datoen er satt til 1. januar.".strip()
        elif precision == "month":
            note = f"{note} Bare måneden er kjent; datoen er satt til den 1.".strip()
        given[entry["phase"]] = (day, note)
    last = case["timeline"][-1]["phase"]
    stop_from = case["timeline"][-2]["phase"] if last == Phase.STOPPED else last
    path = [str(p) for p in PHASE_ORDER[: PHASE_ORDER.index(Phase(stop_from)) + 1]]
    if last == Phase.STOPPED:
        path.append(Phase.STOPPED)
    dated: list[tuple[str, datetime.date, str]] = []
    for i, phase in enumerate(path):
        if phase in given:
            dated.append((phase, *given[phase]))
        else:
            next_day = next(given[p][0] for p in path[i + 1 :] if p in given)
            dated.append((phase, next_day, "Datoen er ukjent; satt lik datoen for neste kjente fase."))
    return dated


def _create_case(case: dict[str, Any], actor: User, organisations: dict[str, Organisation]) -> Project:
    owners = [organisations[key] for key in case["owners"]]
    fields: dict[str, Any] = {name: case[name] for name in _CREATE_TEXT if name in case}
    fields.update({name: case[name] for name in ("innovation_types", "sdgs", "life_events") if name in case})
    for name in ("sector", "degree", "novelty", "effects_measurement"):
        if name in case:
            fields[name] = case[name]
    if case.get("start_year"):
        fields["start_date"] = datetime.date(case["start_year"], 1, 1)
    if case.get("budget") is not None:
        fields["budget"] = Decimal(str(case["budget"]))
    project = project_create(
        actor=actor,
        owner=owners[0],
        title=case["title"],
        need_problem=case["need_problem"],
        need_who=case["need_who"],
        need_today=case["need_today"],
        need_effect=case["need_effect"],
        visibility=Visibility.PUBLIC,
        **fields,
    )
    # The slug is the stable case key; there is no service for more owners, so they are added here.
    Project.objects.filter(pk=project.pk).update(slug=case["case_key"])
    project.slug = case["case_key"]
    project.owners.add(*owners[1:])
    for partner in case.get("partners", []):
        project_add_partner(
            project=project,
            actor=actor,
            role=partner["role"],
            organisation=organisations[partner["org"]] if "org" in partner else None,
            name="" if "org" in partner else partner["name"],
            contribution=partner.get("contribution", ""),
        )
    for funding in case.get("funding", []):
        project_add_funding(
            project=project,
            actor=actor,
            source_name=funding["source_name"],
            amount=Decimal(str(funding["amount"])),
            year=funding.get("year"),
        )
    path = _dated_path(case)
    first = project.phase_changes.get()
    PhaseChange.objects.filter(pk=first.pk).update(at=_at(path[0][1]), note=path[0][2])
    for phase, day, note in path[1:]:
        change = project_change_phase(
            project=project,
            to_phase=phase,
            actor=actor,
            note=note,
            stopped_reason=case.get("stopped_reason", "") if phase == Phase.STOPPED else "",
        )
        PhaseChange.objects.filter(pk=change.pk).update(at=_at(day))
    return project


def load_white_paper_cases(*, path: Path = DEFAULT_CASES_FILE) -> LoadReport:
    """Create the white paper's cases that are not in the database yet. Every case is checked first; any problem
    raises `ContentError` and nothing is written. A service refusal is re-raised as `ContentError` naming the case,
    and the whole load is rolled back."""
    data = read_cases(path)
    report = LoadReport()
    with transaction.atomic():
        actor = content_actor()
        organisations = _organisations(data, report)
        existing = {p.slug: p for p in Project.objects.filter(slug__in=[c["case_key"] for c in data["cases"]])}
        problems = [
            f"case «{slug}», field «case_key»: a project with this slug exists and was not loaded from {SOURCE_PREFIX}"
            for slug, project in existing.items()
            if not project.source.startswith(SOURCE_PREFIX)
        ]
        if problems:
            raise ContentError(problems)
        projects = dict(existing)
        for case in data["cases"]:
            key = case["case_key"]
            if key in existing:
                report.unchanged += 1
                continue
            try:
                projects[key] = _create_case(case, actor, organisations)
            except ProjectError as exc:
                raise ContentError([f"case «{key}», field «{exc.field or '–'}»: {exc.message}"]) from exc
            report.created += 1
            report.created_keys.append(key)
        for adoption in data.get("adoptions", []):
            source, adopter = projects[adoption["source"]], projects[adoption["adopter"]]
            if Adoption.objects.filter(source_project=source, adopting_project=adopter).exists():
                report.adoptions_unchanged += 1
                continue
            try:
                project_adopt(
                    source=source,
                    actor=actor,
                    how=adoption["how"],
                    adopted_on=_parse_date(adoption["date"])[0],  # type: ignore[index]
                    adopter_project=adopter,
                    note=adoption.get("note", ""),
                )
            except ProjectError as exc:
                raise ContentError([f"adoption {source.slug} → {adopter.slug}: {exc.message}"]) from exc
            report.adoptions_created += 1
    return report


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


VOCABULARY: dict[str, _Vocabulary] = {
    Sector.HEALTH_CARE: _Vocabulary(
        who=(
            "hjemmeboende eldre med hjemmetjenester",
            "pasienter på korttidsopphold",
            "personer med demens og pårørende",
            "brukere med kroniske sykdommer",
        ),
        problem=(
            "{who} får for lite oppfølging mellom besøkene",
            "{who} møter mange ulike ansatte og må forklare seg på nytt",
            "{who} blir lagt inn på sykehus oftere enn nødvendig",
        ),
        today=(
            "Oppfølgingen skjer ved faste besøk uansett behov.",
            "Informasjonen ligger i flere systemer som ikke snakker sammen.",
            "Tjenesten bygger på papirlister og telefon.",
        ),
        effect=(
            "Færre akutte innleggelser og tryggere hverdag.",
            "Mer tid til omsorg og bedre kontinuitet.",
            "Brukerne kan bo hjemme lenger.",
        ),
        solution=(
            "digitalt nattilsyn",
            "tverrfaglige team etter tillitsmodellen",
            "medisindispensere med påminnelse",
            "medisinsk avstandsoppfølging",
            "hverdagsrehabilitering",
        ),
        areas=("Hjemmetjenester", "Sykehjem", "Helsestasjon", "Legevakt"),
        types=(InnovationTypeCode.SERVICE, InnovationTypeCode.PRODUCT, InnovationTypeCode.PROCESS),
        sdgs=(3,),
    ),
    Sector.EDUCATION: _Vocabulary(
        who=(
            "elever på ungdomstrinnet",
            "elever som står i fare for å falle fra",
            "lærere i grunnskolen",
            "minoritetsspråklige elever",
        ),
        problem=(
            "{who} får for lite tilpasset opplæring",
            "{who} mangler digital kompetanse",
            "{who} mister motivasjonen i overgangen til videregående",
        ),
        today=(
            "Undervisningen følger samme opplegg for alle.",
            "Oppfølgingen skjer først når fraværet er høyt.",
            "Lærerne deler lite erfaring på tvers av skoler.",
        ),
        effect=(
            "Lavere frafall og bedre læring.",
            "Alle elever lærer grunnleggende programmering.",
            "Tidligere innsats og bedre samarbeid med hjemmet.",
        ),
        solution=(
            "programmering i alle fag",
            "læringsvenner på tvers av trinn",
            "digital fraværsoppfølging",
            "utendørs livsmestringskurs",
        ),
        areas=("Grunnskole", "Voksenopplæring", "PP-tjeneste"),
        types=(InnovationTypeCode.SERVICE, InnovationTypeCode.PROCESS),
        sdgs=(4,),
    ),
    Sector.CHILDHOOD: _Vocabulary(
        who=("barn i barnehagealder", "utsatte barn og unge", "familier med lav inntekt", "barn med særskilte behov"),
        problem=(
            "{who} får hjelp for sent",
            "{who} møter tjenester som ikke henger sammen",
            "{who} deltar lite i fritidsaktiviteter",
        ),
        today=(
            "Barnevern, helsestasjon og skole arbeider hver for seg.",
            "Foreldre må søke om hver ordning for seg.",
            "Bekymringer meldes sent.",
        ),
        effect=(
            "Tidlig innsats og færre barnevernstiltak.",
            "Én dør inn for familien.",
            "Flere barn deltar i fritidsaktiviteter.",
        ),
        solution=("felles familieteam", "fritidskort for alle barn", "digital bekymringsmelding", "los for familier"),
        areas=("Barnehage", "Barnevern", "Familietjenester"),
        types=(InnovationTypeCode.SERVICE, InnovationTypeCode.ORGANISATION),
        sdgs=(1, 4, 10),
    ),
    Sector.WELFARE: _Vocabulary(
        who=("unge som står utenfor arbeid", "personer med sammensatte behov", "bostedsløse", "nyankomne flyktninger"),
        problem=(
            "{who} får hjelp fra mange etater som ikke samarbeider",
            "{who} blir gående lenge på stønad",
            "{who} finner ikke fram i tjenestene",
        ),
        today=(
            "Hver etat følger opp sin del av saken.",
            "Søknader sendes på papir og behandles manuelt.",
            "Oppfølgingen er kortsiktig.",
        ),
        effect=("Flere i arbeid eller utdanning.", "Stabil bolig og økonomi.", "Kortere saksbehandlingstid."),
        solution=(
            "investeringsteam etter velferdslab-modellen",
            "digital søknad om sosialhjelp",
            "jobbspesialister i NAV-kontoret",
            "bolig først",
        ),
        areas=("Sosialtjeneste", "Boligsosialt arbeid", "Introduksjonsprogram"),
        types=(InnovationTypeCode.SERVICE, InnovationTypeCode.ORGANISATION),
        sdgs=(1, 8, 10),
    ),
    Sector.INFRASTRUCTURE: _Vocabulary(
        who=("innbyggere tilknyttet kommunalt vann", "driftsoperatører i vann og avløp", "trafikanter"),
        problem=(
            "{who} rammes av lekkasjer og brudd i gammelt ledningsnett",
            "{who} får varsel om avvik for sent",
            "{who} opplever lange stengninger ved vedlikehold",
        ),
        today=(
            "Ledningsnettet fornyes etter alder, ikke tilstand.",
            "Avvik oppdages ved manuelle kontroller.",
            "Vedlikehold planlegges uten sanntidsdata.",
        ),
        effect=(
            "Færre lekkasjer og lavere kostnader.",
            "Raskere varsling og tryggere drikkevann.",
            "Kortere stengetid.",
        ),
        solution=(
            "sensorer i ledningsnettet",
            "tilstandsbasert fornyelse",
            "digital tvilling av vannforsyningen",
            "droneinspeksjon",
        ),
        areas=("Vann og avløp", "Vei", "Eiendom"),
        types=(InnovationTypeCode.PROCESS, InnovationTypeCode.PRODUCT),
        sdgs=(6, 9),
    ),
    Sector.ENVIRONMENT: _Vocabulary(
        who=("innbyggere og næringsliv", "kommunens byggeprosjekter", "husholdninger"),
        problem=(
            "{who} gir store klimautslipp",
            "{who} kaster mye som kunne vært brukt igjen",
            "{who} mangler oversikt over eget energibruk",
        ),
        today=("Anskaffelser stiller få krav til utslipp.", "Avfall sorteres lite.", "Energibruken måles ikke."),
        effect=("Lavere utslipp.", "Mer gjenbruk og mindre avfall.", "Lavere energibruk."),
        solution=(
            "utslippsfrie byggeplasser",
            "ombruksbutikk for byggematerialer",
            "klimabudsjett",
            "energistyring i kommunale bygg",
        ),
        areas=("Klima og miljø", "Avfall", "Energi"),
        types=(InnovationTypeCode.PROCESS, InnovationTypeCode.PRODUCT),
        sdgs=(7, 12, 13),
    ),
    Sector.PLANNING_BUILDING: _Vocabulary(
        who=("søkere av byggetillatelse", "barn og unge i nærmiljøet", "saksbehandlere i byggesak"),
        problem=(
            "{who} sender søknader med mangler og må vente",
            "{who} blir lite hørt i planleggingen",
            "{who} bruker mye tid på manuelle kontroller",
        ),
        today=(
            "Søknader kontrolleres manuelt.",
            "Medvirkning skjer i åpne møter få deltar på.",
            "Planer presenteres som tegninger og lange dokumenter.",
        ),
        effect=("Kortere saksbehandlingstid.", "Flere innspill fra barn og unge.", "Færre mangelbrev."),
        solution=(
            "digital byggesøknad med regelsjekk",
            "medvirkning i 3D-modell",
            "digital nabovarsling",
            "kartbasert medvirkning",
        ),
        areas=("Byggesak", "Arealplan", "Kart og oppmåling"),
        types=(InnovationTypeCode.SERVICE, InnovationTypeCode.COMMUNICATION),
        sdgs=(11,),
    ),
    Sector.TRANSPORT: _Vocabulary(
        who=("innbyggere i spredtbygde strøk", "skoleelever som reiser langt", "pendlere"),
        problem=(
            "{who} har dårlig kollektivtilbud",
            "{who} må bestille transport lang tid i forveien",
            "{who} reiser med fossile ferjer og båter",
        ),
        today=(
            "Rutene kjøres etter faste tider med få passasjerer.",
            "Bestilling skjer på telefon.",
            "Sambandene drives med diesel.",
        ),
        effect=("Bedre tilbud til lavere kostnad.", "Lavere utslipp.", "Enklere reise."),
        solution=(
            "bestillingstransport i app",
            "elektrisk ferje",
            "samkjøring med kommunens biler",
            "selvkjørende buss",
        ),
        areas=("Kollektivtransport", "Ferje", "Skoleskyss"),
        types=(InnovationTypeCode.SERVICE, InnovationTypeCode.PRODUCT),
        sdgs=(9, 11, 13),
    ),
    Sector.ADMINISTRATION: _Vocabulary(
        who=("innbyggere som søker kommunale tjenester", "saksbehandlere", "ansatte med rutineoppgaver"),
        problem=(
            "{who} må gi de samme opplysningene flere ganger",
            "{who} bruker mye tid på manuelle rutiner",
            "{who} får brev de ikke forstår",
        ),
        today=(
            "Skjemaene er på papir eller PDF.",
            "Oppgavene gjøres manuelt i flere systemer.",
            "Brevmalene er skrevet i fagspråk.",
        ),
        effect=("Kortere svartid og færre henvendelser.", "Frigjort tid til andre oppgaver.", "Brev alle forstår."),
        solution=(
            "robotisert saksbehandling",
            "klart språk i vedtaksbrev",
            "chatbot for innbyggerspørsmål",
            "kun-én-gang-innhenting av data",
        ),
        areas=("Servicetorg", "Økonomi", "Dokumentsenter"),
        types=(InnovationTypeCode.PROCESS, InnovationTypeCode.COMMUNICATION),
        sdgs=(16,),
    ),
}
STOPPED_REASONS = (
    ("Piloten viste ingen målbar effekt.", "Vi burde ha definert målene og målemetoden før oppstart."),
    ("Leverandøren kunne ikke levere en løsning som tilfredsstilte personvernkravene.", "Personvern må vurderes i behovsfasen, ikke etter anskaffelsen."),  # noqa: E501
    ("Finansieringen falt bort etter prosjektperioden.", "Driften må være avklart før piloten starter."),
    ("Brukerne tok ikke løsningen i bruk.", "Brukerne må være med fra starten; vi testet for sent."),
    ("Et nasjonalt fellesprosjekt løser det samme behovet.", "Sjekk om andre har gjort det samme før dere starter."),
)  # fmt: skip
PARTNERS = (
    ("Lokal frivilligsentral", PartnerRole.VOLUNTARY),
    ("Brukerrådet", PartnerRole.CITIZENS),
    ("Regional høgskole", PartnerRole.RESEARCH),
    ("Lokal teknologibedrift", PartnerRole.BUSINESS),
    ("Nabokommunene i regionen", PartnerRole.PUBLIC_BODY),
    ("Sosial entreprenør", PartnerRole.BUSINESS),
)


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
