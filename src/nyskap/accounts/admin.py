from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from nyskap.core.admin import AuditHistoryAdminMixin

from . import services
from .models import Invitation, JoinRequest, Membership, SupplierProfile, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["organisation"]


class SupplierProfileInline(admin.StackedInline):
    model = SupplierProfile
    extra = 0
    max_num = 1
    readonly_fields = ["created_at", "updated_at"]


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "is_active", "is_staff", "last_login", "date_joined"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "name", "title"]
    ordering = ["email"]
    fields = [
        "email",
        "username",
        "name",
        "title",
        "phone",
        "is_active",
        "is_staff",
        "is_superuser",
        "groups",
        "last_login",
        "date_joined",
    ]
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = ["groups"]
    inlines = [MembershipInline, SupplierProfileInline]
    actions = ["deactivate_users"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        deactivating = change and "is_active" in form.changed_data and not obj.is_active
        if deactivating:
            # Save the other changes as active, then deactivate through the service so every session ends too.
            obj.is_active = True
            super().save_model(request, obj, form, change)
            services.user_deactivate(user=obj, actor=request.user)  # type: ignore[arg-type]
        else:
            super().save_model(request, obj, form, change)

    @admin.action(description=_("Deactivate selected users and end their sessions"))
    def deactivate_users(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        count = 0
        for user in queryset.filter(is_active=True):
            try:
                services.user_deactivate(user=user, actor=request.user)  # type: ignore[arg-type]
            except services.ServiceError as exc:
                self.message_user(request, f"{user}: {exc.message}", messages.ERROR)
            else:
                count += 1
        self.message_user(request, _("%(count)d users deactivated.") % {"count": count}, messages.SUCCESS)


@admin.register(Membership)
class MembershipAdmin(AuditHistoryAdminMixin, admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__email", "user__name", "organisation__name", "organisation__organisation_number"]
    raw_id_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "status", "invited_by", "created_at", "expires_at"]
    list_filter = ["status", "role"]
    search_fields = ["email", "organisation__name"]
    raw_id_fields = ["organisation", "invited_by"]
    readonly_fields = ["token", "accepted_by", "accepted_at", "created_at"]
    list_select_related = ["organisation", "invited_by"]


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status", "role"]
    search_fields = ["user__email", "user__name", "organisation__name"]
    raw_id_fields = ["user", "organisation"]
    readonly_fields = ["decided_by", "decided_at", "created_at"]
    list_select_related = ["user", "organisation", "decided_by"]
