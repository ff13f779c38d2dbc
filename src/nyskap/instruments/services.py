"""Writes on the instrument catalogue. Each function owns its transaction, checks access, validates every value
before it saves, and raises `CatalogueError` (a message fit to show the user, and the field it concerns) or
Django's `PermissionDenied`. Nothing is saved when a value is refused.

Who may write:
- an instrument and its calls: operators, and users with the instrument-owner role (`InstrumentOwnerRole`) for one
  of the instrument's owner organisations;
- the instrument-owner role of an organisation: its administrators and operators;
- a project's applications to instruments: those who may change the project (`core.change_object`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nyskap.core.permissions import may_administer
from nyskap.core.slugs import unique_slug
from nyskap.core.tabular import Problem, ReferenceDataError
from nyskap.core.visibility import is_operator
from nyskap.organisations.models import Organisation, OrganisationKind
from nyskap.organisations.reference_data import DEFAULT_DATA_DIR, slug_base
from nyskap.projects.models import Project

from .catalogue import NEW_OWNERS, read_instruments
from .cleaning import CatalogueError, clean_amount, clean_instrument_values, clean_url
from .models import (
    Call,
    Instrument,
    InstrumentOwnerRole,
    InstrumentUse,
    MatcherProfile,
    Outcome,
    WebsiteOrigin,
)
from .selectors import owned_organisations, owner_organisation_ids

# Access


def can_edit_instrument(user: Any, instrument: Instrument) -> bool:
    if is_operator(user):
        return True
    owned = owner_organisation_ids(user)
    return bool(owned) and instrument.owners.filter(pk__in=owned).exists()


def require_instrument_owner(user: Any, instrument: Instrument) -> None:
    if not can_edit_instrument(user, instrument):
        raise PermissionDenied(_("Only the instrument owners of the instrument's organisations can change it."))


def can_grant_owner_role(user: Any, organisation: Organisation) -> bool:
    return may_administer(user, organisation)


def _require_project_change(user: Any, project: Project) -> None:
    if user is None or not user.has_perm("core.change_object", project):
        raise PermissionDenied(_("Only the project's authors and editors of its organisations can change it."))


# Instruments


@transaction.atomic
def instrument_update(*, instrument: Instrument, actor: Any, **fields: Any) -> Instrument:
    """Change an instrument's fields. Marks it edited by its owner, so reloading the shipped data keeps it."""
    require_instrument_owner(actor, instrument)
    cleaned = clean_instrument_values(fields, current=instrument)
    if "website" in cleaned and cleaned["website"] != instrument.website:
        # The shipped link said where it came from; a link the owner gives is the owner's own.
        instrument.website_origin = WebsiteOrigin.OWNER if cleaned["website"] else ""
    for name, value in cleaned.items():
        setattr(instrument, name, value)
    instrument.owner_edited = True
    instrument.save()
    return instrument


# Words used by the catalogue's own URLs under /virkemidler/ are never instrument slugs.
RESERVED_SLUGS = frozenset(
    {"ny", "utlysninger", "finn", "oversikt", "eksport", "varsler", "avmeld", "eiere", "prosjekt"}
)


@transaction.atomic
def instrument_create(*, organisation: Organisation, actor: Any, **fields: Any) -> Instrument:
    """A new instrument owned by ``organisation``, added by one of its instrument owners (or an operator). Its
    facts come from the owner, so it is marked edited by its owner and never replaced by the shipped catalogue."""
    if not owned_organisations(actor).filter(pk=organisation.pk).exists():
        raise PermissionDenied(_("Only the instrument owners of an organisation can add instruments for it."))
    cleaned = clean_instrument_values({"name_nb": fields.pop("name_nb", ""), **fields})
    base = slug_base(cleaned["name_nb"])
    taken = set(Instrument.objects.filter(slug__startswith=base).values_list("slug", flat=True)) | RESERVED_SLUGS
    instrument = Instrument(slug=unique_slug(base[:110], taken), owner_edited=True)
    for name, value in cleaned.items():
        setattr(instrument, name, value)
    if cleaned.get("website"):
        instrument.website_origin = WebsiteOrigin.OWNER
    instrument.name_nn = instrument.name_nn or instrument.name_nb
    instrument.name_en = instrument.name_en or instrument.name_nb
    instrument.owner_text = instrument.owner_text or organisation.name
    instrument.save()
    instrument.owners.add(organisation)
    return instrument


