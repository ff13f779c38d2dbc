"""Writes on users, memberships, invitations and requests to join. Each function owns its transaction, checks
access and validates before it saves, and raises `ServiceError` with a message fit to show the user.

E-mails are sent with Django's mail API inside the transaction; our mail backend queues them when it commits,
so a rolled-back change sends nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nyskap.core.mail import site_url
from nyskap.core.permissions import is_operator, may_administer
from nyskap.organisations.models import Organisation

from .models import (
    Invitation,
    InvitationStatus,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    Role,
    SupplierProfile,
    User,
)
from .security_log import security_event


class ServiceError(Exception):
    """A refused change; `message` is shown to the user as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AccessDenied(ServiceError):
    """The actor may not make this change (views answer 403)."""


# Access


def can_manage_members(user: Any, organisation: Organisation) -> bool:
    """Admins of the organisation and operators manage its members, invitations and requests to join."""
    return may_administer(user, organisation)


def _require_manager(actor: Any, organisation: Organisation) -> None:
    if not can_manage_members(actor, organisation):
        raise AccessDenied(_("Only administrators of the organisation can do this."))


def _validate_role(role: str) -> str:
    if role not in Role.values:
        raise ServiceError(_("Choose a valid role."))
    return role


def _is_last_admin(membership: Membership) -> bool:
    return (
        membership.role == Role.ADMIN
        and not Membership.objects.admins()
        .filter(organisation_id=membership.organisation_id)
        .exclude(pk=membership.pk)
        .exists()
    )


def _last_admin_message(organisation: Organisation) -> str:
    return _("%(organisation)s must have at least one administrator. Appoint another administrator first.") % {
        "organisation": organisation
    }


def _log_role_change(
    *, user: Any, organisation: Organisation, old_role: str | None, new_role: str | None, actor: Any
) -> None:
    security_event(
        "role_changed",
        user=user,
        organisation_id=organisation.pk,
        old_role=old_role,
        new_role=new_role,
        actor_id=getattr(actor, "pk", None),
    )


@contextlib.contextmanager
def _audit_without_actor() -> Iterator[None]:
    """Audit entries written while a user deletes their own account must not point at the deleted user."""
    from auditlog.context import auditlog_value, set_actor

    previous = auditlog_value.get(None)
    try:
        with set_actor(None):
            yield
    finally:
        if previous is not None:
            auditlog_value.set(previous)


def _user_owns_email(user: User, email: str) -> bool:
    email = email.strip().lower()
    if (user.email or "").lower() == email:
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


# Invitations


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, email: str, role: str, invited_by: User, language: str = ""
) -> Invitation:
    """An invitation e-mailed to someone who may have no account yet: written in the language chosen for them (the
    inviter's own e-mail language by default), which the account made from it starts with."""
    _require_manager(invited_by, organisation)
    email = email.strip().lower()
    _validate_role(role)
    language = language or invited_by.email_language
    if language not in dict(settings.LANGUAGES):
        raise ServiceError(_("Choose one of the languages."))
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ServiceError(_("This person is already a member of the organisation."))
    pending = Invitation.objects.select_for_update().filter(
        organisation=organisation, email__iexact=email, status=InvitationStatus.PENDING
    )
    for invitation in pending:
        if not invitation.is_expired:
            raise ServiceError(_("This person already has a pending invitation to the organisation."))
        # An expired invitation gives way to the new one (only one pending invitation per address).
        invitation.status = InvitationStatus.REVOKED
        invitation.save(update_fields=["status"])
    invitation = Invitation.objects.create(
        organisation=organisation, email=email, role=role, invited_by=invited_by, language=language
    )
    accept_url = site_url(reverse("accounts:invitation_accept", kwargs={"token": invitation.token}))
    with translation.override(language):
        _send_invitation(invitation, accept_url)
    security_event(
        "invitation_created",
        user=invited_by,
        organisation_id=organisation.pk,
        invitation_id=invitation.pk,
        role=role,
    )
    return invitation


def _send_invitation(invitation: Invitation, accept_url: str) -> None:
    organisation, invited_by, email = invitation.organisation, invitation.invited_by, invitation.email
    send_mail(
        subject=_("Invitation to %(organisation)s on Nyskap") % {"organisation": organisation},
        message=_(
            "%(inviter)s has invited you to join %(organisation)s on Nyskap as %(role)s.\n\n"
            "Accept the invitation here (log in or sign up with this e-mail address first):\n%(url)s\n\n"
            "The invitation expires on %(expires)s."
        )
        % {
            "inviter": invited_by,
            "organisation": organisation,
            "role": invitation.get_role_display(),
            "url": accept_url,
            "expires": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d"),
        },
        from_email=None,
        recipient_list=[email],
    )


