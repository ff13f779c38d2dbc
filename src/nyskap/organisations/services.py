"""Writes for organisations: registering one organisation, and loading the shipped reference data."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nyskap.core.slugs import unique_slug

from .models import County, Organisation, OrganisationKind, RegisterImport
from .reference_data import (
    DEFAULT_DATA_DIR,
    POPULATION_YEAR,
    MunicipalityRow,
    ReferenceData,
    read_reference_data,
    slug_base,
)
from .register import has_content, register_plan
from .validators import normalise_organisation_number


@transaction.atomic
def organisation_create(*, name: str, kind: str, organisation_number: str = "", website: str = "") -> Organisation:
    """Register an organisation that is not in the reference data (a supplier, a research body …)."""
    taken = set(Organisation.objects.filter(slug__startswith=slug_base(name)).values_list("slug", flat=True))
    organisation = Organisation(
        name=name,
        kind=kind,
        slug=unique_slug(slug_base(name), taken),
        organisation_number=normalise_organisation_number(organisation_number),
        website=website,
    )
    organisation.full_clean()
    organisation.save()
    return organisation


# Reference data


@dataclass
class SectionReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}"


@dataclass
class LoadReport:
    """What a load did, per section (counties, then each kind of organisation)."""

    sections: dict[str, SectionReport] = field(default_factory=dict)

    def section(self, name: str) -> SectionReport:
        return self.sections.setdefault(name, SectionReport())

    @property
    def created(self) -> int:
        return sum(s.created for s in self.sections.values())

    @property
    def updated(self) -> int:
        return sum(s.updated for s in self.sections.values())

    def lines(self) -> list[str]:
        lines = []
        for name, section in self.sections.items():
            lines.append(f"{name}: {section.summary()}")
            lines.extend(f"  {change}" for change in section.changes)
        return lines


# The order of the sections in the report: counties, then each kind of organisation the files hold.
SECTIONS = (
    "county",
    OrganisationKind.MUNICIPALITY.value,
    OrganisationKind.COUNTY_MUNICIPALITY.value,
    OrganisationKind.MINISTRY.value,
    OrganisationKind.STATE_AGENCY.value,
    OrganisationKind.SUPERVISORY_AUTHORITY.value,
    OrganisationKind.UNIVERSITY.value,
    OrganisationKind.REGIONAL_HEALTH_TRUST.value,
    OrganisationKind.TRIBUNAL.value,
    OrganisationKind.OMBUD.value,
    OrganisationKind.STORTING_BODY.value,
    OrganisationKind.COUNTY_GOVERNOR.value,
    OrganisationKind.OTHER_PUBLIC.value,
)

# Fields an import from the Central Coordinating Register keeps current (nyskap.organisations.register): once it has
# changed an organisation, the shipped files (older) no longer overwrite them.
REGISTER_FIELDS = ("legal_name", "parent_id", "ended_on")


def _show(value: Any) -> str:
    return "(empty)" if value in ("", None) else str(value)


class _Loader:
    """Upserts by stable key: County by number, Organisation by ``reference_key``. Fields not named here (a
    website, a note added in the admin) are left alone."""

    def __init__(self, data: ReferenceData) -> None:
        self.data = data
        self.report = LoadReport()
        self.counties = {c.number: c for c in County.objects.all()}
        self.organisations = {o.reference_key: o for o in Organisation.objects.exclude(reference_key=None)}
        self.unkeyed_by_number = {
            o.organisation_number: o
            for o in Organisation.objects.filter(reference_key=None).exclude(organisation_number="")
        }
        self.taken_slugs = set(Organisation.objects.values_list("slug", flat=True))
        self.labels: dict[int, str] = {}
        # Counties change in two steps (names first, links once the organisations exist); report them once.
        self.county_changes: dict[str, list[str]] = {}
        self.new_counties: set[str] = set()

    def _describe(self, name: str, old: Any, new: Any) -> str:
        if name == "county_id":
            numbers = {c.pk: c.number for c in self.counties.values()}
            old, new = numbers.get(old, old), numbers.get(new, new)
        elif name.endswith("_id"):
            old, new = self.labels.get(old, old), self.labels.get(new, new)
        return f"{name.removesuffix('_id')}: {_show(old)} → {_show(new)}"

    def _apply(self, obj: County | Organisation, values: dict[str, Any]) -> list[str]:
        changes = []
        for name, new in values.items():
            old = getattr(obj, name)
            if old != new:
                changes.append(self._describe(name, old, new))
                setattr(obj, name, new)
        return changes

    # counties

    def county_upsert(self, number: str, values: dict[str, Any]) -> County:
        county = self.counties.get(number)
        if county is None:
            county = County(number=number, **values)
            county.save()
            self.counties[number] = county
            self.new_counties.add(number)
            return county
        changes = self._apply(county, values)
        if changes:
            county.save()
            self.county_changes.setdefault(number, []).extend(changes)
        return county

    def report_counties(self) -> None:
        section = self.report.section("county")
        for number in sorted(c.number for c in self.data.counties):
            if number in self.new_counties:
                section.created += 1
            elif number in self.county_changes:
                section.updated += 1
                changes = "; ".join(self.county_changes[number])
                section.changes.append(f"fylke {number} {self.counties[number].name}: {changes}")
            else:
                section.unchanged += 1

    # organisations

    def organisation_upsert(self, key: str, values: dict[str, Any], slug_source: str) -> Organisation:
        section = self.report.section(str(values["kind"]))
        organisation = self.organisations.get(key)
        changes: list[str] = []
        if organisation is None and values.get("organisation_number"):
            # Registered by hand before the reference data was loaded: adopt it, don't clash on the number.
            organisation = self.unkeyed_by_number.pop(values["organisation_number"], None)
            if organisation is not None:
                organisation.reference_key = key
                changes.append(f"reference_key: (empty) → {key}")
        if organisation is None:
            organisation = Organisation(
                reference_key=key, slug=unique_slug(slug_base(slug_source), self.taken_slugs), **values
            )
            organisation.save()
            section.created += 1
        else:
            if organisation.register_updated_on is not None:
                values = {name: value for name, value in values.items() if name not in REGISTER_FIELDS}
            changes += self._apply(organisation, values)
            if changes:
                organisation.save()
                section.updated += 1
                section.changes.append(f"{key} {organisation.name}: {'; '.join(changes)}")
            else:
                section.unchanged += 1
        self.organisations[key] = organisation
        self.labels[organisation.pk] = key
        return organisation

    def load(self) -> LoadReport:
        data = self.data
        for section in SECTIONS:
            self.report.section(section)
        for row in data.counties:
            self.county_upsert(row.number, {"name": row.name, "official_name": row.official_name})

        # Names that occur more than once (Herøy, Våler) get the official name, which SSB disambiguates with
        # the county: "heroy-more-og-romsdal" and "heroy-nordland" rather than "heroy" and "heroy-2".
        name_counts = Counter(slug_base(m.name) for m in data.municipalities)

        def municipality_slug_source(m: MunicipalityRow) -> str:
            return m.official_name if name_counts[slug_base(m.name)] > 1 else m.name

        municipalities_by_number: dict[str, Organisation] = {}
        for m in data.municipalities:
            municipalities_by_number[m.organisation_number] = self.organisation_upsert(
                f"kommune:{m.number}",
                {
                    "kind": OrganisationKind.MUNICIPALITY,
                    "name": m.name,
                    "official_name": m.official_name,
                    "other_name_forms": m.other_name_forms,
                    "municipality_number": m.number,
                    "county_id": self.counties[m.county_number].pk,
                    "organisation_number": m.organisation_number,
                    "population": m.population,
                    "population_year": POPULATION_YEAR,
                    "centrality_class": m.centrality_class,
                    "centrality_index": m.centrality_index,
                },
                municipality_slug_source(m),
            )

        county_municipalities: dict[str, Organisation] = {}
        for c in data.counties:
            shared = municipalities_by_number.get(c.organisation_number)
            if shared is not None:
                # Oslo kommune is both (same organisation number); no separate county municipality.
                county_municipalities[c.number] = shared
                continue
            county_municipalities[c.number] = self.organisation_upsert(
                f"fylke:{c.number}",
                {
                    "kind": OrganisationKind.COUNTY_MUNICIPALITY,
                    "name": c.county_municipality_name,
                    "county_id": self.counties[c.number].pk,
                    "organisation_number": c.organisation_number,
                    "population": c.population,
                    "population_year": POPULATION_YEAR,
                },
                c.county_municipality_name,
            )

        state_by_number: dict[str, Organisation] = {}
        # Ministries first, so every other body finds its parent.
        ordered = sorted(data.state_agencies, key=lambda a: bool(a.parent_organisation_number))
        for a in ordered:
            parent = state_by_number.get(a.parent_organisation_number)
            organisation = self.organisation_upsert(
                a.reference_key,
                {
                    "kind": a.kind,
                    "name": a.name,
                    "short_name": a.short_name,
                    "legal_name": a.legal_name,
                    "organisation_number": a.organisation_number,
                    "category": a.category,
                    "parent_id": parent.pk if parent else None,
                    "ended_on": a.ended_on,
                    "note": a.note,
                    "sources": a.sources,
                },
                a.name,
            )
            if a.organisation_number:
                state_by_number[a.organisation_number] = organisation

        for c in data.counties:
            self.county_upsert(
                c.number,
                {
                    "county_municipality_id": county_municipalities[c.number].pk,
                    "county_governor_id": state_by_number[c.county_governor_organisation_number].pk,
                },
            )
        self.report_counties()
        return self.report


def reference_data_load(*, data_dir: Path = DEFAULT_DATA_DIR) -> LoadReport:
    """Load (or update) counties, municipalities, county municipalities and central state bodies.

    Every row of every file is checked before anything is written; any problem raises
    :class:`~nyskap.organisations.reference_data.ReferenceDataError` and the database is left as it was.
    Re-running with the same files changes nothing."""
    data = read_reference_data(data_dir)
    with transaction.atomic():
        return _Loader(data).load()


# Updates from the Central Coordinating Register (nyskap.organisations.register; docs/adr, "register updates")


class RegisterImportRefused(Exception):
    """The import cannot be applied (already applied, unreadable file, or the data changed since the preview);
    nothing was written."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def register_import_create(
    *, stream: IO[bytes], file_name: str, actor: Any = None, sector_codes: list[str] | None = None,
    organisation_forms: list[str] | None = None,
) -> RegisterImport:  # fmt: skip
    """Read the file (dry run) and store what it would change, for an operator to look at before applying."""
    sectors = list(sector_codes if sector_codes is not None else settings.REGISTER_IMPORT_SECTOR_CODES)
    forms = list(organisation_forms if organisation_forms is not None else settings.REGISTER_IMPORT_ORGANISATION_FORMS)
    plan = register_plan(stream, sector_codes=sectors, organisation_forms=forms)
    return RegisterImport.objects.create(
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        file_name=file_name[:255],
        file_format=plan.file_format,
        sector_codes=sectors,
        organisation_forms=forms,
        read_count=plan.read,
        selected_count=plan.selected,
        problem_count=plan.problem_count,
        problems=plan.problems,
        fatal=plan.fatal,
        plan=plan.as_json(),
    )


