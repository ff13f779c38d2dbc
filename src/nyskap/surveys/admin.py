"""Operators' admin for questionnaires and rounds. A published version is shown read-only (it is frozen; the
action "New draft version" copies it for changes). Responses and invitations are not shown here: nobody, not even
an operator, should browse individual answers."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .errors import SurveyError
from .models import (
    Dimension,
    EmailDomain,
    EmailException,
    Item,
    Questionnaire,
    QuestionnaireVersion,
    Round,
    Unit,
)
from .services import version_new_draft, version_publish


class _FrozenWhenPublished:
    """Inline rows of a published version cannot be added, changed or deleted."""

    def _editable(self, obj: QuestionnaireVersion | None) -> bool:
        return obj is None or not obj.is_published

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)  # type: ignore[misc]


class DimensionInline(_FrozenWhenPublished, admin.TabularInline):
    model = Dimension
    extra = 0
    fields = ["order", "key", "name_nb", "name_nn", "name_en"]


class ItemInline(_FrozenWhenPublished, admin.StackedInline):
    model = Item
    extra = 0


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["key", "name_nb"]
    search_fields = ["key", "name_nb"]


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(admin.ModelAdmin):
    list_display = ["questionnaire", "number", "status", "published_on"]
    list_filter = ["status"]
    readonly_fields = ["status", "published_on"]
    inlines = [DimensionInline, ItemInline]
    actions = ["make_draft", "publish"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is not None and obj.is_published:
            return [
                "questionnaire",
                "number",
                "status",
                "published_on",
                "introduction_nb",
                "introduction_nn",
                "introduction_en",
            ]
        return list(self.readonly_fields)

    @admin.action(description=_("New draft version (copy)"))
    def make_draft(self, request: HttpRequest, queryset: QuerySet[QuestionnaireVersion]) -> None:
        for version in queryset:
            draft = version_new_draft(version=version)
            self.message_user(request, _("Created %(version)s.") % {"version": draft})

    @admin.action(description=_("Publish (freezes the version)"))
    def publish(self, request: HttpRequest, queryset: QuerySet[QuestionnaireVersion]) -> None:
        for version in queryset:
            try:
                version_publish(version=version)
            except SurveyError as error:
                self.message_user(request, f"{version}: {error.message}", level=messages.ERROR)


def _is_frozen(obj: Any) -> bool:
    return isinstance(obj, Round) and obj.frozen


class UnitInline(admin.TabularInline):
    """A frozen round's units are shown but cannot be added, renamed or removed."""

    model = Unit
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    """A frozen round (results seen, or used in comparisons) is read-only here too: an operator cannot reopen it,
    lower its threshold or move its dates (the model refuses it as well)."""

    list_display = ["title", "organisation", "opens_on", "closes_on", "closed_early", "threshold", "link_enabled"]
    list_filter = ["closed_early", "link_enabled"]
    search_fields = ["title", "organisation__name"]
    raw_id_fields = ["organisation", "version", "created_by"]
    readonly_fields = ["created_at", "results_opened", "in_comparisons"]
    inlines = [UnitInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if _is_frozen(obj):
            return [f.name for f in Round._meta.fields if f.editable] + list(self.readonly_fields)
        return list(self.readonly_fields)


@admin.register(EmailDomain)
class EmailDomainAdmin(admin.ModelAdmin):
    list_display = ["domain", "organisation"]
    search_fields = ["domain", "organisation__name"]
    raw_id_fields = ["organisation"]


@admin.register(EmailException)
class EmailExceptionAdmin(admin.ModelAdmin):
    """Addresses outside an organisation's domains that may be invited; the reason is required and the change is
    in the audit log."""

    list_display = ["email", "organisation", "reason", "added_by"]
    search_fields = ["email", "organisation__name"]
    raw_id_fields = ["organisation"]
    readonly_fields = ["added_by"]

    def save_model(self, request: HttpRequest, obj: EmailException, form: Any, change: bool) -> None:
        if not change:
            obj.added_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
