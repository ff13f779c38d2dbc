"""The admin for operators. Proposals are commercially confidential: the admin shows their metadata only — never
their text or attachment. An operator reads the content through the page that asks for a reason and logs it
(`views.proposal_operator_read`, `ProposalAccess`)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Challenge, Outcome, Proposal, ProposalAccess, Question, SharedNeed, SupplierFollow

# The admin's list filters by any of a model's own fields named in the address (`?text__startswith=A`); counting
# the hits would read a proposal piece by piece without a stated reason. These lookups are refused (400).
CONFIDENTIAL_LOOKUPS = {"text", "attachment"}


def _confidential(lookup: str) -> bool:
    return lookup.split("__")[0] in CONFIDENTIAL_LOOKUPS


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ["title", "procedure", "status", "bodies_count", "is_example", "updated_at"]
    list_filter = ["status", "procedure", "sector", "is_example"]
    search_fields = ["title"]
    readonly_fields = ["slug", "status", "status_changed_at", "bodies_count"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """Metadata only: no text, no attachment."""

    list_display = ["challenge", "supplier", "status", "submitted_at", "shortlisted"]
    list_filter = ["status", "shortlisted"]
    fields = ["challenge", "supplier", "status", "submitted_at", "receipt_hash", "shortlisted", "outcome_sent_at"]
    readonly_fields = [
        "challenge",
        "supplier",
        "status",
        "submitted_at",
        "receipt_hash",
        "shortlisted",
        "outcome_sent_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        if _confidential(lookup):
            return False
        return bool(super().lookup_allowed(lookup, value, request))


@admin.register(ProposalAccess)
class ProposalAccessAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "proposal", "reason"]
    readonly_fields = ["at", "user", "proposal", "reason"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.register(Question)
admin.site.register(SharedNeed)
admin.site.register(SupplierFollow)
admin.site.register(Outcome)
