from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Self

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from .markup import escape
from .text import first_refused_character


class NyskapFormRenderer(TemplatesSetting):
    """Every form renders with Designsystemet markup: label, help text, field and error beside it."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


class QuickSelect(forms.Select):
    """A select built in Python with the markup of the widget templates (`django/forms/widgets/attrs.html` adds the
    `ds-input` class): for a form on a page that must answer fast, such as the project search, where each option
    through the template engine costs three template renders. Options only, no groups."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        # What `Select.get_context` and `optgroups` give the templates, without building a dict per option: the
        # values as text, the first matching option selected (every matching one when multiple).
        values = self.format_value(value)
        given = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            given["multiple"] = True
        css = " ".join(part for part in ("ds-input", str(given.pop("class", ""))) if part)
        attributes = "".join(
            f" {escape(key)}" if value is True else f' {escape(key)}="{escape(value)}"'
            for key, value in given.items()
            if value is not False and value is not None
        )
        options = []
        chosen = False
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):  # a group: the templates' way
                return super().render(name, value, attrs, renderer)
            text = "" if option_value is None else str(option_value)
            selected = (not chosen or self.allow_multiple_selected) and text in values
            chosen = chosen or selected
            options.append(f'<option value="{escape(text)}"{" selected" if selected else ""}>{escape(label)}</option>')
        # Every name, attribute, value and label above is escaped as the templates would
        return mark_safe(f'<select name="{escape(name)}" class="{escape(css)}"{attributes}>{"".join(options)}</select>')


REFUSED_CHARACTER_MESSAGE = _(
    "The text has %(what)s (%(code_point)s) at position %(position)s. It cannot be saved: remove it and try again."
)


def refuse_control_characters(field: forms.Field, value: Any) -> None:
    """The text rule (`nyskap.core.text`) for one form field: a value holding a refused character is an error on
    that field naming the character. Textareas may hold line breaks; one-line fields may not."""
    multiline = isinstance(field.widget, forms.Textarea)
    for item in value if isinstance(value, list | tuple) else [value]:
        if not isinstance(item, str):
            continue
        found = first_refused_character(item, multiline=multiline)
        if found is not None:
            raise ValidationError(
                REFUSED_CHARACTER_MESSAGE,
                code="refused_character",
                params={"what": found.description, "code_point": found.code_point, "position": found.position},
            )


def install_text_rule() -> None:
    """Every Django form field, ours and the libraries' (allauth, admin), checks its submitted value against the
    text rule before its own cleaning: installed once at start-up (CoreConfig.ready), so no form can forget it."""
    original: Callable[[forms.Field, Any], Any] = forms.Field.clean
    if getattr(original, "applies_text_rule", False):
        return

    def clean(self: forms.Field, value: Any) -> Any:
        refuse_control_characters(self, value)
        return original(self, value)

    clean.applies_text_rule = True  # type: ignore[attr-defined]
    clean.__doc__ = original.__doc__
    forms.Field.clean = clean  # type: ignore[method-assign]


def _finite(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite(item) for item in value.values())
    if isinstance(value, list):
        return all(_finite(item) for item in value)
    return True


def install_json_rule() -> None:
    """Every JSON form field (the admin's, the libraries') refuses NaN and ±Infinity, which Python's parser accepts
    but JSON and PostgreSQL's `jsonb` do not: "Enter a valid JSON." on the field, never a database error."""
    original: Callable[[forms.JSONField, Any], Any] = forms.JSONField.to_python
    if getattr(original, "refuses_non_finite", False):
        return

    def to_python(self: forms.JSONField, value: Any) -> Any:
        converted = original(self, value)
        if not _finite(converted):
            raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value})
        return converted

    to_python.refuses_non_finite = True  # type: ignore[attr-defined]
    forms.JSONField.to_python = to_python  # type: ignore[method-assign]


def refused_characters_only(form: forms.BaseForm) -> bool:
    """For a form whose values a service checks (it reads the raw data, not `cleaned_data`): runs the form's
    cleaning and keeps only the text rule's errors. True when a field holds a refused character; the form then
    carries those errors and is shown again as it is."""
    form.full_clean()
    refused = {
        name: [error for error in errors if error.code == "refused_character"]
        for name, errors in form.errors.as_data().items()
    }
    form._errors = forms.utils.ErrorDict()  # type: ignore[attr-defined]
    for name, errors in refused.items():
        for error in errors:
            form.add_error(name if name in form.fields else None, error)
    return bool(form.errors)


# Forms whose data a service saves


class Refusal(Exception):
    """A change a service refuses: ``problems`` are (field, message) pairs, the messages fit to show next to the
    field (an app's own refusal subclasses it)."""

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        super().__init__("; ".join(message for _field, message in problems))
        self.problems = list(problems)

    @classmethod
    def one(cls, field: str, message: str) -> Self:
        return cls([(field, message)])


def add_problems(form: forms.BaseForm, refusal: Refusal) -> None:
    """Show a refusal's messages on the form: next to their field, or above the form for a field it does not have."""
    for field, message in refusal.problems:
        form.add_error(field if field in form.fields else None, message)


@dataclass(frozen=True)
class Saved:
    result: Any  # what the service returned


def form_saved(
    request: HttpRequest, form: forms.BaseForm, save: Callable[[dict[str, Any]], Any], *, success: str
) -> Saved | None:
    """Whether a posted form's data is saved: when the form is valid, ``save(form.cleaned_data)`` (a service call) is
    tried; a `Refusal` puts its problems on the form (the page shows it again, 400), else ``success`` is the message
    on the next page and the answer holds what ``save`` returned."""
    if not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except Refusal as refusal:
        add_problems(form, refusal)
        return None
    messages.success(request, success)
    return Saved(result)


def posted(request: HttpRequest) -> Any:
    """The data a form is bound to: the posted fields on a POST, even when none came (an empty form is a form with
    problems to show, not a blank page), and nothing on a GET."""
    return request.POST if request.method == "POST" else None


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], Any],
    *,
    success: str,
    template: str,
    context: dict[str, Any],
    then: Any,
) -> HttpResponse:
    """A page with one form: shown with ``form`` (GET), or the posted form saved (`form_saved`) and the visitor sent
    on to ``then`` (what `redirect` takes, or a function of what ``save`` returned that gives it), or the page shown
    again with the problems and what was typed (400)."""
    if request.method == "POST":
        saved = form_saved(request, form, save, success=success)
        if saved:
            return redirect(then(saved.result) if callable(then) else then)
    status = 400 if request.method == "POST" else 200
    return render(request, template, {**context, "form": form}, status=status)
