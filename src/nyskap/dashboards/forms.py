"""The lens pickers and the comparison choice (plain GET forms)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import access
from .lenses import COUNTRY, ORGANISATION

MAX_TEXT = 200


class ChooseForm(forms.Form):
    """One form for every lens kind: ``lens`` says which, ``key`` the county/sector/band/class, ``organisasjon``
    an organisation's number or name."""

    lens = forms.ChoiceField(label=gettext_lazy("Lens"))
    key = forms.CharField(label=gettext_lazy("Which"), required=False, max_length=access.MAX_KEY_LENGTH)
    organisasjon = forms.CharField(
        label=gettext_lazy("Organisation number or name"), required=False, max_length=MAX_TEXT
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lens"].choices = [  # type: ignore[attr-defined]
            (k, v) for k, v in access.kind_names().items() if k != COUNTRY
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("lens")
        if kind == ORGANISATION:
            if not data.get("organisasjon"):
                self.add_error("organisasjon", _("Write an organisation number or a name."))
        elif kind and data.get("key", "") not in access.keys_of(kind):
            self.add_error("key", _("Choose one of the options."))
        return data

    def choices_of(self, kind: str) -> list[tuple[str, str]]:
        return list(access.keys_of(kind).items())


class CompareForm(forms.Form):
    sammenlign = forms.CharField(label=gettext_lazy("Compare with"), required=False, max_length=access.MAX_KEY_LENGTH)

    def __init__(self, kind: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind != ORGANISATION:
            choices = [("", _("(none)")), *access.keys_of(kind).items()]
            self.fields["sammenlign"] = forms.ChoiceField(
                label=gettext_lazy("Compare with"), required=False, choices=choices
            )
        else:
            self.fields["sammenlign"].help_text = _("Organisation number")
