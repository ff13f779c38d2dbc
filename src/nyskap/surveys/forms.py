"""Forms of the survey engine. The answer form is built from the version's items; its values are checked by
`answers.parse_answers` (the same rules as the API), and refusals are shown beside each question."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .errors import SurveyError
from .models import (
    DEFAULT_LINK_CAP,
    DEFAULT_LINK_THRESHOLD,
    MAX_LINK_CAP,
    MINIMUM_THRESHOLD,
    Item,
    ItemKind,
    QuestionnaireVersion,
    Round,
    VersionStatus,
)

MAX_INVITATIONS_PER_CALL = 2000


class DateInput(forms.DateInput):
    input_type = "date"


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    version = forms.ModelChoiceField(
        label=_("Questionnaire"),
        queryset=QuestionnaireVersion.objects.none(),
        empty_label=None,
    )
    opens_on = forms.DateField(label=_("Opens"), widget=DateInput)
    closes_on = forms.DateField(label=_("Closes"), widget=DateInput, help_text=_("The last day answers are taken."))
    threshold = forms.IntegerField(
        label=_("Anonymity threshold"),
        initial=5,
        min_value=MINIMUM_THRESHOLD,
        max_value=100,
        help_text=_("No figure is shown for a group with fewer responses than this. At least 3; 5 is recommended."),
    )
    units = forms.CharField(
        label=_("Units"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Departments, one per line; each invitation names the unit it is for, so respondents do not choose. "
            "Leave empty for no units."
        ),
    )
    link_enabled = forms.BooleanField(
        label=_("Also take answers by a shared link"),
        required=False,
        help_text=_(
            "Invitations by e-mail are recommended: each person answers once, and results can be shown per unit. "
            "Anyone with a shared link can answer, so answers by link count only for the round as a whole, and "
            "the round needs the higher threshold below."
        ),
    )
    link_threshold = forms.IntegerField(
        label=_("Anonymity threshold with a shared link"),
        initial=DEFAULT_LINK_THRESHOLD,
        min_value=DEFAULT_LINK_THRESHOLD,
        max_value=100,
        required=False,
        help_text=_("At least 10, and never below the threshold above."),
    )
    link_cap = forms.IntegerField(
        label=_("Most answers by shared link"),
        initial=DEFAULT_LINK_CAP,
        min_value=1,
        max_value=MAX_LINK_CAP,
        required=False,
    )
    expected_respondents = forms.IntegerField(
        label=_("Number of people asked"),
        required=False,
        min_value=1,
        max_value=1_000_000,
        help_text=_("For the response rate when you share the survey by link."),
    )
    share_in_benchmarks = forms.BooleanField(
        label=_("Include the results in anonymous comparisons with other organisations"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["version"]
        field.queryset = QuestionnaireVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related(
            "questionnaire"
        )
        field.label_from_instance = lambda v: f"{v.questionnaire.name} (v{v.number})"
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("opens_on", today)
            self.initial.setdefault("closes_on", today + datetime.timedelta(days=14))
            first = field.queryset.order_by("questionnaire__key", "-number").first()
            if first is not None:
                self.initial.setdefault("version", first.pk)


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=_("E-mail addresses"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=200_000,
        help_text=_(
            "One per line, or separated by commas; only addresses in the organisation's e-mail domains. Each "
            "person gets a personal link that works once."
        ),
    )

    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=settings.LANGUAGES,
        required=False,  # not given: the leader's own e-mail language
        help_text=_("The invitation and its reminders are written in this language."),
    )

    def __init__(self, *args: Any, round: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = list(round.units.all())
        if units:
            self.fields["unit"] = forms.ChoiceField(
                label=_("Unit"),
                choices=[("", "")] + [(str(u.pk), u.name) for u in units],
                help_text=_("The unit the people you invite belong to. Their answers count for this unit."),
            )
            self.order_fields(["unit", "emails", "language"])


def _likert_choices(item: Item) -> list[tuple[str, str]]:
    labels = dict(item.option_labels())
    choices = [
        (str(p), f"{p} – {labels[str(p)]}" if str(p) in labels else str(p)) for p in range(1, item.scale_points + 1)
    ]
    if item.allow_dont_know:
        choices.append(("dk", str(_("Don't know"))))
    return choices


class AnswerForm(forms.Form):
    """One field per item (named by the item's key). There is no unit to choose: it follows from the invitation.
    An answer by shared link carries its one-time ticket in a hidden field. Nothing is required here: the service
    decides, so saving a half-finished draft works."""

    def __init__(self, *args: Any, round: Round, items: list[Item], ticket: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        if ticket is not None:
            self.fields["ticket"] = forms.CharField(widget=forms.HiddenInput, initial=ticket, required=False)
        for item in items:
            self.fields[item.key] = self._field(item)

    @staticmethod
    def _field(item: Item) -> forms.Field:
        label = item.text
        if item.kind == ItemKind.LIKERT:
            return forms.ChoiceField(
                label=label, required=False, choices=_likert_choices(item), widget=forms.RadioSelect
            )
        if item.kind == ItemKind.SINGLE:
            return forms.ChoiceField(
                label=label, required=False, choices=item.option_labels(), widget=forms.RadioSelect
            )
        if item.kind == ItemKind.MULTIPLE:
            return forms.MultipleChoiceField(
                label=label, required=False, choices=item.option_labels(), widget=forms.CheckboxSelectMultiple
            )
        if item.kind == ItemKind.NUMBER:
            return forms.CharField(
                label=label, required=False, max_length=30, widget=forms.TextInput(attrs={"inputmode": "decimal"})
            )
        return forms.CharField(label=label, required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))

    def answer_data(self) -> dict[str, Any]:
        """The raw answers by item key, as the service parses them (empty answers left out)."""
        data: dict[str, Any] = {}
        for item in self.items:
            if item.kind == ItemKind.MULTIPLE:
                values = self.data.getlist(item.key) if hasattr(self.data, "getlist") else self.data.get(item.key, [])
                if values:
                    data[item.key] = list(values)
            else:
                value = self.data.get(item.key, "")
                if value not in ("", None):
                    data[item.key] = value
        return data

    def ticket(self) -> str | None:
        return str(self.data.get("ticket", "")) or None


def parse_email_list(text: str) -> list[str]:
    """Addresses separated by lines, commas, semicolons or spaces; each checked; duplicates dropped."""
    raw = [part.strip().lower() for part in text.replace(",", "\n").replace(";", "\n").split()]
    emails: list[str] = []
    for address in raw:
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError:
            raise SurveyError(
                gettext("“%(address)s” is not a valid e-mail address.") % {"address": address[:100]}, field="emails"
            ) from None
        if address not in emails:
            emails.append(address)
    if not emails:
        raise SurveyError(gettext("Give at least one e-mail address."), field="emails")
    if len(emails) > MAX_INVITATIONS_PER_CALL:
        raise SurveyError(gettext("At most 2000 addresses at a time."), field="emails")
    return emails
