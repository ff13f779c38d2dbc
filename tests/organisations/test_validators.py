from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from nyskap.organisations.forms import OrganisationForm
from nyskap.organisations.models import Organisation, OrganisationKind
from nyskap.organisations.services import organisation_create
from nyskap.organisations.validators import (
    mod11_check_digit,
    organisation_number_problem,
    validate_organisation_number,
)


@pytest.fixture(autouse=True)
def _english():
    # The msgids are English; the nb/nn catalogues translate them. Assert on the msgids.
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    "number",
    [
        "974761076",  # Skatteetaten
        "991825827",  # Digitaliseringsdirektoratet
        "958935420",  # Oslo kommune
        "974 761 076",  # as printed on letters
        "100000040",  # remainder 0 gives check digit 0
    ],
)
def test_when_number_is_valid_then_no_problem_is_found(number):
    assert organisation_number_problem(number) is None
    validate_organisation_number(number)


def test_when_check_digit_is_wrong_then_the_message_names_the_number():
    assert organisation_number_problem("974761077") == (
        "The check digit of “974761077” is wrong (MOD11); check that the organisation number is typed correctly."
    )


def test_when_number_has_eight_digits_then_the_message_gives_the_count():
    assert organisation_number_problem("97476107") == "An organisation number has 9 digits; “97476107” has 8."


def test_when_number_has_letters_then_the_message_says_digits_only():
    assert organisation_number_problem("97476107A") == (
        "An organisation number may only contain digits; “97476107A” contains other characters."
    )


def test_when_number_is_empty_then_it_is_missing():
    assert organisation_number_problem("") == "Organisation number is missing."


def test_when_remainder_is_one_then_no_check_digit_makes_the_number_valid():
    # 1·3 + 1·3 + 3·2 = 12, and 12 mod 11 = 1: MOD11 has no check digit for this prefix.
    assert mod11_check_digit("10000013") is None
    assert [organisation_number_problem(f"10000013{d}") is not None for d in range(10)] == [True] * 10


def test_when_number_is_invalid_then_validator_raises_with_a_code():
    with pytest.raises(ValidationError) as caught:
        validate_organisation_number("123456789")
    assert caught.value.code == "invalid_organisation_number"


@pytest.mark.django_db
def test_when_form_gets_a_spaced_valid_number_then_it_is_cleaned_to_nine_digits():
    form = OrganisationForm(
        data={
            "name": "Leverandør AS",
            "kind": OrganisationKind.COMPANY,
            "organisation_number": " 974 761 076 ",
            "website": "https://example.no",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["organisation_number"] == "974761076"


@pytest.mark.django_db
def test_when_form_gets_a_wrong_check_digit_then_the_error_shows_beside_the_field_with_typed_values():
    form = OrganisationForm(
        data={"name": "Leverandør AS", "kind": OrganisationKind.COMPANY, "organisation_number": "974 761 077"}
    )
    assert not form.is_valid()
    assert form.errors == {
        "organisation_number": [
            "The check digit of “974761077” is wrong (MOD11); check that the organisation number is typed correctly."
        ]
    }
    html = str(form)
    assert 'value="974 761 077"' in html
    assert 'value="Leverandør AS"' in html
    assert 'id="id_organisation_number_error"' in html
    assert 'aria-invalid="true"' in html
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_when_number_is_already_registered_then_the_form_says_so():
    organisation_create(name="Skatteetaten", kind=OrganisationKind.STATE_AGENCY, organisation_number="974761076")
    form = OrganisationForm(
        data={"name": "Skatt", "kind": OrganisationKind.STATE_AGENCY, "organisation_number": "974761076"}
    )
    assert not form.is_valid()
    assert form.errors == {
        "organisation_number": ["An organisation with organisation number 974761076 is already registered."]
    }


@pytest.mark.django_db
def test_when_two_organisations_share_a_name_then_create_gives_each_a_unique_readable_slug():
    first = organisation_create(name="Bærum Innovasjon AS", kind=OrganisationKind.COMPANY, organisation_number="")
    second = organisation_create(
        name="Bærum Innovasjon AS", kind=OrganisationKind.COMPANY, organisation_number="974 761 076"
    )
    assert (first.slug, second.slug) == ("baerum-innovasjon-as", "baerum-innovasjon-as-2")
    assert second.organisation_number == "974761076"
    assert Organisation.objects.count() == 2


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "974761077",
            "Kontrollsifferet i «974761077» er feil (MOD11). Sjekk at organisasjonsnummeret er skrevet riktig.",
        ),
        ("97476107", "Et organisasjonsnummer har 9 sifre. «97476107» har 8."),
    ],
)
def test_when_the_language_is_bokmal_then_the_number_error_is_in_norwegian(value, message):
    with translation.override("nb"):
        assert organisation_number_problem(value) == message
