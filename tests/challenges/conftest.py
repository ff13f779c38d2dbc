from __future__ import annotations

import pytest
from django.test import Client

from nyskap.accounts.models import Role, User
from nyskap.organisations.models import Organisation, OrganisationKind

from ..accounts.factories import MembershipFactory, SupplierProfileFactory, UserFactory
from ..organisations.factories import OrganisationFactory
from .factories import make_challenge, open_for_proposals


@pytest.fixture
def supplier(db) -> User:
    user = UserFactory(email="gründer@start.no", name="Siri Start", language="en")
    SupplierProfileFactory(user=user, company_name="Start AS")
    return user


@pytest.fixture
def other_supplier(db) -> User:
    user = UserFactory(email="konkurrent@annen.no", name="Kim Konkurrent")
    SupplierProfileFactory(user=user, company_name="Konkurrent AS")
    return user


@pytest.fixture
def company(db) -> Organisation:
    return OrganisationFactory(name="Privat AS", slug="privat", kind=OrganisationKind.COMPANY)


@pytest.fixture
def challenge(innovator, home_municipality):
    return make_challenge(actor=innovator, owner=home_municipality)


@pytest.fixture
def open_challenge(challenge, innovator):
    return open_for_proposals(challenge, innovator)


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def co_owner_non_member(db) -> User:
    """An editor of a third body that is not an owner of anything."""
    org = OrganisationFactory(name="Askøy kommune", slug="askoy", kind=OrganisationKind.MUNICIPALITY)
    user = UserFactory(email="askoy@askoy.kommune.no")
    MembershipFactory(user=user, organisation=org, role=Role.EDITOR)
    return user
