"""Rounds of a questionnaire for an organisation, with their units, dates and anonymity thresholds, and the freeze
that keeps a published figure from changing."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nyskap.organisations.models import Organisation

from .common import (
    DEFAULT_LINK_CAP,
    DEFAULT_LINK_THRESHOLD,
    DEFAULT_THRESHOLD,
    MAX_ROUND_DAYS,
    MINIMUM_THRESHOLD,
    new_secret,
)
from .questionnaires import QuestionnaireVersion


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
