"""The survey engine: questionnaires in versions, rounds for an organisation, invitations and anonymous responses.

Anonymity is a property of the tables, not of the views (ARCHITECTURE.md, access control):

- `Response` has a random UUID key, no user, no e-mail, no invitation, no IP address and no time of day — only the
  date it was last saved. Its answers (`Answer`) are keyed by (response, item), so no sequence number orders them.
- `Invitation` knows an e-mail address and whether its link has been used, but not when, and nothing points from it
  to a response or back. The two cannot be joined.
- A respondent who saves a draft gets a resume secret that only they hold; the draft stores a hash of it, which is
  dropped when the response is submitted.
- Responses and invitations are deliberately not registered with the audit log, which would record precise times.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from nyskap.organisations.models import Organisation

# DOMAIN.md §2.4: minimum reporting group 5 by default, never below 3.
DEFAULT_THRESHOLD = 5
MINIMUM_THRESHOLD = 3
# Anyone with a shared link can answer, and the answers cannot be checked against a list of people: a round that
# takes answers by link needs a higher threshold (ADR 0006), never below the invitation threshold.
DEFAULT_LINK_THRESHOLD = 10
DEFAULT_LINK_CAP = 200
MAX_LINK_CAP = 10_000
# Dates: a round may not open more than a day in the past, and runs for at most a year.
MAX_ROUND_DAYS = 366


def new_secret() -> str:
    return secrets.token_urlsafe(24)


def hash_secret(secret: str) -> str:
    """Tokens and resume secrets are stored only as SHA-256 hashes: a database copy does not let anybody answer."""
    return hashlib.sha256(secret.encode()).hexdigest()


def pick_language(texts: dict[str, str], language: str | None = None) -> str:
    """The text in the active language, falling back to bokmål and then to any text given."""
    code = (language or get_language() or "nb")[:2]
    return texts.get(code) or texts.get("nb") or next(iter(texts.values()), "")


class Questionnaire(models.Model):
    key = models.SlugField(_("key"), max_length=60, unique=True)
    name_nb = models.CharField(_("name (bokmål)"), max_length=200)
    name_nn = models.CharField(_("name (nynorsk)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        ordering = ["key"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_language({"nb": self.name_nb, "nn": self.name_nn, "en": self.name_en})


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class QuestionnaireVersion(models.Model):
    """One version of a questionnaire. Once published it is frozen: a change makes a new version, so every result
    can say exactly which wording it was answered with."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    published_on = models.DateField(_("published"), null=True, blank=True)
    introduction_nb = models.TextField(_("introduction (bokmål)"), blank=True)
    introduction_nn = models.TextField(_("introduction (nynorsk)"), blank=True)
    introduction_en = models.TextField(_("introduction (English)"), blank=True)

    class Meta:
        ordering = ["questionnaire", "-number"]
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        constraints = [models.UniqueConstraint(fields=["questionnaire", "number"], name="one_number_per_version")]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED

    @property
    def introduction(self) -> str:
        return pick_language({"nb": self.introduction_nb, "nn": self.introduction_nn, "en": self.introduction_en})


class FrozenVersionError(Exception):
    """A published version's items and dimensions cannot change; make a new version instead."""


class _InVersion(models.Model):
    """Rows that belong to a version refuse changes once it is published (checked on every save and delete)."""

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        self._check_not_frozen()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        self._check_not_frozen()
        return super().delete(*args, **kwargs)  # type: ignore[arg-type]

    def _check_not_frozen(self) -> None:
        version_id = self.version_id  # type: ignore[attr-defined]
        status = QuestionnaireVersion.objects.filter(pk=version_id).values_list("status", flat=True).first()
        if status == VersionStatus.PUBLISHED:
            raise FrozenVersionError(str(_("A published questionnaire version cannot be changed.")))


