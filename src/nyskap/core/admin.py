from __future__ import annotations

from auditlog.mixins import AuditlogHistoryAdminMixin
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpRequest, HttpResponse


class AuditHistoryAdminMixin(AuditlogHistoryAdminMixin):
    """django-auditlog's history view for an object, answering 404 (not a server error) for an unknown object."""

    show_auditlog_history_link = True

    def auditlog_history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        if self.get_object(request, unquote(object_id)) is None:  # type: ignore[attr-defined]
            raise Http404
        return super().auditlog_history_view(request, object_id, extra_context)
