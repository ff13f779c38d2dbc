"""Norwegian organisation numbers: nine digits with a MOD11 check digit (Brønnøysundregistrene), checked by
python-stdnum's `stdnum.no.orgnr`; the messages say what is wrong in words a person can act on."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.no import orgnr


def mod11_check_digit(first_eight: str) -> int | None:
    """The check digit for the first eight digits, or None when no valid digit exists (remainder 1)."""
    # The check digit has weight 1 in the checksum, so it is the digit that brings the sum to 0 modulo 11.
    digit = -orgnr.checksum(first_eight + "0") % 11
    return None if digit == 10 else digit


def organisation_number_problem(value: str) -> str | None:
    """Return a message naming what is wrong with the number, or None when it is valid."""
    digits = normalise_organisation_number(value)
    if not digits:
        return _("Organisation number is missing.")
    not_digits = _("An organisation number may only contain digits; “%(value)s” contains other characters.") % {
        "value": value
    }
    if digits != digits.strip():  # stdnum would strip a tab or line break; here it is not a digit
        return not_digits
    try:
        orgnr.validate(digits)
    except InvalidLength:  # a subclass of InvalidFormat, so first
        return _("An organisation number has 9 digits; “%(value)s” has %(count)d.") % {
            "value": value,
            "count": len(digits),
        }
    except InvalidFormat:
        return not_digits
    except InvalidChecksum:
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