class Dimension(_InVersion):
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="dimensions")
    key = models.SlugField(_("key"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    group_nb = models.CharField(_("group (bokmål)"), max_length=100, blank=True)
    group_nn = models.CharField(_("group (nynorsk)"), max_length=100, blank=True)
    group_en = models.CharField(_("group (English)"), max_length=100, blank=True)
    name_nb = models.CharField(_("name (bokmål)"), max_length=200)
    name_nn = models.CharField(_("name (nynorsk)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="one_key_per_dimension")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_language({"nb": self.name_nb, "nn": self.name_nn, "en": self.name_en})

    @property
    def group(self) -> str:
        return pick_language({"nb": self.group_nb, "nn": self.group_nn, "en": self.group_en})


class ItemKind(models.TextChoices):
    LIKERT = "likert", _("Agreement scale")
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices")
    NUMBER = "number", _("Number")
    TEXT = "text", _("Free text")


class Item(_InVersion):
    """A question. Likert items have `scale_points` labelled points (labels in `options`) and may allow "don't
    know"; choice items list their options as ``[{"key": "a", "nb": "...", "nn": "...", "en": "..."}]``."""

    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="items")
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, null=True, blank=True, related_name="items")
    key = models.SlugField(_("key"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    text_nb = models.TextField(_("text (bokmål)"))
    text_nn = models.TextField(_("text (nynorsk)"))
    text_en = models.TextField(_("text (English)"))
    options = models.JSONField(_("options"), default=list, blank=True)
    scale_points = models.PositiveSmallIntegerField(_("scale points"), default=5)
    allow_dont_know = models.BooleanField(_("allow “don't know”"), default=True)
    minimum = models.FloatField(_("smallest number"), null=True, blank=True)
    maximum = models.FloatField(_("largest number"), null=True, blank=True)
    required = models.BooleanField(_("required"), default=False)
    source_quote = models.TextField(_("source sentence"), blank=True)
    source_reference = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="one_key_per_item")]

    def __str__(self) -> str:
        return self.key

    @property
    def text(self) -> str:
        return pick_language({"nb": self.text_nb, "nn": self.text_nn, "en": self.text_en})

    def option_labels(self) -> list[tuple[str, str]]:
        return [(str(o["key"]), pick_language(o)) for o in self.options]


def round_date_error(
    opens_on: datetime.date, closes_on: datetime.date, *, new_opening: bool, today: datetime.date | None = None
) -> tuple[str, str] | None:
    """The one rule for a round's dates, used by the service, the forms and the admin: (field, message) or None.

    A new or moved opening date may be at most a day in the past; the close date is on or after the opening and
    within a year of it. Without the limits a round could stay reopenable for ever (0001-01-01 to 9999-12-31)."""
    today = today or timezone.localdate()
    if new_opening and opens_on < today - datetime.timedelta(days=1):
        return "opens_on", str(_("The open date cannot be more than a day in the past."))
    if closes_on < opens_on:
        return "closes_on", str(_("The close date must be on or after the open date."))
    if (closes_on - opens_on).days > MAX_ROUND_DAYS:
        return "closes_on", str(_("The close date must be within a year of the open date."))
    return None


def link_threshold_error(threshold: int, link_threshold: int) -> str | None:
    """The one rule for the threshold of a round that takes answers by shared link: at least 10 and never below
    the round's own threshold (and at most 100, like the threshold)."""
    if link_threshold < max(threshold, DEFAULT_LINK_THRESHOLD) or link_threshold > 100:
        return str(_("The threshold with a shared link must be at least 10 and the threshold."))
    return None


class FrozenRoundError(Exception):
    """A round whose figures have been seen or used cannot be reopened or change threshold, units or dates."""

    def __init__(self, message: str | None = None) -> None:
        self.message = message or str(
            _(
                "The round's results have been seen or used in comparisons, so it is frozen: it cannot be reopened "
                "or change its threshold, units or dates. Start a new round instead."
            )
        )
        super().__init__(self.message)


# Fields of a round that a frozen round keeps as they are (closed_early may only stay True).
FROZEN_FIELDS = ("opens_on", "closes_on", "threshold", "link_enabled", "link_threshold", "link_cap", "organisation_id")


class RoundQuerySet(models.QuerySet):
    def led_by(self, user: object) -> RoundQuerySet:
        """Rounds of organisations where the user is an editor or administrator (operators see all)."""
        from nyskap.core.permissions import edited_by, is_operator

        if is_operator(user):
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(edited_by(user, organisation="organisation"))


class Round(models.Model):
    """One survey round for one organisation. It is open from `opens_on` to `closes_on` (both inclusive) unless
    a leader closed it early (`closed_early`); it may be reopened until its close date."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="survey_rounds", verbose_name=_("organisation")
    )
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("questionnaire")
    )
    title = models.CharField(_("title"), max_length=200)
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    closed_early = models.BooleanField(_("closed early"), default=False)
    # Set the first time a leader opens the results. A round whose results were seen is never reopened: new
    # answers could then be singled out by comparing the results before and after.
    results_opened = models.BooleanField(_("results opened"), default=False, editable=False)
    # Set when the round's figures are used in the national or comparison figures; freezes it like the above.
    in_comparisons = models.BooleanField(_("used in comparisons"), default=False, editable=False)
    threshold = models.PositiveSmallIntegerField(
        _("anonymity threshold"),
        default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(MINIMUM_THRESHOLD)],
        help_text=_("No figure is shown for a group with fewer responses than this (at least 3)."),
    )
    expected_respondents = models.PositiveIntegerField(
        _("number of people asked"),
        null=True,
        blank=True,
        help_text=_("For the response rate when the survey is shared by link."),
    )
    link_enabled = models.BooleanField(
        _("answers by shared link"),
        default=False,
        help_text=_(
            "Invitations by e-mail are recommended. Answers by shared link count for the round as a whole only "
            "and need a higher threshold."
        ),
    )
    link_threshold = models.PositiveSmallIntegerField(
        _("anonymity threshold with a shared link"),
        default=DEFAULT_LINK_THRESHOLD,
        help_text=_("Used instead of the threshold when the round takes answers by shared link (at least 10)."),
    )
    link_cap = models.PositiveIntegerField(
        _("most answers by shared link"),
        default=DEFAULT_LINK_CAP,
        validators=[MinValueValidator(1)],
        help_text=_("The shared link takes no more answers than this."),
    )
    share_in_benchmarks = models.BooleanField(
        _("include in comparisons"),
        default=True,
        help_text=_("Let the round's results count in anonymous comparisons with other organisations."),
    )
    # The shared link is meant to be passed around, so it is kept readable for the leaders to copy.
    link_token = models.CharField(max_length=64, unique=True, default=new_secret, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        constraints = [
            models.CheckConstraint(condition=Q(threshold__gte=MINIMUM_THRESHOLD), name="round_threshold_at_least_3"),
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="round_closes_after_open"),
            models.CheckConstraint(
                condition=Q(link_threshold__gte=models.F("threshold")), name="round_link_threshold_at_least_threshold"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.organisation})"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            self._check_frozen()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("surveys:round", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.threshold is not None and self.threshold < MINIMUM_THRESHOLD:
            raise ValidationError({"threshold": _("The anonymity threshold must be at least 3.")})
        if self.threshold is not None and self.link_threshold is not None:
            link_error = link_threshold_error(self.threshold, self.link_threshold)
            if link_error:
                raise ValidationError({"link_threshold": link_error})
        if self.opens_on and self.closes_on:
            stored = Round.objects.filter(pk=self.pk).values_list("opens_on", flat=True).first() if self.pk else None
            error = round_date_error(self.opens_on, self.closes_on, new_opening=stored != self.opens_on)
            if error:
                raise ValidationError({error[0]: error[1]})

    @property
    def frozen(self) -> bool:
        """Figures of the round have been seen or published: nothing that would change them may change."""
        return self.results_opened or self.in_comparisons

    @property
    def disclosure_threshold(self) -> int:
        """The threshold every figure of the round obeys: the link threshold when answers come by shared link."""
        return max(self.threshold, self.link_threshold) if self.link_enabled else self.threshold

    def _check_frozen(self) -> None:
        """The database copy decides (not this instance's flags), so no stale or forged instance can thaw it."""
        stored = (
            Round.objects.filter(pk=self.pk)
            .values(*FROZEN_FIELDS, "closed_early", "results_opened", "in_comparisons")
            .first()
        )
        if stored is None or not (stored["results_opened"] or stored["in_comparisons"]):
            return
        changed = [name for name in FROZEN_FIELDS if getattr(self, name) != stored[name]]
        if changed or (stored["closed_early"] and not self.closed_early):
            raise FrozenRoundError
        # The flags themselves never go back.
        self.results_opened = True if stored["results_opened"] else self.results_opened
        self.in_comparisons = True if stored["in_comparisons"] else self.in_comparisons

    def is_open(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return not self.closed_early and not self.frozen and self.opens_on <= today <= self.closes_on

    def is_closed(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.closed_early or today > self.closes_on

    def is_closed_for_good(self, today: datetime.date | None = None) -> bool:
        """Past the close date: the round cannot be reopened."""
        return (today or timezone.localdate()) > self.closes_on

    def status_label(self) -> str:
        today = timezone.localdate()
        if self.is_open(today):
            return str(_("Open"))
        if self.is_closed(today):
            return str(_("Closed"))
        return str(_("Not yet open"))


def _check_round_not_frozen(round_id: int) -> None:
    flags = Round.objects.filter(pk=round_id).values_list("results_opened", "in_comparisons").first()
    if flags and any(flags):
        raise FrozenRoundError


class Unit(models.Model):
    """A department of the round. Invitations carry their unit (a respondent cannot choose one); results per unit
    obey the same threshold. A frozen round's units cannot change."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="units")
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["round", "order", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="one_unit_name_per_round")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        _check_round_not_frozen(self.round_id)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        _check_round_not_frozen(self.round_id)
        return super().delete(*args, **kwargs)  # type: ignore[arg-type]


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

    def __str__(self) -> str:
        return str(_("Anonymous answer"))
