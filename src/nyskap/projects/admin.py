"""Operators' admin for the project library. Phase changes are read-only here: they are written by
`services.project_change_phase`, which checks the transition; the admin shows the timeline and the audit history."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from nyskap.core.admin import AuditHistoryAdminMixin as HistoryAdminMixin

from .models import Adoption, Attachment, FundingSource, Partner, PhaseChange, Project, Subscription


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0
    autocomplete_fields = ["organisation"]


class FundingSourceInline(admin.TabularInline):
    model = FundingSource
    extra = 0


class PhaseChangeInline(admin.TabularInline):
    model = PhaseChange
    extra = 0
    fields = ["at", "from_phase", "to_phase", "actor", "note"]
    readonly_fields = ["at", "from_phase", "to_phase", "actor", "note"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Project)
class ProjectAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["title", "phase", "visibility", "sector", "novelty", "is_synthetic", "updated_at"]
    list_filter = ["phase", "visibility", "sector", "novelty", "degree", "is_synthetic"]
    search_fields = ["title", "slug", "need_problem", "service_area"]
    autocomplete_fields = ["owners", "authors"]
    filter_horizontal = ["innovation_types", "sdgs", "life_events"]
    # The phase changes only through the phase service (it writes the timeline).
    readonly_fields = ["phase", "stopped_reason", "created_at", "updated_at"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PartnerInline, FundingSourceInline, PhaseChangeInline]
    show_auditlog_history_link = True


@admin.register(Adoption)
class AdoptionAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["source_project", "adopting_project", "adopting_organisation", "how", "adopted_on"]
    list_filter = ["how"]
    search_fields = ["source_project__title", "adopting_project__title", "adopting_organisation__name"]
    autocomplete_fields = ["source_project", "adopting_project", "adopting_organisation"]
    readonly_fields = ["source_phase", "created_by", "created_at"]
    show_auditlog_history_link = True


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "label", "created_at", "last_sent_at"]
    list_filter = ["kind"]
    search_fields = ["user__email", "label", "project__title", "organisation__name", "sector"]
    raw_id_fields = ["user", "project", "organisation"]
    list_select_related = ["user"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "size", "uploaded_by", "uploaded_at"]
    search_fields = ["title", "project__title"]
    raw_id_fields = ["project", "uploaded_by"]