# Calls


def _clean_call(values: dict[str, Any]) -> dict[str, Any]:
    title = (values.get("title") or "").strip()
    if not title:
        raise CatalogueError(_("Give the call a title."), field="title")
    if len(title) > 200:
        raise CatalogueError(_("Use at most %(limit)d characters.") % {"limit": 200}, field="title")
    opens_on, closes_on = values.get("opens_on"), values.get("closes_on")
    if not isinstance(opens_on, datetime.date):
        raise CatalogueError(_("Enter the date the call opens."), field="opens_on")
    if closes_on is not None and not isinstance(closes_on, datetime.date):
        raise CatalogueError(_("Enter a valid date."), field="closes_on")
    if closes_on is not None and closes_on < opens_on:
        raise CatalogueError(_("The call cannot close before it opens."), field="closes_on")
    return {
        "title": title,
        "opens_on": opens_on,
        "closes_on": closes_on,
        "budget": clean_amount(values.get("budget"), "budget"),
        "url": clean_url(values.get("url"), "url"),
        "description": (values.get("description") or "").strip(),
    }


@transaction.atomic
def call_create(*, instrument: Instrument, actor: Any, **values: Any) -> Call:
    require_instrument_owner(actor, instrument)
    cleaned = _clean_call(values)
    call = Call(instrument=instrument, is_example=bool(values.get("is_example")), **cleaned)
    call.save()
    return call


@transaction.atomic
def call_update(*, call: Call, actor: Any, **values: Any) -> Call:
    require_instrument_owner(actor, call.instrument)
    current = {name: getattr(call, name) for name in ("title", "opens_on", "closes_on", "budget", "url", "description")}
    cleaned = _clean_call({**current, **values})
    for name, value in cleaned.items():
        setattr(call, name, value)
    call.save()
    return call


# The instrument-owner role


@transaction.atomic
def owner_role_grant(*, organisation: Organisation, user: Any, actor: Any) -> InstrumentOwnerRole:
    if not can_grant_owner_role(actor, organisation):
        raise PermissionDenied(
            _("Only administrators of %(organisation)s can do this.") % {"organisation": organisation}
        )
    if user is None or not user.is_active:
        raise CatalogueError(_("There is no active user with that e-mail address."), field="email")
    role, created = InstrumentOwnerRole.objects.get_or_create(
        user=user, organisation=organisation, defaults={"granted_by": actor}
    )
    if not created:
        raise CatalogueError(
            _("%(user)s is already an instrument owner for %(organisation)s.")
            % {"user": user, "organisation": organisation},
            field="email",
        )
    return role


@transaction.atomic
def owner_role_revoke(*, role: InstrumentOwnerRole, actor: Any) -> None:
    if not can_grant_owner_role(actor, role.organisation):
        raise PermissionDenied(
            _("Only administrators of %(organisation)s can do this.") % {"organisation": role.organisation}
        )
    role.delete()


# Projects' use of instruments


@transaction.atomic
def use_add(
    *,
    project: Project,
    actor: Any,
    instrument: Instrument,
    year: Any,
    outcome: str,
    amount: Any = None,
    note: str = "",
) -> InstrumentUse:
    """Record that a project applied to (and perhaps received support from) an instrument."""
    _require_project_change(actor, project)
    this_year = timezone.localdate().year
    if not isinstance(year, int) or isinstance(year, bool) or year < 1990 or year > this_year + 1:
        raise CatalogueError(_("Enter a year between 1990 and %(last)d.") % {"last": this_year + 1}, field="year")
    if outcome not in Outcome.values:
        raise CatalogueError(_("Choose one of the options."), field="outcome")
    cleaned_amount = clean_amount(amount, "amount")
    note = (note or "").strip()
    if len(note) > 300:
        raise CatalogueError(_("Use at most %(limit)d characters.") % {"limit": 300}, field="note")
    use = InstrumentUse(
        project=project,
        instrument=instrument,
        year=year,
        outcome=outcome,
        amount=cleaned_amount,
        note=note,
        created_by=actor,
    )
    use.save()
    return use


