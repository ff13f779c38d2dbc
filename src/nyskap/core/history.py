"""Change histories as readers see them: a changed field named by its label in the reader's language, never by its
name in the code (``closes_on``, ``name_nb``, ``benefit_plans``)."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.db.models.fields.reverse_related import ForeignObjectRel
from django.utils.translation import gettext as _


def field_label(model: type[Model], name: str) -> str:
    """The label of a field the audit log names: its verbose name; for a relation from another model (the
    project's attachments), that model's plural name; "Other field" for a field no longer on the model."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return _("Other field")
    if isinstance(field, ForeignObjectRel):
        label = str(field.related_model._meta.verbose_name_plural)  # type: ignore[union-attr]
    else:
        label = str(getattr(field, "verbose_name", "") or _("Other field"))
    return label[:1].upper() + label[1:]


def field_labels(model: type[Model], names: object) -> list[str]:
    """The labels of the changed fields, sorted as read."""
    return sorted({field_label(model, str(name)) for name in (names or ())})  # type: ignore[attr-defined]


def action_label(action: int) -> str:
    """What an audit log entry did, in the reader's language (the audit library ships no Norwegian)."""
    labels = {0: _("Created"), 1: _("Changed"), 2: _("Deleted"), 3: _("Read")}
    return labels.get(action, _("Changed"))
