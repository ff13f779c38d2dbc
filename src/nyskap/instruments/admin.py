"""Operators' admin for the instrument catalogue, with the audit history of each entry. Instrument owners work
on the catalogue pages, where every value is checked by `services`."""

from __future__ import annotations

from django.contrib import admin

from nyskap.core.admin import AuditHistoryAdminMixin as HistoryAdminMixin

from .models import Call, Instrument, InstrumentOwnerRole, InstrumentUse, MatcherProfile


class CallInline(admin.TabularInline):
    model = Call
    extra = 0
    fields = ["title", "opens_on", "closes_on", "budget", "url", "is_example"]


@admin.register(Instrument)
class InstrumentAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["name_nb", "status", "verification", "requires_open_call", "owner_edited", "is_synthetic"]
    list_filter = ["status", "verification", "requires_open_call", "owner_edited", "is_synthetic"]
    search_fields = ["name_nb", "name_nn", "name_en", "owner_text", "slug"]
    filter_horizontal = ["owners"]
    inlines = [CallInline]


@admin.register(Call)
class CallAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["title", "instrument", "opens_on", "closes_on", "is_example"]
    list_filter = ["is_example"]
    search_fields = ["title", "instrument__name_nb"]
    autocomplete_fields = ["instrument"]


@admin.register(InstrumentOwnerRole)
class InstrumentOwnerRoleAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["user", "organisation", "granted_by", "granted_at"]
    search_fields = ["user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    readonly_fields = ["granted_by", "granted_at"]


@admin.register(InstrumentUse)
class InstrumentUseAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["project", "instrument", "year", "outcome", "amount"]
    list_filter = ["outcome", "year"]
    autocomplete_fields = ["project", "instrument"]


@admin.register(MatcherProfile)
class MatcherProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "label", "created_at", "last_notified_on"]
    search_fields = ["user__email", "label"]
