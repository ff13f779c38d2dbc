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
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from nyskap.accounts.models import User
from nyskap.core.visibility import Visibility
from nyskap.organisations.models import Organisation, OrganisationKind
from nyskap.organisations.reference_data import slug_base
from nyskap.organisations.services import unique_slug

from ..models import (
    Adoption,
    AdoptionHow,
    Degree,
    EffectsMeasurement,
    InnovationTypeCode,
    LifeEventCode,
    Novelty,
    PartnerRole,
    Phase,
    PhaseChange,
    Project,
    Sector,
    SustainableDevelopmentGoalNumber,
)
from ..services import (
    ProjectError,
    project_add_funding,
    project_add_partner,
    project_adopt,
    project_change_phase,
    project_create,
)

DEFAULT_CASES_FILE = Path(__file__).resolve().parent.parent / "data" / "white_paper_cases.json"
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
