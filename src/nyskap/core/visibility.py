"""The visibility model shared by every module's content (ARCHITECTURE.md, access control).

An object is owned by one or more organisations and has one of four visibility levels:

- ``draft``: only its authors (and platform operators) see it;
- ``organisation``: members of the owning organisations see it;
- ``network``: every signed-in user who is a member of a public body sees it;
- ``public``: everybody, also anonymous visitors.

Lists filter in the database (``VisibleQuerySet.visible_to``); single objects are checked with the ``rules``
predicate ``core.view_object`` (``can_view``). Both read the same definition, so a list never shows what the detail
page would refuse.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from nyskap.accounts.models import User


class Visibility(models.TextChoices):
    DRAFT = "draft", _("Draft (authors only)")
    ORGANISATION = "organisation", _("Own organisation")
    NETWORK = "network", _("Public-sector network (signed-in public bodies)")
    PUBLIC = "public", _("Public")


def is_operator(user: Any) -> bool:
    """A platform operator: an active staff member or superuser. The one definition every app uses."""
    return bool(user and user.is_authenticated and user.is_active and (user.is_superuser or user.is_staff))


def _public_body_member(user: Any) -> bool:
    from nyskap.organisations.models import OrganisationKind

    return user.memberships.filter(organisation__kind__in=OrganisationKind.public_sector()).exists()


def _through_own_field(model: Any, relation: str) -> str:
    """The through table's column that points back at `model` (e.g. ``project_id``)."""
    return str(getattr(model, relation).field.m2m_column_name())


def _through_user_field(model: Any) -> str:
    return str(model.authors.field.m2m_reverse_name())


def _through_org_field(model: Any) -> str:
    return str(model.owners.field.m2m_reverse_name())


class VisibleQuerySet(models.QuerySet):
    """QuerySet for models with ``visibility``, ``owners`` (M2M to Organisation) and ``authors`` (M2M to User)."""

    def visible_to(self, user: User | Any) -> VisibleQuerySet:
        if is_operator(user):
            return self.all()
        condition = Q(visibility=Visibility.PUBLIC)
        if user is not None and user.is_authenticated and user.is_active:
            # Relations are tested with subqueries rather than joins, so no row is repeated and no DISTINCT is
            # needed: the database can then walk the result in index order and stop early.
            model: Any = self.model
            authored = model.authors.through.objects.filter(**{_through_user_field(model): user.pk})
            condition |= Q(pk__in=authored.values(_through_own_field(model, "authors")))
            org_ids = list(user.memberships.values_list("organisation_id", flat=True))
            if org_ids:
                owned = model.owners.through.objects.filter(**{f"{_through_org_field(model)}__in": org_ids})
                condition |= Q(
                    visibility__in=[Visibility.ORGANISATION, Visibility.NETWORK],
                    pk__in=owned.values(_through_own_field(model, "owners")),
                )
            if _public_body_member(user):
                condition |= Q(visibility=Visibility.NETWORK)
        return self.filter(condition)


class VisibleModel(models.Model):
    """Abstract base for shared content. Subclasses add ``owners`` and ``authors`` relations."""

    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.DRAFT, db_index=True
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        abstract = True


@rules.predicate
def can_view(user: Any, obj: Any) -> bool:
    if obj is None:
        return False
    if obj.visibility == Visibility.PUBLIC or is_operator(user):
        return True
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if obj.authors.filter(pk=user.pk).exists():
        return True
    if obj.visibility == Visibility.DRAFT:
        return False
    if obj.visibility == Visibility.NETWORK and _public_body_member(user):
        return True
    owner_ids = set(obj.owners.values_list("pk", flat=True))
    return user.memberships.filter(organisation_id__in=owner_ids).exists()


@rules.predicate
def can_edit(user: Any, obj: Any) -> bool:
    """Authors, and editors or admins of an owning organisation, may edit."""
    if obj is None or user is None or not user.is_authenticated or not user.is_active:
        return False
    if is_operator(user) or obj.authors.filter(pk=user.pk).exists():
        return True
    owner_ids = set(obj.owners.values_list("pk", flat=True))
    return user.memberships.filter(organisation_id__in=owner_ids, role__in=["editor", "admin"]).exists()


rules.add_perm("core.view_object", can_view)
rules.add_perm("core.change_object", can_edit)
