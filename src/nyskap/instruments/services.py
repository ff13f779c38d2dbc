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
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nyskap.core.permissions import is_admin_of
from nyskap.core.slugs import unique_slug
from nyskap.core.tabular import Problem, ReferenceDataError
from nyskap.core.visibility import is_operator
from nyskap.organisations.models import Organisation, OrganisationKind
from nyskap.organisations.reference_data import DEFAULT_DATA_DIR, slug_base
from nyskap.projects.models import InnovationTypeCode, Phase, Project, Sector

from .catalogue import NEW_OWNERS, read_instruments
from .models import (
    Call,
    Instrument,
    InstrumentOwnerRole,
    InstrumentUse,
    MatcherProfile,
    Offer,
    Outcome,
    Requirement,
    Status,
    WebsiteOrigin,
)

# Larger than any public budget in kroner; keeps amounts inside the database columns (14 digits).
AMOUNT_LIMIT = Decimal(10) ** 13
MATCH_PHASES = [p for p in Phase.values if p != Phase.STOPPED]


class CatalogueError(Exception):
    """A refused change; ``message`` is shown to the user as it is, next to ``field`` when given."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# Access


def owner_organisation_ids(user: Any) -> set[int]:
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    return set(InstrumentOwnerRole.objects.filter(user=user).values_list("organisation_id", flat=True))


def can_edit_instrument(user: Any, instrument: Instrument) -> bool:
    if is_operator(user):
        return True
    owned = owner_organisation_ids(user)
    return bool(owned) and instrument.owners.filter(pk__in=owned).exists()


def require_instrument_owner(user: Any, instrument: Instrument) -> None:
    if not can_edit_instrument(user, instrument):
        raise PermissionDenied(_("Only the instrument owners of the instrument's organisations can change it."))


def can_grant_owner_role(user: Any, organisation: Organisation) -> bool:
    return is_operator(user) or is_admin_of(user, organisation)


def _require_project_change(user: Any, project: Project) -> None:
    if user is None or not user.has_perm("core.change_object", project):
        raise PermissionDenied(_("Only the project's authors and editors of its organisations can change it."))


# Validation


def clean_amount(value: Any, field: str) -> Decimal | None:
    """A whole number of kroner, not negative, or None. Text with spaces or a decimal comma is accepted."""
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value).replace("\u00a0", "").replace(" ", "").replace(",", "."))
    except (InvalidOperation, ValueError):
        raise CatalogueError(_("Enter an amount in kroner, e.g. 250000."), field=field) from None
    if not amount.is_finite():
        raise CatalogueError(_("Enter an amount in kroner, e.g. 250000."), field=field)
    if amount < 0:
        raise CatalogueError(_("The amount cannot be negative."), field=field)
    if amount >= AMOUNT_LIMIT:
        raise CatalogueError(_("The amount is too large."), field=field)
    if amount != amount.to_integral_value():
        raise CatalogueError(_("Enter whole kroner."), field=field)
    return amount


def _clean_codes(values: Any, allowed: list[str], field: str, message: str) -> list[str]:
    codes = list(dict.fromkeys(values or []))
    unknown = [str(code) for code in codes if code not in allowed]
    if unknown:
        raise CatalogueError(message % {"values": ", ".join(unknown)}, field=field)
    return [str(code) for code in codes]


def clean_kinds(values: Any, field: str) -> list[str]:
    return _clean_codes(values, OrganisationKind.values, field, _("Unknown kind of organisation: %(values)s."))


_TEXT_LIMITS = {
    "name_nb": 300,
    "name_nn": 300,
    "name_en": 300,
    "owner_text": 300,
    "status_note": 300,
    "unverified_facts": 300,
    "source": 300,
}
_TEXT_FIELDS = {*_TEXT_LIMITS, "summary", "amounts_text"}
_CODE_FIELDS: dict[str, tuple[list[str], Any]] = {
    "offers": (Offer.values, lambda: _("Unknown offer: %(values)s.")),
    "phases": (MATCH_PHASES, lambda: _("Unknown phase: %(values)s.")),
    "sectors": (Sector.values, lambda: _("Unknown sector: %(values)s.")),
    "innovation_types": (InnovationTypeCode.values, lambda: _("Unknown innovation type: %(values)s.")),
    "requirements": (Requirement.values, lambda: _("Unknown requirement: %(values)s.")),
}
_AMOUNT_FIELDS = ("grant_max", "project_cost_min", "project_cost_max")
INSTRUMENT_FIELDS = frozenset(
    [
        *_TEXT_FIELDS,
        *_CODE_FIELDS,
        *_AMOUNT_FIELDS,
        "applicant_kinds",
        "partner_kinds",
        "cofunding_max_percent",
        "max_population",
        "requires_open_call",
        "status",
        "ended_on",
        "website",
    ]
)


def _clean_url(value: Any, field: str) -> str:
    text = (value or "").strip()
    if text:
        try:
            URLValidator(schemes=["http", "https"])(text)
        except ValidationError:
            raise CatalogueError(_("Enter a web address that starts with https:// or http://."), field=field) from None
    if len(text) > 200:
        raise CatalogueError(_("Use at most %(limit)d characters.") % {"limit": 200}, field=field)
    return text


def clean_instrument_values(values: dict[str, Any], current: Instrument | None = None) -> dict[str, Any]:
    """Check and normalise instrument fields; raise `CatalogueError` on the first bad one. Cross-field rules
    (the cost range, status and end date, applicants and partners) are checked on the result merged with
    ``current``."""
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        if name in _TEXT_FIELDS:
            text = (value or "").strip()
            if name == "name_nb" and not text:
                raise CatalogueError(_("Give the instrument a name."), field=name)
            limit = _TEXT_LIMITS.get(name)
            if limit is not None and len(text) > limit:
                raise CatalogueError(_("Use at most %(limit)d characters.") % {"limit": limit}, field=name)
            cleaned[name] = text
        elif name in _CODE_FIELDS:
            allowed, message = _CODE_FIELDS[name]
            cleaned[name] = _clean_codes(value, allowed, name, message())
        elif name in ("applicant_kinds", "partner_kinds"):
            cleaned[name] = clean_kinds(value, name)
        elif name in _AMOUNT_FIELDS:
            cleaned[name] = clean_amount(value, name)
        elif name == "cofunding_max_percent":
            if value is None or value == "":
                cleaned[name] = None
                continue
            try:
                share = Decimal(str(value).replace(",", ".").rstrip("% "))
            except (InvalidOperation, ValueError):
                raise CatalogueError(_("The share must be between 0 and 100 %."), field=name) from None
            if not share.is_finite() or share < 0 or share > 100:
                raise CatalogueError(_("The share must be between 0 and 100 %."), field=name)
            cleaned[name] = share.quantize(Decimal("0.01"))
        elif name == "max_population":
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
                raise CatalogueError(_("Enter a whole number of inhabitants."), field=name)
            cleaned[name] = value
        elif name == "requires_open_call":
            cleaned[name] = bool(value)
        elif name == "status":
            if value not in Status.values:
                raise CatalogueError(_("Choose one of the options."), field=name)
            cleaned[name] = value
        elif name == "ended_on":
            if value is not None and not isinstance(value, datetime.date):
                raise CatalogueError(_("Enter a valid date."), field=name)
            cleaned[name] = value
        elif name == "website":
            cleaned[name] = _clean_url(value, name)
        else:
            raise CatalogueError(_("The field “%(field)s” cannot be changed here.") % {"field": name}, field=name)

    def merged(name: str) -> Any:
        if name in cleaned:
            return cleaned[name]
        return getattr(current, name) if current is not None else None

    low, high = merged("project_cost_min"), merged("project_cost_max")
    if low is not None and high is not None and high < low:
        raise CatalogueError(_("The largest project cost cannot be below the smallest."), field="project_cost_max")
    if merged("status") != Status.ENDED and merged("ended_on") is not None:
        raise CatalogueError(_("Only an ended instrument has an end date."), field="ended_on")
    both = set(merged("applicant_kinds") or []) & set(merged("partner_kinds") or [])
    if both:
        raise CatalogueError(
            _("A kind of organisation cannot both apply and be a partner only: %(values)s.")
            % {"values": ", ".join(sorted(both))},
            field="partner_kinds",
        )
    return cleaned


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


def owned_organisations(user: Any) -> Any:
    """The organisations ``user`` may add instruments for: those of the user's instrument-owner roles."""
    if is_operator(user):
        return Organisation.objects.filter(ended_on=None).order_by("name")
    return Organisation.objects.filter(pk__in=owner_organisation_ids(user)).order_by("name")


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
        "url": _clean_url(values.get("url"), "url"),
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
