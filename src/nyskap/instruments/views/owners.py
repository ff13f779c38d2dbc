"""Granting and revoking the instrument-owner role: an organisation's administrators (and operators) choose who
edits its instruments."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nyskap.core.permissions import organisations_administered_by
from nyskap.core.visibility import is_operator
from nyskap.organisations.models import Organisation

from .. import services
from ..forms import (
    OwnerRoleForm,
)
from ..models import InstrumentOwnerRole
from ..services import CatalogueError
from .common import add_service_error


def _grantable(user: Any) -> Any:
    if is_operator(user):
        return Organisation.objects.filter(instruments__isnull=False).distinct().order_by("name")
    return organisations_administered_by(user).order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def owner_roles(request: HttpRequest) -> HttpResponse:
    """Administrators of an organisation (and operators) give users the instrument-owner role for it."""
    organisations = _grantable(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = OwnerRoleForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        user = get_user_model().objects.filter(email__iexact=form.cleaned_data["email"]).first()
        try:
            role = services.owner_role_grant(
                organisation=form.cleaned_data["organisation"], user=user, actor=request.user
            )
        except CatalogueError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(user)s can now edit the instruments of %(organisation)s.")
                % {"user": role.user, "organisation": role.organisation},
            )
            return redirect("instruments:owner_roles")
    roles = InstrumentOwnerRole.objects.filter(organisation__in=organisations).select_related("user", "organisation")
    return render(request, "instruments/owner_roles.html", {"form": form, "roles": list(roles)})


@login_required
@require_POST
def owner_role_delete(request: HttpRequest, pk: int) -> HttpResponse:
    role = get_object_or_404(InstrumentOwnerRole, pk=pk)
    services.owner_role_revoke(role=role, actor=request.user)
    messages.success(request, _("The role was removed."))
    return redirect("instruments:owner_roles")
