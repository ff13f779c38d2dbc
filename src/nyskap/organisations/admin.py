from django.contrib import admin

from nyskap.core.admin import AuditHistoryAdminMixin

from .models import County, Organisation


@admin.register(County)
class CountyAdmin(AuditHistoryAdminMixin, admin.ModelAdmin):
    list_display = ["number", "name", "official_name", "county_municipality", "county_governor"]
    search_fields = ["number", "name", "official_name"]
    autocomplete_fields = ["county_municipality", "county_governor"]


@admin.register(Organisation)
class OrganisationAdmin(AuditHistoryAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "organisation_number", "county", "population", "centrality_class", "ended_on"]
    list_filter = ["kind", "county", "size_band", "centrality_class"]
    search_fields = ["name", "official_name", "short_name", "legal_name", "organisation_number", "reference_key"]
    autocomplete_fields = ["parent", "county"]
    readonly_fields = ["size_band", "reference_key"]
    prepopulated_fields = {"slug": ["name"]}