@transaction.atomic
def use_remove(*, use: InstrumentUse, actor: Any) -> None:
    _require_project_change(actor, use.project)
    use.delete()


# Matcher profiles


@transaction.atomic
def profile_create(*, user: Any, query: str, label: str) -> MatcherProfile:
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Log in to save a matcher question."))
    if MatcherProfile.objects.filter(user=user, query=query).exists():
        raise CatalogueError(_("You have already saved this question."))
    profile = MatcherProfile(
        user=user,
        query=query,
        label=(label or "").strip()[:200] or _("My matcher question"),
        last_notified_on=timezone.localdate(),
    )
    profile.save()
    return profile


@transaction.atomic
def profile_delete(*, profile: MatcherProfile, user: Any) -> None:
    if profile.user_id != getattr(user, "pk", None):
        raise PermissionDenied
    profile.delete()


# Loading the shipped catalogue


@dataclass
class CatalogueReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0
    owners_created: int = 0
    changes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [
            f"instruments: created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"kept as edited by their owners {self.kept}",
            f"owner organisations created: {self.owners_created}",
        ]
        return lines + [f"  {change}" for change in self.changes]


def _owners(keys: tuple[str, ...], report: CatalogueReport, row: int) -> list[Organisation]:
    owners: list[Organisation] = []
    for key in keys:
        if key == "@county_municipalities":
            owners += list(Organisation.objects.filter(kind=OrganisationKind.COUNTY_MUNICIPALITY))
        elif key == "@county_governors":
            owners += list(Organisation.objects.filter(kind=OrganisationKind.COUNTY_GOVERNOR, ended_on=None))
        elif key in NEW_OWNERS:
            reference_key = "instrument-owner:" + key.removeprefix("new:")
            organisation = Organisation.objects.filter(reference_key=reference_key).first()
            if organisation is None:
                spec = NEW_OWNERS[key]
                taken = set(Organisation.objects.values_list("slug", flat=True))
                organisation = Organisation.objects.create(
                    reference_key=reference_key,
                    name=spec["name"],
                    kind=spec["kind"],
                    slug=unique_slug(slug_base(spec["name"]), taken),
                    sources="Meld. St. 30 (2019–2020)",
                )
                report.owners_created += 1
            owners.append(organisation)
        else:
            organisation = Organisation.objects.filter(reference_key=key).first()
            if organisation is None:
                raise ReferenceDataError(
                    [
                        Problem(
                            "instruments.csv",
                            row,
                            "owner",
                            f"the owner {key} is not in the database; run load_reference_data first",
                        )
                    ]
                )
            owners.append(organisation)
    return owners


def _show(value: Any) -> str:
    return "(empty)" if value in ("", None, []) else str(value)


def catalogue_load(*, data_dir: Path = DEFAULT_DATA_DIR) -> CatalogueReport:
    """Load (or update) the shipped instruments. Every row is checked before anything is written; any problem
    raises `ReferenceDataError` and the database is left as it was. Instruments an owner has edited are kept as
    they are. Re-running with the same file changes nothing."""
    rows = read_instruments(data_dir)
    report = CatalogueReport()
    with transaction.atomic():
        existing = {i.slug: i for i in Instrument.objects.prefetch_related("owners")}
        for row in rows:
            values = row.values
            owners = _owners(row.owner_keys, report, row.row)
            instrument = existing.get(values["slug"])
            if instrument is None:
                instrument = Instrument(**values)
                instrument.full_clean(exclude=["owners"])
                instrument.save()
                instrument.owners.set(owners)
                report.created += 1
                continue
            if instrument.owner_edited:
                report.kept += 1
                continue
            changes = []
            for name, new in values.items():
                old = getattr(instrument, name)
                if old != new:
                    changes.append(f"{name}: {_show(old)} → {_show(new)}")
                    setattr(instrument, name, new)
            if {o.pk for o in instrument.owners.all()} != {o.pk for o in owners}:
                changes.append("owners")
            if changes:
                instrument.full_clean(exclude=["owners"])
                instrument.save()
                instrument.owners.set(owners)
                report.updated += 1
                report.changes.append(f"{instrument.slug}: {'; '.join(changes)}")
            else:
                report.unchanged += 1
    return report
