"""The visibility model shared by every module's content (ARCHITECTURE.md, access control).

An object is owned by one or more organisations and has one of four visibility levels:

- ``draft``: only its authors (and platform operators) see it;
- ``organisation``: members of the owning organisations see it;
- ``network``: every signed-in user who is a member of a public body sees it;
- ``public``: everybody, also anonymous visitors.

Lists filter in the database (``VisibleQuerySet.visible_to``); single objects are checked with the ``rules``
permission ``core.view_object`` (``can_view`` in `nyskap.core.permissions`). Both read the same definition, so a
list never shows what the detail page would refuse.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The rules (who is an operator, who may see or edit what) live in core.permissions; they are re-exported here for
# the modules that import them from their older home.
from nyskap.core.permissions import Visibility, can_edit, can_view, is_operator, is_public_body_member

__all__ = ["Visibility", "VisibleModel", "VisibleQuerySet", "can_edit", "can_view", "is_operator"]


def _through_own_field(model: Any, relation: str) -> str:
    """The through table's column that points back at `model` (e.g. ``project_id``)."""
    return str(getattr(model, relation).field.m2m_column_name())


def _through_user_field(model: Any) -> str:
    return str(model.authors.field.m2m_reverse_name())


def _through_org_field(model: Any) -> str:
    return str(model.owners.field.m2m_reverse_name())


class VisibleQuerySet(models.QuerySet):
    """QuerySet for models with ``visibility``, ``owners`` (M2M to Organisation) and ``authors`` (M2M to User)."""

    def visible_to(self, user: Any) -> VisibleQuerySet:
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
            if is_public_body_member(user):
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
