from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

# The role choices live with the rules written in them (core.permissions); `nyskap.accounts.models.Role` is the same.
from nyskap.core.permissions import Role
from nyskap.organisations.models import Organisation
from nyskap.organisations.validators import validate_organisation_number


class NyskapUserManager(UserManager):
    def create_user(self, username=None, email=None, password=None, **extra_fields):  # type: ignore[no-untyped-def]
        return super().create_user(username or (email or "").lower(), email, password, **extra_fields)

    def create_superuser(self, username=None, email=None, password=None, **extra_fields):  # type: ignore[no-untyped-def]
        return super().create_superuser(username or (email or "").lower(), email, password, **extra_fields)


class User(AbstractUser):
    """A person. Logs in with e-mail; `username` is kept equal to the e-mail for the admin and django-axes."""

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("full name"), max_length=150, blank=True)
    title = models.CharField(_("job title"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(
        _("language for e-mail"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Reminders and alerts are written in this language; empty means Nyskap's default (bokmål)."),
    )
    # Raising this number ends every session of the user (log out everywhere, deactivation).
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    objects = NyskapUserManager()  # type: ignore[misc]

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def email_language(self) -> str:
        """The language the user's reminders and alerts are written in."""
        return self.language or settings.LANGUAGE_CODE

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email

    def get_session_auth_hash(self) -> str:
        # Django checks this hash on every request; including the generation lets us end all sessions at once.
        return salted_hmac(
            "nyskap.accounts.User.session",
            f"{self.password}:{self.session_generation}",
            algorithm="sha256",
        ).hexdigest()

    @property
    def is_operator(self) -> bool:
        return self.is_active and (self.is_staff or self.is_superuser)


class SupplierKind(models.TextChoices):
    START_UP = "start_up", _("Start-up")
    SOCIAL_ENTERPRISE = "social_enterprise", _("Social entrepreneur")
    SME = "sme", _("Small or medium-sized company")
    LARGE = "large", _("Large company")
    RESEARCH = "research", _("Research group or institute")


class SupplierProfile(models.Model):
    """The company a user speaks for when answering public needs as a supplier (start-up, social entrepreneur,
    company, research group). It gives no rights in any public body: those come from memberships alone
    (nyskap.core.permissions), and a supplier is a member of none."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="supplier_profile", verbose_name=_("user"))
    company_name = models.CharField(_("company name"), max_length=200)
    # Several people may speak for one company, so the number is not unique.
    organisation_number = models.CharField(
        _("organisation number"), max_length=9, validators=[validate_organisation_number]
    )
    kind = models.CharField(_("kind of supplier"), max_length=24, choices=SupplierKind.choices)
    contact_email = models.EmailField(_("contact e-mail address"))
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("supplier profile")
        verbose_name_plural = _("supplier profiles")

    def __str__(self) -> str:
        return f"{self.company_name} ({self.organisation_number})"


class MembershipQuerySet(models.QuerySet):
    def admins(self) -> MembershipQuerySet:
        return self.filter(role=Role.ADMIN)


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")]
        ordering = ["organisation__name", "user__email"]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _default_expiry() -> object:
    return timezone.now() + timedelta(days=14)


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")


class Invitation(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("organisation")
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    language = models.CharField(
        _("language for e-mail"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The invitation is written in this language, and the account made from it starts with it."),
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invited by")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), default=_default_expiry)
    accepted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=Q(status="pending"),
                name="one_pending_invitation_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class JoinRequest(models.Model):
    """A user asks to join an organisation; its admin (or, for the first admin, an operator) decides."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="join_requests", verbose_name=_("user"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="join_requests", verbose_name=_("organisation")
    )
    role = models.CharField(_("requested role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    message = models.TextField(_("message"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=16, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    decided_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(status="pending"),
                name="one_pending_join_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"
