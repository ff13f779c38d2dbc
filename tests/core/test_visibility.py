from __future__ import annotations

import pytest

from nyskap.core.visibility import Visibility
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.organisations.factories import OrganisationFactory
from tests.visibility_app.models import Note

pytestmark = pytest.mark.django_db


@pytest.fixture
def notes(home_municipality, innovator):
    created = {}
    for level in Visibility.values:
        note = Note.objects.create(title=level, visibility=level)
        note.owners.add(home_municipality)
        note.authors.add(innovator)
        created[level] = note
    return created


@pytest.fixture
def company_user(db):
    company = OrganisationFactory(name="Start-up AS", slug="startup", kind="company")
    user = UserFactory(email="grunder@startup.no")
    MembershipFactory(user=user, organisation=company, role="admin")
    return user


def titles(queryset) -> set[str]:
    return set(queryset.values_list("title", flat=True))


def test_when_anonymous_lists_then_only_public_is_visible(notes):
    from django.contrib.auth.models import AnonymousUser

    assert titles(Note.objects.visible_to(AnonymousUser())) == {"public"}
    assert titles(Note.objects.visible_to(None)) == {"public"}


def test_when_author_lists_then_the_draft_is_visible_too(notes, innovator):
    assert titles(Note.objects.visible_to(innovator)) == {"draft", "organisation", "network", "public"}


def test_when_colleague_lists_then_organisation_but_not_draft_is_visible(notes, colleague):
    assert titles(Note.objects.visible_to(colleague)) == {"organisation", "network", "public"}


def test_when_outsider_from_another_public_body_lists_then_network_and_public_are_visible(notes, outsider):
    assert titles(Note.objects.visible_to(outsider)) == {"network", "public"}


def test_when_company_member_lists_then_network_stays_hidden(notes, company_user):
    assert titles(Note.objects.visible_to(company_user)) == {"public"}


def test_when_operator_lists_then_everything_is_visible(notes, operator):
    assert titles(Note.objects.visible_to(operator)) == set(Visibility.values)


def test_when_deactivated_member_lists_then_only_public_is_visible(notes, colleague):
    colleague.is_active = False
    colleague.save()
    assert titles(Note.objects.visible_to(colleague)) == {"public"}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("innovator", {"draft": True, "organisation": True, "network": True, "public": True}),
        ("colleague", {"draft": False, "organisation": True, "network": True, "public": True}),
        ("outsider", {"draft": False, "organisation": False, "network": True, "public": True}),
    ],
)
def test_when_checking_one_object_then_the_rule_agrees_with_the_list(notes, persona, expected, request):
    user = request.getfixturevalue(persona)
    for level, allowed in expected.items():
        assert user.has_perm("core.view_object", notes[level]) is allowed, (persona, level)
    listed = titles(Note.objects.visible_to(user))
    assert listed == {level for level, allowed in expected.items() if allowed}


def test_when_checking_edit_rights_then_editors_of_owner_may_edit_and_members_may_not(
    notes, innovator, colleague, outsider, leader
):
    note = notes["organisation"]
    note.authors.clear()
    assert innovator.has_perm("core.change_object", note) is True  # editor of the owner
    assert leader.has_perm("core.change_object", note) is True  # admin of the owner
    assert colleague.has_perm("core.change_object", note) is False  # member only
    assert outsider.has_perm("core.change_object", note) is False


def test_when_visible_list_is_built_then_it_filters_in_one_query(notes, colleague, django_assert_num_queries):
    # Membership ids and the public-body check are looked up first, then one filtered query.
    with django_assert_num_queries(3):
        assert len(list(Note.objects.visible_to(colleague))) == 3
