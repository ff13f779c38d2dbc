"""Organisation factories: counties and organisations with valid, distinct organisation numbers."""

from __future__ import annotations

import factory
from django.utils.text import slugify

from nyskap.organisations.models import County, Organisation, OrganisationKind
from nyskap.organisations.validators import mod11_check_digit


def valid_organisation_number(seed: int) -> str:
    """A MOD11-valid nine-digit number derived from ``seed`` (skips prefixes without a valid check digit)."""
    base = 810000000 // 10 + seed
    while True:
        first_eight = f"{base:08d}"[-8:]
        digit = mod11_check_digit(first_eight)
        if digit is not None:
            return first_eight + str(digit)
        base += 1


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County
        django_get_or_create = ("number",)

    number = "46"
    name = "Vestland"
    official_name = "Vestland"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.MUNICIPALITY
    name = factory.Sequence(lambda n: f"Testkommune {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    organisation_number = factory.Sequence(lambda n: valid_organisation_number(n * 7 + 11))
    county = factory.SubFactory(CountyFactory)
    population = 12000