def invitation_problem(invitation: Invitation) -> str | None:
    """Why the invitation can no longer be accepted, or None."""
    if invitation.status == InvitationStatus.ACCEPTED:
        return _("The invitation has already been used.")
    if invitation.status == InvitationStatus.REVOKED:
        return _("The invitation has been withdrawn by the administrator.")
    if invitation.is_expired:
        return _("The invitation has expired. Ask the administrator for a new one.")
    return None


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    problem = invitation_problem(invitation)
    if problem:
        raise ServiceError(problem)
    if not _user_owns_email(user, invitation.email):
        raise AccessDenied(
            _("The invitation was sent to another e-mail address. Log in with the address the invitation was sent to.")
        )
    organisation = invitation.organisation
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ServiceError(_("You are already a member of the organisation."))
    membership = Membership.objects.create(user=user, organisation=organisation, role=invitation.role)
    if not user.language and invitation.language:
        user.language = invitation.language
        user.save(update_fields=["language"])
    invitation.status = InvitationStatus.ACCEPTED
    invitation.accepted_by = user
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["status", "accepted_by", "accepted_at"])
    # A request to join the same organisation is settled by the invitation.
    JoinRequest.objects.filter(user=user, organisation=organisation, status=JoinRequestStatus.PENDING).update(
        status=JoinRequestStatus.APPROVED, decided_at=timezone.now(), decided_by=invitation.invited_by
    )
    _log_role_change(
        user=user,
        organisation=organisation,
        old_role=None,
        new_role=membership.role,
        actor=invitation.invited_by,
    )
    return membership


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    _require_manager(actor, invitation.organisation)
    if invitation.status != InvitationStatus.PENDING:
        raise ServiceError(_("Only pending invitations can be withdrawn."))
    invitation.status = InvitationStatus.REVOKED
    invitation.save(update_fields=["status"])
    security_event(
        "invitation_revoked",
        user=actor,
        organisation_id=invitation.organisation_id,
        invitation_id=invitation.pk,
    )
    return invitation


