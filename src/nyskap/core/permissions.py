"""Every "may this user …" rule of the platform, in one place (docs/architecture.md, ARCHITECTURE.md access control).

- Operators (active staff or superusers) may do everything an editor may (`is_operator`).
- A person belongs to organisations through memberships with a `Role`: members see what their organisations own,
  editors and administrators (`EDITING_ROLES`) edit for the organisation, administrators also manage its members.
- Content has a `Visibility`; `can_view` and `can_edit` are the ``rules`` predicates behind the permissions
  ``core.view_object`` and ``core.change_object`` (``user.has_perm(...)``); ``VisibleQuerySet.visible_to`` in
  `nyskap.core.visibility` is the list form of `can_view` and uses the same pieces.

Apps ask these functions rather than filtering memberships by role themselves; tests/core/test_architecture.py
fails when a module elsewhere builds such a query. (The accounts app still writes memberships and keeps its
``Membership.objects.admins()`` for the last-administrator rule of member management.)

Why no import of ``accounts`` or ``organisations`` here: ``core`` is the bottom layer (docs/adr/0011), imported by
every app, so it may not import them back. The rules reach memberships through the relations the accounts app
declares (``user.memberships``, ``memberships__…`` lookups) and the Organisation model through the app registry
inside the functions, as Django's own ``get_user_model()`` does. The vocabularies the rules are written in, `Role`
and `Visibility`, live here; ``nyskap.accounts.models.Role`` and ``nyskap.core.visibility.Visibility`` are the
same classes, imported from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import rules
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    EDITOR = "editor", _("Editor")
    ADMIN = "admin", _("Administrator")


# The roles that edit for an organisation: register its projects, lead its survey rounds, save its plans.
EDITING_ROLES = (Role.EDITOR, Role.ADMIN)


class Visibility(models.TextChoices):
    DRAFT = "draft", _("Draft (authors only)")
    ORGANISATION = "organisation", _("Own organisation")
    NETWORK = "network", _("Public-sector network (signed-in public bodies)")
    PUBLIC = "public", _("Public")


def _organisation_model() -> Any:
    return apps.get_model("organisations", "Organisation")


def is_operator(user: Any) -> bool:
    """A platform operator: an active staff member or superuser. The one definition every app uses."""
    return bool(user and user.is_authenticated and user.is_active and (user.is_superuser or user.is_staff))


def _signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


# Organisation roles


def is_member_of(user: Any, organisation: Any) -> bool:
    """Any role in the organisation (operators are not members by being operators)."""
    return _signed_in(user) and user.memberships.filter(organisation=organisation).exists()


def is_editor_of(user: Any, organisation: Any) -> bool:
    """An editor or administrator of the organisation, or an operator: may edit for it (and lead its survey
    rounds, and see their results)."""
    if is_operator(user):
        return True
    return _signed_in(user) and user.memberships.filter(organisation=organisation, role__in=EDITING_ROLES).exists()


def require_editor_of(user: Any, organisation: Any) -> None:
    """`is_editor_of`, or `PermissionDenied` with a message fit to show."""
    if not is_editor_of(user, organisation):
        raise PermissionDenied(
            gettext("Only editors and administrators of %(organisation)s can do this.") % {"organisation": organisation}
        )


def is_admin_of(user: Any, organisation: Any) -> bool:
    """An administrator of the organisation (operators are not, by this rule; callers that let them in say so)."""
    return _signed_in(user) and user.memberships.filter(organisation=organisation, role=Role.ADMIN).exists()


def may_administer(user: Any, organisation: Any) -> bool:
    """Operators, and administrators of the organisation: who manages its members, invitations and requests to
    join, and who grants its instrument-owner roles."""
    return is_operator(user) or is_admin_of(user, organisation)


def administers_any(user: Any) -> bool:
    """An administrator of at least one organisation."""
    return bool(user.memberships.filter(role=Role.ADMIN).exists())


def is_admin_membership(membership: Any) -> bool:
    """The membership gives the administrator role (for memberships already loaded)."""
    return bool(membership.role == Role.ADMIN)


def edits_for_any(user: Any, organisation_ids: Iterable[int]) -> bool:
    """An editor or administrator of at least one of the organisations."""
    return bool(user.memberships.filter(organisation_id__in=organisation_ids, role__in=EDITING_ROLES).exists())


def organisations_edited_by(user: Any) -> QuerySet[Any]:
    """The organisations where ``user`` is an editor or administrator, as a queryset (unordered). Operators get
    their own memberships here too: callers that let operators act for any organisation say so."""
    organisation = _organisation_model()
    if user is None or not user.is_authenticated:
        return organisation.objects.none()
    return organisation.objects.filter(memberships__user=user, memberships__role__in=EDITING_ROLES)


def organisations_administered_by(user: Any) -> QuerySet[Any]:
    """The organisations where ``user`` is an administrator, as a queryset (unordered)."""
    organisation = _organisation_model()
    if user is None or not user.is_authenticated:
        return organisation.objects.none()
    return organisation.objects.filter(memberships__user=user, memberships__role=Role.ADMIN)


def editors_of(organisations: Iterable[Any] | QuerySet[Any]) -> QuerySet[Any]:
    """The active users who edit for any of the organisations (editors and administrators), each once: who gets
    an organisation's reminders."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__organisation__in=organisations,
            memberships__role__in=EDITING_ROLES,
        )
        .distinct()
    )


def edited_by(user: Any, *, organisation: str) -> Q:
    """A filter on another model: rows whose organisation (the relation named ``organisation``, e.g. ``"owners"``
    or ``"organisation"``) the user is an editor or administrator of."""
    return Q(**{f"{organisation}__memberships__user": user, f"{organisation}__memberships__role__in": EDITING_ROLES})


def is_public_body_member(user: Any) -> bool:
    """A member of a public body (any role): sees what is shared with the public-sector network."""
    public_sector = _organisation_model().objects.public_sector()
    return bool(user.memberships.filter(organisation__in=public_sector).exists())


# The rules predicates behind user.has_perm("core.view_object" / "core.change_object", obj), for content with
# ``visibility``, ``owners`` (organisations) and ``authors`` (users).


@rules.predicate
def can_view(user: Any, obj: Any) -> bool:
    if obj is None:
        return False
    if obj.visibility == Visibility.PUBLIC or is_operator(user):
        return True
    if not _signed_in(user):
        return False
    if obj.authors.filter(pk=user.pk).exists():
        return True
    if obj.visibility == Visibility.DRAFT:
        return False
    if obj.visibility == Visibility.NETWORK and is_public_body_member(user):
        return True
    owner_ids = set(obj.owners.values_list("pk", flat=True))
    return bool(user.memberships.filter(organisation_id__in=owner_ids).exists())


@rules.predicate
def can_edit(user: Any, obj: Any) -> bool:
    """Authors, and editors or admins of an owning organisation, may edit."""
    if obj is None or not _signed_in(user):
        return False
    if is_operator(user) or obj.authors.filter(pk=user.pk).exists():
        return True
    return edits_for_any(user, set(obj.owners.values_list("pk", flat=True)))


rules.add_perm("core.view_object", can_view)
rules.add_perm("core.change_object", can_edit)
