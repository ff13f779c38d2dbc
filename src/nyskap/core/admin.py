from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from auditlog.mixins import AuditlogHistoryAdminMixin
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse


class _KnownValuesOnly:
    """An autocomplete widget that shows again only the submitted values its field can hold. Django's own looks up
    every submitted value (``id__in=[…]``), so a form sent back with a value that is no id ("a\\x00b") failed with a
    server error instead of showing the field's error."""

    field: Any

    def optgroups(
        self, name: str, value: Sequence[str], attr: Any = None
    ) -> list[tuple[str | None, list[dict[str, Any]], int | None]]:
        target = self.field.target_field
        valid = []
        for item in value:
            try:
                known = target.to_python(item)
            except (ValidationError, ValueError, TypeError):
                continue
            if isinstance(item, str) and "\x00" in item:
                continue
            if isinstance(known, int) and not -(2**63) <= known < 2**63:  # beyond what a database integer holds
                continue
            valid.append(item)
        return super().optgroups(name, valid, attr)  # type: ignore[misc]


class SafeAutocompleteSelect(_KnownValuesOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_KnownValuesOnly, AutocompleteSelectMultiple):
    pass


class AuditHistoryAdminMixin(AuditlogHistoryAdminMixin):
    """django-auditlog's history view for an object, answering 404 (not a server error) for an unknown object; and
    autocomplete fields that show a refused value as the field's error, not a server error."""

    show_auditlog_history_link = True

    def auditlog_history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        if self.get_object(request, unquote(object_id)) is None:  # type: ignore[attr-defined]
            raise Http404
        return super().auditlog_history_view(request, object_id, extra_context)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):  # type: ignore[attr-defined]
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))  # type: ignore[attr-defined]
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):  # type: ignore[attr-defined]
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))  # type: ignore[attr-defined]
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
