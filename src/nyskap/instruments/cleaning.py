"""Checking an instrument's and a call's values before the services write them: amounts, codes, texts and links, each
refused with `CatalogueError` (a message fit to show the user, and the field it concerns)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from nyskap.organisations.models import OrganisationKind
from nyskap.projects.models import InnovationTypeCode, Phase, Sector

from .models import (
    Instrument,
    Offer,
    Requirement,
    Status,
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


def clean_url(value: Any, field: str) -> str:
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
            cleaned[name] = clean_url(value, name)
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
