from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nyskap.organisations.models import Organisation

from . import services
from .forms import AccountDeleteForm, InvitationForm, JoinRequestForm, ProfileForm, RoleForm, SupplierProfileForm
from .models import Invitation, InvitationStatus, JoinRequest, JoinRequestStatus, Membership, Role, SupplierProfile
from .services import AccessDenied, ServiceError


def _user(request: HttpRequest) -> Any:
    return request.user


# Own account


@login_required
@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    memberships = user.memberships.select_related("organisation").order_by("organisation__name")
    join_requests = user.join_requests.filter(status=JoinRequestStatus.PENDING).select_related("organisation")
    return render(
        request,
        "accounts/profile.html",
        {
            "memberships": memberships,
            "join_requests": join_requests,
            "admin_role": Role.ADMIN,
            "supplier": SupplierProfile.objects.filter(user=user).first(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            services.user_update_profile(user=user, **form.cleaned_data)
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
        return render(request, "accounts/profile_edit.html", {"form": form}, status=400)
    form = ProfileForm(initial={"name": user.name, "title": user.title, "phone": user.phone, "language": user.language})
    return render(request, "accounts/profile_edit.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def supplier_profile_edit(request: HttpRequest) -> HttpResponse:
    """Register or change the company the user answers public needs for."""
    user = _user(request)
    profile = SupplierProfile.objects.filter(user=user).first()
    if request.method == "POST":
        form = SupplierProfileForm(request.POST)
        if form.is_valid():
            try:
                services.supplier_profile_save(user=user, **form.cleaned_data)
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Your supplier profile has been saved."))
                return redirect("accounts:profile")
        return render(request, "accounts/supplier_profile_edit.html", {"form": form, "profile": profile}, status=400)
    if profile:
        initial = {name: getattr(profile, name) for name in services.SUPPLIER_FIELDS}
    else:
        initial = {"contact_email": user.email, "contact_phone": user.phone}
    form = SupplierProfileForm(initial=initial)
    return render(request, "accounts/supplier_profile_edit.html", {"form": form, "profile": profile})


@login_required
@require_POST
def supplier_profile_delete(request: HttpRequest) -> HttpResponse:
    if services.supplier_profile_delete(user=_user(request)):
        messages.success(request, _("Your supplier profile has been removed."))
    return redirect("accounts:profile")


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        form = AccountDeleteForm(request.POST, user=user)
        if form.is_valid():
            try:
                services.account_delete(user=user)
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                logout(request)
                messages.success(request, _("Your account has been deleted."))
                return redirect("portal:home")
        return render(request, "accounts/account_delete.html", {"form": form}, status=400)
    return render(request, "accounts/account_delete.html", {"form": AccountDeleteForm(user=user)})


@login_required
def mfa_required_view(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/mfa_required.html")


# Organisation members


def _managed_organisation(request: HttpRequest, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not services.can_manage_members(request.user, organisation):
        raise PermissionDenied
    return organisation


def _role_form(membership: Membership, data: Any = None) -> RoleForm:
    return RoleForm(
        data,
        prefix=f"member-{membership.pk}",
        initial={"role": membership.role},
        member_name=str(membership.user),
    )


def _render_members(
    request: HttpRequest,
    organisation: Organisation,
    *,
    invite_form: InvitationForm | None = None,
    bound_role_form: tuple[int, RoleForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    memberships = list(
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__name", "user__email")
    )
    rows = []
    for membership in memberships:
        form = bound_role_form[1] if bound_role_form and bound_role_form[0] == membership.pk else _role_form(membership)
        rows.append({"membership": membership, "form": form})
    invitations = Invitation.objects.filter(organisation=organisation, status=InvitationStatus.PENDING).select_related(
        "invited_by"
    )
    join_requests = JoinRequest.objects.filter(
        organisation=organisation, status=JoinRequestStatus.PENDING
    ).select_related("user")
    context = {
        "organisation": organisation,
        "rows": rows,
        "invite_form": invite_form or InvitationForm(initial={"language": _user(request).email_language}),
        "invitations": invitations,
        "join_requests": join_requests,
    }
    return render(request, "accounts/members.html", context, status=status)


@login_required
@require_GET
def members(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _managed_organisation(request, slug)
    return _render_members(request, organisation)


@login_required
@require_POST
def membership_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _managed_organisation(request, slug)
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk, organisation=organisation)
    form = _role_form(membership, request.POST)
    if form.is_valid():
        try:
            membership = services.membership_change_role(
                membership=membership, role=form.cleaned_data["role"], actor=_user(request)
            )
        except AccessDenied as exc:
            raise PermissionDenied from exc
        except ServiceError as exc:
            form.add_error("role", exc.message)
        else:
            message = _("The role of %(name)s is now %(role)s.") % {
                "name": membership.user,
                "role": membership.get_role_display(),
            }
            if request.htmx:  # type: ignore[attr-defined]
                row = {"membership": membership, "form": _role_form(membership)}
                return render(
                    request,
                    "accounts/_member_row.html",
                    {"organisation": organisation, "row": row, "status_message": message},
                )
            messages.success(request, message)
            return redirect("accounts:members", slug=organisation.slug)
    if request.htmx:  # type: ignore[attr-defined]
        # htmx swaps only successful responses by default, so the row with its error comes back with 200.
        return render(
            request,
            "accounts/_member_row.html",
            {"organisation": organisation, "row": {"membership": membership, "form": form}},
        )
    return _render_members(request, organisation, bound_role_form=(membership.pk, form), status=400)


@login_required
@require_POST
def membership_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _managed_organisation(request, slug)
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk, organisation=organisation)
    try:
        services.membership_remove(membership=membership, actor=_user(request))
    except AccessDenied as exc:
        raise PermissionDenied from exc
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(name)s is no longer a member of %(organisation)s.")
            % {"name": membership.user, "organisation": organisation},
        )
    return redirect("accounts:members", slug=organisation.slug)


@login_required
@require_POST
def invitation_create(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _managed_organisation(request, slug)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invitation_create(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=_user(request),
                language=form.cleaned_data["language"],
            )
        except AccessDenied as exc:
            raise PermissionDenied from exc
        except ServiceError as exc:
            form.add_error("email", exc.message)
        else:
            messages.success(request, _("An invitation has been sent to %(email)s.") % {"email": invitation.email})
            return redirect("accounts:members", slug=organisation.slug)
    return _render_members(request, organisation, invite_form=form, status=400)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _managed_organisation(request, slug)
    invitation = get_object_or_404(Invitation, pk=pk, organisation=organisation)
    try:
        services.invitation_revoke(invitation=invitation, actor=_user(request))
    except AccessDenied as exc:
        raise PermissionDenied from exc
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The invitation to %(email)s has been withdrawn.") % {"email": invitation.email})
    return redirect("accounts:members", slug=organisation.slug)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.select_related("organisation", "invited_by"), token=token)
    context: dict[str, Any] = {"invitation": invitation, "error": services.invitation_problem(invitation)}
    if request.method == "POST":
        try:
            membership = services.invitation_accept(invitation=invitation, user=_user(request))
        except ServiceError as exc:
            context["error"] = exc.message
            status = 403 if isinstance(exc, AccessDenied) else 400
            return render(request, "accounts/invitation_accept.html", context, status=status)
        messages.success(
            request,
            _("You are now a member of %(organisation)s.") % {"organisation": membership.organisation},
        )
        return redirect("accounts:profile")
    return render(request, "accounts/invitation_accept.html", context)


# Requests to join


@login_required
@require_http_methods(["GET", "POST"])
def join_request_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = JoinRequestForm(request.POST)
        if form.is_valid():
            try:
                join_request = services.join_request_create(
                    user=_user(request),
                    organisation=form.cleaned_data["organisation"],
                    role=form.cleaned_data["role"],
                    message=form.cleaned_data["message"],
                )
            except ServiceError as exc:
                form.add_error("organisation", exc.message)
            else:
                messages.success(
                    request,
                    _("Your request to join %(organisation)s has been sent.")
                    % {"organisation": join_request.organisation},
                )
                return redirect("accounts:profile")
        return render(request, "accounts/join_request.html", {"form": form}, status=400)
    return render(request, "accounts/join_request.html", {"form": JoinRequestForm()})


@login_required
@require_POST
def join_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    join_request = get_object_or_404(JoinRequest.objects.select_related("organisation", "user"), pk=pk)
    if not services.can_decide_join_request(request.user, join_request):
        raise PermissionDenied
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        messages.error(request, _("Choose whether to approve or reject the request."))
    else:
        try:
            services.join_request_decide(join_request=join_request, approve=decision == "approve", actor=_user(request))
        except AccessDenied as exc:
            raise PermissionDenied from exc
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            if decision == "approve":
                text = _("%(name)s is now a member of %(organisation)s.")
            else:
                text = _("The request from %(name)s to join %(organisation)s has been rejected.")
            messages.success(request, text % {"name": join_request.user, "organisation": join_request.organisation})
    next_url = request.POST.get("next", "")
    # Only a path on this site, without control characters: redirect() would take a bare word for a view's name.
    if (
        next_url.startswith("/")
        and not any(ord(character) < 32 or character == "\x7f" for character in next_url)
        and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return HttpResponseRedirect(next_url)
    if services.can_manage_members(request.user, join_request.organisation):
        return redirect("accounts:members", slug=join_request.organisation.slug)
    return redirect(reverse("accounts:operator_join_requests"))


@login_required
@require_GET
def operator_join_requests(request: HttpRequest) -> HttpResponse:
    if not services.is_operator(request.user):
        raise PermissionDenied
    join_requests = (
        JoinRequest.objects.filter(status=JoinRequestStatus.PENDING)
        .exclude(organisation_id__in=Membership.objects.admins().values("organisation_id"))
        .select_related("user", "organisation")
        .order_by("created_at")
    )
    return render(request, "accounts/operator_join_requests.html", {"join_requests": join_requests})
