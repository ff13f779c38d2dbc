"""The statistics filter (GET, works without JavaScript) and the operators' upload of notice files."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nyskap.core.forms import QuickSelect
from nyskap.organisations.selectors import county_choices

from .labels import DIVISION_LABELS, PROCEDURE_LABELS, division_label
from .models import NoticeClass

ALL: list[tuple[str, Any]] = [("", _("All"))]
MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class StatisticsFilterForm(forms.Form):
    # QuickSelect: the statistics page answers every filter uncached, so its selects skip the widget templates.
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None, widget=QuickSelect)
    sector = forms.ChoiceField(label=_("Sector (CPV division)"), required=False, widget=QuickSelect)
    procedure = forms.ChoiceField(label=_("Procedure"), required=False, widget=QuickSelect)
    county = forms.ChoiceField(label=_("County"), required=False, widget=QuickSelect)
    notice_class = forms.ChoiceField(label=_("Class"), required=False, widget=QuickSelect)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = ALL + [(str(y), str(y)) for y in years]  # type: ignore[attr-defined]
        self.fields["sector"].choices = ALL + [(code, division_label(code)) for code in DIVISION_LABELS]  # type: ignore[attr-defined]
        self.fields["procedure"].choices = ALL + list(PROCEDURE_LABELS.items())  # type: ignore[attr-defined]
        self.fields["county"].choices = ALL + county_choices()  # type: ignore[attr-defined]
        self.fields["notice_class"].choices = ALL + list(NoticeClass.choices)  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        filters: dict[str, Any] = {}
        if data.get("year"):
            filters["year"] = data["year"]
        for name, column in (
            ("sector", "cpv_division"),
            ("procedure", "procedure"),
            ("county", "county_number"),
            ("notice_class", "notice_class"),
        ):
            if data.get(name):
                filters[column] = data[name]
        return filters


class NoticeUploadForm(forms.Form):
    notice_file = forms.FileField(
        label=_("Notice files"),
        help_text=_(
            "eForms XML notices (one notice per file, or many in a zip file) or OCDS release packages (JSON). For "
            "large imports use the command import_notices."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,.zip,.json"}),
    )

    def clean_notice_file(self) -> Any:
        upload = self.cleaned_data["notice_file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 200 MB: use the command import_notices."))
        return upload
