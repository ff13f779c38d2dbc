from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from nyskap.organisations.models import Organisation
from nyskap.organisations.validators import normalise_organisation_number, organisation_number_problem

from .models import Role, SupplierKind

PHONE = re.compile(r"\+?[0-9 ()-]{5,30}")


def _clean_phone(value: str) -> str:
    phone = value.strip()
    if phone and not PHONE.fullmatch(phone):
        raise forms.ValidationError(_("Enter a phone number with digits only, for example +47 912 34 567."))
    return phone


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=150)
    title = forms.CharField(label=_("Job title"), max_length=150, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    language = forms.ChoiceField(
        label=_("Language for e-mail"),
        required=False,
        help_text=_("Reminders and alerts are written in this language."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language: Any = self.fields["language"]
        language.choices = [("", _("Nyskap's default (bokmål)")), *settings.LANGUAGES]

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data["phone"])


class SupplierProfileForm(forms.Form):
    """The company a user answers public needs for (nyskap.accounts.models.SupplierProfile)."""

    company_name = forms.CharField(label=_("Company name"), max_length=200, widget=forms.TextInput(
        attrs={"autocomplete": "organization"}))  # fmt: skip
    organisation_number = forms.CharField(
        label=_("Organisation number"),
        max_length=20,
        help_text=_("Nine digits, as in the Central Coordinating Register for Legal Entities (Brønnøysund)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    kind = forms.ChoiceField(label=_("Kind of supplier"), choices=SupplierKind.choices)
    contact_email = forms.EmailField(label=_("Contact e-mail address"), max_length=254, widget=forms.EmailInput(
        attrs={"autocomplete": "email"}))  # fmt: skip
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    website = forms.URLField(label=_("Website"), max_length=300, required=False, assume_scheme="https")

    def clean_company_name(self) -> str:
        name = self.cleaned_data["company_name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter the company's name."))
        return name

    def clean_organisation_number(self) -> str:
        value = self.cleaned_data["organisation_number"].strip()
        problem = organisation_number_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return normalise_organisation_number(value)

    def clean_contact_phone(self) -> str:
        return _clean_phone(self.cleaned_data["contact_phone"])


class AccountDeleteForm(forms.Form):
    email = forms.EmailField(
        label=_("Type your e-mail address to confirm"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email.lower() != (self.user.email or "").lower():
            raise forms.ValidationError(_("The e-mail address does not match your account."))
        return email


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=settings.LANGUAGES,
        required=False,  # not given: the inviter's own e-mail language
        help_text=_("The invitation is written in this language, and the new account's e-mail starts in it."),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args: Any, member_name: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if member_name:
            self.fields["role"].label = _("Role for %(name)s") % {"name": member_name}


class JoinRequestForm(forms.Form):
    organisation = forms.CharField(
        label=_("Organisation number or short name"),
        max_length=220,
        help_text=_(
            "The nine-digit organisation number, or the short name in the address of the organisation's page "
            "(for example oygarden in /organisasjoner/oygarden/)."
        ),
    )
    role = forms.ChoiceField(label=_("Role you ask for"), choices=Role.choices, initial=Role.MEMBER)
    message = forms.CharField(
        label=_("Message to the administrator"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_organisation(self) -> Organisation:
        value = self.cleaned_data["organisation"].strip()
        digits = re.sub(r"[\s.]", "", value)
        candidates = Organisation.objects.public_sector().active()
        if digits.isdigit():
            if len(digits) != 9:
                raise forms.ValidationError(_("An organisation number has nine digits."))
            organisation = candidates.filter(organisation_number=digits).first()
        else:
            organisation = candidates.filter(slug=value.lower()).first()
        if organisation is None:
            raise forms.ValidationError(
                _("No public-sector organisation has this organisation number or short name. Check it and try again.")
            )
        return organisation


class JoinRequestDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