# Memberships


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, actor: User) -> Membership:
    membership = Membership.objects.select_for_update().select_related("organisation", "user").get(pk=membership.pk)
    _require_manager(actor, membership.organisation)
    _validate_role(role)
    if role == membership.role:
        return membership
    if role != Role.ADMIN and _is_last_admin(membership):
        raise ServiceError(_last_admin_message(membership.organisation))
    old_role = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    _log_role_change(
        user=membership.user,
        organisation=membership.organisation,
        old_role=old_role,
        new_role=role,
        actor=actor,
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    """Admins and operators remove members; a member may also leave on their own."""
    membership = Membership.objects.select_for_update().select_related("organisation", "user").get(pk=membership.pk)
    if membership.user_id != actor.pk:
        _require_manager(actor, membership.organisation)
    if _is_last_admin(membership):
        raise ServiceError(_last_admin_message(membership.organisation))
    _log_role_change(
        user=membership.user,
        organisation=membership.organisation,
        old_role=membership.role,
        new_role=None,
        actor=actor,
    )
    membership.delete()


# Requests to join


@transaction.atomic
def join_request_create(*, user: User, organisation: Organisation, role: str, message: str = "") -> JoinRequest:
    _validate_role(role)
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ServiceError(_("You are already a member of the organisation."))
    if JoinRequest.objects.filter(user=user, organisation=organisation, status=JoinRequestStatus.PENDING).exists():
        raise ServiceError(_("You have already asked to join this organisation. The request awaits a decision."))
    join_request = JoinRequest.objects.create(user=user, organisation=organisation, role=role, message=message.strip())
    admins = list(
        User.objects.filter(
            is_active=True,
            pk__in=Membership.objects.admins().filter(organisation=organisation).values("user_id"),
        )
    )
    if admins:
        path = reverse("accounts:members", kwargs={"slug": organisation.slug})
    else:
        # The first administrator of an organisation is approved by an operator.
        admins = list(User.objects.filter(is_active=True, is_staff=True))
        path = reverse("accounts:operator_join_requests")
    # One message per language: each administrator reads it in their own e-mail language.
    by_language: dict[str, list[str]] = {}
    for admin in admins:
        by_language.setdefault(admin.email_language, []).append(admin.email)
    for language, emails in sorted(by_language.items()):
        with translation.override(language):
            send_mail(
                subject=_("Request to join %(organisation)s on Nyskap") % {"organisation": organisation},
                message=_("%(user)s asks to join %(organisation)s as %(role)s. Decide here:\n%(url)s")
                % {
                    "user": user,
                    "organisation": organisation,
                    "role": join_request.get_role_display(),
                    "url": site_url(path),
                },
                from_email=None,
                recipient_list=sorted(emails),
            )
    security_event("join_request_created", user=user, organisation_id=organisation.pk, role=role)
    return join_request


def join_request_needs_operator(join_request: JoinRequest) -> bool:
    return not Membership.objects.admins().filter(organisation_id=join_request.organisation_id).exists()


def can_decide_join_request(user: Any, join_request: JoinRequest) -> bool:
    # With no administrator yet only an operator decides, so nobody can make themselves the first admin.
    return may_administer(user, join_request.organisation)


@transaction.atomic
def join_request_decide(*, join_request: JoinRequest, approve: bool, actor: User) -> JoinRequest:
    join_request = (
        JoinRequest.objects.select_for_update().select_related("organisation", "user").get(pk=join_request.pk)
    )
    if not can_decide_join_request(actor, join_request):
        raise AccessDenied(_("Only administrators of the organisation or operators can decide this request."))
    if join_request.status != JoinRequestStatus.PENDING:
        raise ServiceError(_("This request has already been decided."))
    organisation = join_request.organisation
    if approve:
        if Membership.objects.filter(user=join_request.user, organisation=organisation).exists():
            raise ServiceError(_("This person is already a member of the organisation."))
        Membership.objects.create(user=join_request.user, organisation=organisation, role=join_request.role)
        _log_role_change(
            user=join_request.user,
            organisation=organisation,
            old_role=None,
            new_role=join_request.role,
            actor=actor,
        )
    join_request.status = JoinRequestStatus.APPROVED if approve else JoinRequestStatus.REJECTED
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at"])
    with translation.override(join_request.user.email_language):  # the requester's own e-mail language
        if approve:
            body = _("Your request to join %(organisation)s on Nyskap has been approved.")
        else:
            body = _("Your request to join %(organisation)s on Nyskap has been declined.")
        send_mail(
            subject=_("Your request to join %(organisation)s") % {"organisation": organisation},
            message=body % {"organisation": organisation},
            from_email=None,
            recipient_list=[join_request.user.email],
        )
    return join_request


# Users


@transaction.atomic
def user_update_profile(*, user: User, name: str, title: str, phone: str, language: str | None = None) -> User:
    user.name = name.strip()
    user.title = title.strip()
    user.phone = phone.strip()
    fields = ["name", "title", "phone"]
    if language is not None:
        if language and language not in dict(settings.LANGUAGES):
            raise ServiceError(_("Choose one of the languages."))
        user.language = language
        fields.append("language")
    user.save(update_fields=fields)
    return user


SUPPLIER_FIELDS = ("company_name", "organisation_number", "kind", "contact_email", "contact_phone", "website")


@transaction.atomic
def supplier_profile_save(*, user: User, **fields: str) -> SupplierProfile:
    """Create or change the user's supplier profile. Gives no rights in any organisation (memberships do that)."""
    if set(fields) != set(SUPPLIER_FIELDS):
        raise TypeError(f"supplier_profile_save takes exactly {', '.join(SUPPLIER_FIELDS)}")
    profile = SupplierProfile.objects.select_for_update().filter(user=user).first() or SupplierProfile(user=user)
    for name, value in fields.items():
        setattr(profile, name, value.strip())
    try:
        profile.full_clean()
    except ValidationError as exc:
        raise ServiceError(" ".join(exc.messages)) from exc
    profile.save()
    return profile


@transaction.atomic
def supplier_profile_delete(*, user: User) -> bool:
    """Remove the user's supplier profile; False when there was none."""
    deleted, _rows = SupplierProfile.objects.filter(user=user).delete()
    return bool(deleted)


@transaction.atomic
def user_end_all_sessions(*, user: User) -> None:
    """Raising the generation changes `User.get_session_auth_hash`, so every session of the user ends."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    security_event("sessions_ended", user=user)


@transaction.atomic
def user_deactivate(*, user: User, actor: User) -> User:
    if not is_operator(actor):
        raise AccessDenied(_("Only operators can deactivate users."))
    if user.pk == actor.pk:
        raise ServiceError(_("You cannot deactivate your own account."))
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.refresh_from_db(fields=["is_active"])
    user_end_all_sessions(user=user)
    security_event("user_deactivated", user=user, actor_id=actor.pk)
    return user


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the user's own account; memberships, requests and e-mail addresses go with it."""
    for membership in Membership.objects.admins().filter(user=user).select_related("organisation"):
        if _is_last_admin(membership):
            raise ServiceError(
                _(
                    "You are the last administrator of %(organisation)s. "
                    "Appoint another administrator before you delete your account."
                )
                % {"organisation": membership.organisation}
            )
    user_id = user.pk
    with _audit_without_actor():
        user.delete()
    security_event("account_deleted", deleted_user_id=user_id)


def language_of_request(request: Any) -> str:
    """The language a request is shown in, when it is one Nyskap writes e-mail in; otherwise empty."""
    language = getattr(request, "LANGUAGE_CODE", "") or translation.get_language() or ""
    return language if language in dict(settings.LANGUAGES) else ""


def user_language_set(*, user: User, language: str) -> None:
    """Records the language a user's reminders and alerts are written in (a language switch while signed in)."""
    if language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
