"""The "may this user …" rules of core.permissions, with the shared cast: `innovator` (editor) and `leader` (admin)
and `colleague` (member) of Øygarden, `outsider` (editor of Bodø), `operator`, and anonymous visitors."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import translation

from nyskap.accounts.models import Membership
from nyskap.accounts.models import Role as AccountsRole
from nyskap.core import permissions
from nyskap.core.permissions import (
    EDITING_ROLES,
    Role,
    administers_any,
    edited_by,
    edits_for_any,
    is_admin_membership,
    is_admin_of,
    is_editor_of,
    is_member_of,
    is_operator,
    is_public_body_member,
    organisations_administered_by,
    organisations_edited_by,
    require_editor_of,
)
from nyskap.organisations.models import OrganisationKind
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_role_choices_are_the_ones_the_membership_field_stores():
    assert AccountsRole is Role
    assert Role.values == ["member", "editor", "admin"]
    assert list(EDITING_ROLES) == ["editor", "admin"]
    assert Membership._meta.get_field("role").choices == Role.choices


def test_when_roles_are_asked_then_each_persona_gets_exactly_its_own(
    home_municipality, other_municipality, innovator, leader, colleague, outsider, operator
):
    anonymous = AnonymousUser()
    cases = {
        # persona: (member, editor, admin) of Øygarden
        "innovator": (innovator, True, True, False),
        "leader": (leader, True, True, True),
        "colleague": (colleague, True, False, False),
        "outsider": (outsider, False, False, False),
        "operator": (operator, False, True, False),
        "anonymous": (anonymous, False, False, False),
        "nobody": (None, False, False, False),
    }
    for name, (user, member, editor, admin) in cases.items():
        assert is_member_of(user, home_municipality) is member, name
        assert is_editor_of(user, home_municipality) is editor, name
        assert is_admin_of(user, home_municipality) is admin, name
    assert is_editor_of(outsider, other_municipality) is True


def test_when_an_editor_is_deactivated_then_no_role_counts_any_more(home_municipality, innovator, leader):
    innovator.is_active = False
    leader.is_active = False
    assert is_member_of(innovator, home_municipality) is False
    assert is_editor_of(innovator, home_municipality) is False
    assert is_admin_of(leader, home_municipality) is False


def test_when_an_outsider_requires_the_editor_role_then_it_is_refused_with_the_organisation_named(
    home_municipality, innovator, operator, outsider, colleague
):
    require_editor_of(innovator, home_municipality)
    require_editor_of(operator, home_municipality)
    for refused in (outsider, colleague, AnonymousUser(), None):
        with translation.override("en"), pytest.raises(PermissionDenied) as refusal:
            require_editor_of(refused, home_municipality)
        assert str(refusal.value) == "Only editors and administrators of Øygarden kommune can do this."


def test_organisations_edited_by_lists_only_the_editing_memberships(
    home_municipality, other_municipality, innovator, leader, colleague, outsider, operator
):
    third = OrganisationFactory(name="Alver kommune", slug="alver", kind=OrganisationKind.MUNICIPALITY)
    MembershipFactory(user=innovator, organisation=third, role=Role.MEMBER)
    MembershipFactory(user=leader, organisation=third, role=Role.ADMIN)

    def slugs(queryset):
        return sorted(queryset.values_list("slug", flat=True))

    assert slugs(organisations_edited_by(innovator)) == ["oygarden"]
    assert slugs(organisations_edited_by(leader)) == ["alver", "oygarden"]
    assert slugs(organisations_edited_by(colleague)) == []
    assert slugs(organisations_edited_by(outsider)) == ["bodo"]
    assert slugs(organisations_edited_by(operator)) == []  # callers that let operators act for all say so
    assert slugs(organisations_edited_by(AnonymousUser())) == []
    assert slugs(organisations_administered_by(leader)) == ["alver", "oygarden"]
    assert slugs(organisations_administered_by(innovator)) == []
    assert slugs(organisations_administered_by(AnonymousUser())) == []


def test_edited_by_filters_another_models_rows_through_its_organisation_relation(
    innovator, leader, colleague, outsider
):
    # Membership stands in for any model with an `organisation` relation: its rows whose organisation the user
    # edits for, here the Øygarden memberships.
    def emails(user):
        rows = Membership.objects.filter(edited_by(user, organisation="organisation"))
        return sorted(rows.values_list("user__email", flat=True))

    assert emails(innovator) == sorted([innovator.email, leader.email, colleague.email])
    assert emails(outsider) == [outsider.email]
    assert emails(colleague) == []


def test_admin_and_editor_checks_on_loaded_memberships_and_ids(
    home_municipality, other_municipality, leader, innovator
):
    assert is_admin_membership(leader.memberships.get()) is True
    assert is_admin_membership(innovator.memberships.get()) is False
    assert administers_any(leader) is True
    assert administers_any(innovator) is False
    assert edits_for_any(innovator, [home_municipality.pk, other_municipality.pk]) is True
    assert edits_for_any(innovator, [other_municipality.pk]) is False


def test_public_body_membership_counts_any_role_in_a_public_body_only(home_municipality, colleague, outsider):
    company = OrganisationFactory(name="Leverandør AS", slug="leverandor", kind=OrganisationKind.COMPANY)
    supplier = UserFactory(email="selger@leverandor.no")
    MembershipFactory(user=supplier, organisation=company, role=Role.ADMIN)
    assert is_public_body_member(colleague) is True
    assert is_public_body_member(outsider) is True
    assert is_public_body_member(supplier) is False


def test_operators_are_active_staff_or_superusers_only():
    assert is_operator(UserFactory(email="stab@nyskap.no", is_staff=True)) is True
    assert is_operator(UserFactory(email="super@nyskap.no", is_superuser=True)) is True
    assert is_operator(UserFactory(email="borte@nyskap.no", is_staff=True, is_active=False)) is False
    assert is_operator(UserFactory(email="vanlig@nyskap.no")) is False
    assert is_operator(AnonymousUser()) is False
    assert is_operator(None) is False


def test_the_old_homes_hand_out_the_same_rules():
    from nyskap.core import visibility

    assert visibility.is_operator is permissions.is_operator
    assert visibility.can_view is permissions.can_view
    assert visibility.can_edit is permissions.can_edit
    assert visibility.Visibility is permissions.Visibility


def test_when_administering_is_asked_then_only_the_organisations_admins_and_operators_may(
    home_municipality, other_municipality, innovator, leader, colleague, outsider, operator
):
    from nyskap.core.permissions import may_administer

    allowed = {
        name: may_administer(user, home_municipality)
        for name, user in {
            "innovator": innovator,
            "leader": leader,
            "colleague": colleague,
            "outsider": outsider,
            "operator": operator,
            "anonymous": AnonymousUser(),
            "nobody": None,
        }.items()
    }
    assert allowed == {
        "innovator": False,
        "leader": True,
        "colleague": False,
        "outsider": False,
        "operator": True,
        "anonymous": False,
        "nobody": False,
    }
    assert may_administer(leader, other_municipality) is False
