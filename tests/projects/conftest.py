"""Project-library fixtures on top of the shared cast in tests/conftest.py."""

from __future__ import annotations

from typing import Any

import pytest

from nyskap.accounts.models import Role, User
from nyskap.core.visibility import Visibility
from nyskap.organisations.models import Organisation, OrganisationKind
from nyskap.projects.models import Project
from nyskap.projects.services import project_create

from ..factories import CountyFactory, MembershipFactory, OrganisationFactory, UserFactory

NEED = {
    "need_problem": "Eldre som bor hjemme får middag levert kald.",
    "need_who": "Hjemmeboende eldre med vedtak om matombringing.",
    "need_today": "Kjølt mat leveres to ganger i uka.",
    "need_effect": "Varm mat hver dag og bedre ernæring.",
}


def make_project(*, actor: User, owner: Organisation, title: str = "Varm mat", **fields: Any) -> Project:
    return project_create(actor=actor, owner=owner, title=title, **{**NEED, **fields})


@pytest.fixture
def project(innovator, home_municipality) -> Project:
    return make_project(actor=innovator, owner=home_municipality, visibility=Visibility.ORGANISATION)


def editor_in(name: str, *, county_number: str, county_name: str, kind: str = OrganisationKind.MUNICIPALITY) -> User:
    county = CountyFactory(number=county_number, name=county_name, official_name=county_name)
    organisation = OrganisationFactory(name=name, kind=kind, county=county)
    user = UserFactory(email=f"editor@{organisation.slug}.no")
    MembershipFactory(user=user, organisation=organisation, role=Role.EDITOR)
    return user
