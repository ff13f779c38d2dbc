"""Account factories: users with a verified e-mail address and the shared password, memberships, a second factor,
and an editor in an organisation of their own."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from nyskap.accounts.models import Membership, Role, SupplierKind, SupplierProfile, User
from nyskap.organisations.models import OrganisationKind

from ..organisations.factories import CountyFactory, OrganisationFactory

PASSWORD = "Korrekt-Hest-Batteri-42"


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


class SupplierProfileFactory(factory.django.DjangoModelFactory):
    """A supplier: a user who speaks for a company and is a member of no public body."""

    class Meta:
        model = SupplierProfile

    user = factory.SubFactory(UserFactory)
    company_name = factory.Sequence(lambda n: f"Leverandør {n} AS")
    organisation_number = "123456785"
    kind = SupplierKind.START_UP
    contact_email = factory.LazyAttribute(lambda o: o.user.email)


def give_totp(user: User) -> Authenticator:
    """Register a TOTP authenticator so the user passes the MFA requirement for admins and operators."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    return TOTP.activate(user, generate_totp_secret()).instance


def editor_in(name: str, *, county_number: str, county_name: str, kind: str = OrganisationKind.MUNICIPALITY) -> User:
    """An editor in a new organisation ``name`` in the given county."""
    county = CountyFactory(number=county_number, name=county_name, official_name=county_name)
    organisation = OrganisationFactory(name=name, kind=kind, county=county)
    user = UserFactory(email=f"editor@{organisation.slug}.no")
    MembershipFactory(user=user, organisation=organisation, role=Role.EDITOR)
    return user
