"""Operators' admin for benefit realisation. A new parameter version (when R-109 or its rates change) is added here;
a version that plans already use is read-only, so every plan keeps meaning what it was computed with. Plans are
changed by their editors on the pages (through the services); the admin shows them with their audit history."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from nyskap.core.admin import AuditHistoryAdminMixin as HistoryAdminMixin

from .models import BenefitPlan, ParameterSet, PreventionSet


@admin.register(ParameterSet)
class ParameterSetAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["version", "in_force_from", "tax_financing_rate", "default_analysis_years"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.plans.exists():
            return [field.name for field in ParameterSet._meta.fields]
        return []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or not obj.plans.exists()


@admin.register(BenefitPlan)
class BenefitPlanAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["project", "version", "is_current", "status", "is_example", "updated_at"]
    list_filter = ["status", "is_current", "is_example"]
    search_fields = ["project__title"]
    raw_id_fields = ["project"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(PreventionSet)
class PreventionSetAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["name", "organisation", "is_example", "created_at"]
    list_filter = ["is_example"]
    raw_id_fields = ["organisation"]
