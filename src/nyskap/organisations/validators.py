"""Norwegian organisation numbers: nine digits with a MOD11 check digit (Brønnøysundregistrene)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MOD11_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def mod11_check_digit(first_eight: str) -> int | None:
    """The check digit for the first eight digits, or None when no valid digit exists (remainder 1)."""
    total = sum(int(d) * w for d, w in zip(first_eight, MOD11_WEIGHTS, strict=True))
    remainder = total % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def organisation_number_problem(value: str) -> str | None:
    """Return a message naming what is wrong with the number, or None when it is valid."""
    digits = (value or "").replace(" ", "")
    if not digits:
        return _("Organisation number is missing.")
    if not digits.isdigit():
        return _("An organisation number may only contain digits; “%(value)s” contains other characters.") % {
            "value": value
        }
    if len(digits) != 9:
        return _("An organisation number has 9 digits; “%(value)s” has %(count)d.") % {
            "value": value,
            "count": len(digits),
        }
    expected = mod11_check_digit(digits[:8])
    if expected is None or expected != int(digits[8]):
        return _(
            "The check digit of “%(value)s” is wrong (MOD11); check that the organisation number is typed correctly."
        ) % {"value": value}
    return None


def validate_organisation_number(value: str) -> None:
    problem = organisation_number_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_organisation_number")


def normalise_organisation_number(value: str) -> str:
    return (value or "").replace(" ", "")
