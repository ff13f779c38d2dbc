from __future__ import annotations

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.utils.text import slugify

from nyskap.accounts.models import Membership, Role, User
from nyskap.organisations.models import County, Organisation, OrganisationKind
from nyskap.organisations.validators import mod11_check_digit

PASSWORD = "Korrekt-Hest-Batteri-42"


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


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.no")
    username = factory.LazyAttribute(lambda o: o.email)
    name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            obj.save()
            EmailAddress.objects.get_or_create(user=obj, email=obj.email, defaults={"verified": True, "primary": True})


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.MEMBER


def give_totp(user: User) -> Authenticator:
    """Register a TOTP authenticator so the user passes the MFA requirement for admins and operators."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    return TOTP.activate(user, generate_totp_secret()).instance
