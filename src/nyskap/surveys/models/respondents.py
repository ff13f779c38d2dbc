"""Who answers, and their answers: invitations (with their batches and the allowed e-mail domains), one-time tickets
for the shared link, anonymous responses and answers. See the package's docstring for what anonymity asks of them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nyskap.organisations.models import Organisation

from .questionnaires import Item
from .rounds import Round, Unit


class Invitation(models.Model):
    """A personal, single-use link sent by e-mail, for one unit of the round (or none). Knows whether it was used,
    never when, and never by which response. The token is made by the sending task and stored hashed; reminders
    send a fresh token, which replaces the old one. The address is erased when the round closes (``email`` None);
    the row stays so the round can say how many were invited per unit."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="invitations", verbose_name=_("unit")
    )
    # NULL once erased: the one-address-per-round constraint ignores NULLs, and "" would collide.
    email = models.EmailField(_("e-mail address"), null=True, blank=True)  # noqa: DJ001
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    used = models.BooleanField(_("used"), default=False)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    # The respondent may have no account, so no language of their own: the inviting leader chooses it per batch
    # (the leader's own e-mail language by default), and the reminders follow it.
    language = models.CharField(
        _("language of the invitation"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [models.UniqueConstraint(fields=["round", "email"], name="one_invitation_per_email")]

    def __str__(self) -> str:
        return self.email or str(_("(address erased)"))


class InvitationBatch(models.Model):
    """The audit trail of inviting: who invited how many people to which unit, for the organisation's leaders to
    read. An owner who invents respondents has to invite them, and this shows it (ADR 0006)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitation_batches")
    unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invited by")
    )
    count = models.PositiveIntegerField(_("invited"))
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation batch")
        verbose_name_plural = _("invitation batches")

    def __str__(self) -> str:
        return f"{self.round_id}: {self.count}"


class EmailDomain(models.Model):
    """An e-mail domain registered for an organisation: survey invitations go only to addresses in these."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="survey_email_domains")
    domain = models.CharField(_("domain"), max_length=200)

    class Meta:
        ordering = ["organisation", "domain"]
        verbose_name = _("e-mail domain for surveys")
        verbose_name_plural = _("e-mail domains for surveys")
        constraints = [models.UniqueConstraint(fields=["organisation", "domain"], name="one_survey_domain_per_org")]

    def __str__(self) -> str:
        return self.domain

    def save(self, *args: object, **kwargs: object) -> None:
        self.domain = self.domain.strip().lower().lstrip("@")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class EmailException(models.Model):
    """An address outside the organisation's domains that an operator allows, with the reason (in the audit log)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="survey_email_exceptions")
    email = models.EmailField(_("e-mail address"))
    reason = models.CharField(_("reason"), max_length=500)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("added by")
    )

    class Meta:
        ordering = ["organisation", "email"]
        verbose_name = _("e-mail exception for surveys")
        verbose_name_plural = _("e-mail exceptions for surveys")
        constraints = [models.UniqueConstraint(fields=["organisation", "email"], name="one_survey_exception_per_org")]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        if not (self.reason or "").strip():
            raise ValidationError({"reason": _("Give the reason for the exception.")})
        self.email = (self.email or "").strip().lower()


class LinkTicket(models.Model):
    """A one-time ticket drawn from the shared link's page; each answer by link spends one, so a script cannot
    post without limit. Only the hash is kept, and the row is deleted when it is spent or the round closes."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    ticket_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("shared-link ticket")
        verbose_name_plural = _("shared-link tickets")

    def __str__(self) -> str:
        return str(_("Shared-link ticket"))


class Response(models.Model):
    """One respondent's answers. Random key, date only; see the module docstring for what is *not* here."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Indexed through (round, submitted) below.
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses", db_index=False)
    unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses")
    # Came through the shared link (never with a unit): the results say how many did.
    via_link = models.BooleanField(default=False, db_default=False)
    submitted = models.BooleanField(default=False)
    saved_on = models.DateField()
    resume_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [models.Index(fields=["round", "submitted"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(submitted=False) | Q(resume_hash__isnull=True), name="submitted_response_has_no_secret"
            ),
            models.CheckConstraint(
                condition=Q(via_link=False) | Q(unit__isnull=True), name="link_response_has_no_unit"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Anonymous response"))


class Answer(models.Model):
    """One answer. Keyed by (response, item) — no sequence number that would reveal the order of responses.
    `value` holds Likert points and numbers; `choice`/`choices` the option keys; `text` free text. A Likert
    "don't know" is stored with `dont_know` and no value."""

    pk = models.CompositePrimaryKey("response_id", "item_id")
    # The primary key (response, item) already indexes the response first.
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers", db_index=False)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    value = models.FloatField(null=True, blank=True)
    dont_know = models.BooleanField(default=False)
    choice = models.CharField(max_length=60, blank=True)
    choices = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [
            # The responses that gave a choice to some items (the barometer's innovating workplaces) from the index
            # alone: a tenth of the time of reading those items' answers at 20,000 responses.
            models.Index(fields=["item", "choice", "response"], name="surveys_answer_item_choice"),
        ]

    def __str__(self) -> str:
        return str(_("Anonymous answer"))