def _stale() -> RegisterImportRefused:
    return RegisterImportRefused(
        _("The organisations have changed since this preview was made; nothing was written. Make a new preview.")
    )


def register_import_refusal(register_import: RegisterImport) -> RegisterImportRefused | None:
    """Why the preview cannot be applied as it stands (already applied, or its file unreadable), or None; checked
    before an apply is started and again under the lock when it runs."""
    if register_import.applied_at is not None:
        return RegisterImportRefused(_("This import has already been applied."))
    if register_import.fatal:
        return RegisterImportRefused(_("The file could not be read to the end, so nothing from it can be applied."))
    return None


@transaction.atomic
def register_import_apply(
    *, register_import: RegisterImport, actor: Any = None, advance: Callable[[], None] | None = None
) -> dict[str, int]:
    """Apply every change of the stored plan, or none: each change is checked against the database first (the
    value the preview saw must still be there). Bodies with content, and bodies of the shipped reference data, are
    never deleted, only marked as ended. Returns the number of changes of each sort; ``advance`` is called as each
    change is made (a job's progress)."""
    step = advance or (lambda: None)
    locked = RegisterImport.objects.select_for_update().get(pk=register_import.pk)
    if (refusal := register_import_refusal(locked)) is not None:
        raise refusal
    plan = locked.plan
    today = timezone.localdate()
    touched: dict[int, Organisation] = {}

    def body(pk: int) -> Organisation:
        if pk not in touched:
            organisation = Organisation.objects.filter(pk=pk).first()
            if organisation is None:
                raise _stale()
            touched[pk] = organisation
        return touched[pk]

    by_number = dict(Organisation.objects.exclude(organisation_number="").values_list("organisation_number", "pk"))
    taken = set(Organisation.objects.values_list("slug", flat=True))
    created: dict[str, Organisation] = {}
    for item in plan.get("new", []):
        if item["number"] in by_number:
            raise _stale()
        organisation = Organisation(
            kind=item["kind"],
            name=item["name"],
            legal_name=item["register_name"],
            organisation_number=item["number"],
            slug=unique_slug(slug_base(item["name"]), taken),
            category=item["form"],
            sources=_("Central Coordinating Register, import of %(date)s") % {"date": today.isoformat()},
            register_updated_on=today,
        )
        organisation.save()
        created[item["number"]] = organisation
        step()
    for item in plan.get("new", []):
        if item["parent"]:
            organisation = created[item["number"]]
            parent = (
                created.get(item["parent"]) or Organisation.objects.filter(organisation_number=item["parent"]).first()
            )
            if parent is None:
                raise _stale()
            organisation.parent = parent
            organisation.save()
    for item in plan.get("renamed", []):
        organisation = body(item["pk"])
        if organisation.legal_name != item["old"]:
            raise _stale()
        organisation.legal_name = item["new"]
        step()
    for item in plan.get("names_recorded", []):
        organisation = body(item["pk"])
        if organisation.legal_name:
            raise _stale()
        organisation.legal_name = item["new"]
        step()
    for item in plan.get("parents", []):
        organisation = body(item["pk"])
        if (organisation.parent.organisation_number if organisation.parent else "") != item["old"]:
            raise _stale()
        parent = created.get(item["new"]) or Organisation.objects.filter(organisation_number=item["new"]).first()
        if parent is None:
            raise _stale()
        organisation.parent = parent
        step()
    deleted = 0
    for item in plan.get("ended", []):
        organisation = body(item["pk"])
        if organisation.ended_on is not None:
            raise _stale()
        if item["action"] == "delete" and not organisation.reference_key and not has_content(organisation):
            touched.pop(item["pk"])
            organisation.delete()
            deleted += 1
            step()
            continue
        organisation.ended_on = datetime.date.fromisoformat(item["deleted_on"])
        step()
    for organisation in touched.values():
        organisation.register_updated_on = today
        organisation.save()
    locked.applied_at = timezone.now()
    locked.applied_by = actor if getattr(actor, "is_authenticated", False) else None
    locked.save()
    return {
        "new": len(created),
        "renamed": len(plan.get("renamed", [])),
        "names_recorded": len(plan.get("names_recorded", [])),
        "parents": len(plan.get("parents", [])),
        "ended": len(plan.get("ended", [])) - deleted,
        "deleted": deleted,
    }
