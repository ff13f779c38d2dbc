"""Numbers on the trial pages: shares and differences of shares in percent (points), in the reader's format;
and the overview's facet checkboxes and result cards."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from nyskap.core.markup import escape
from nyskap.core.permissions import Visibility
from nyskap.trials.models import TrialDesign, TrialKind, TrialStatus

register = template.Library()


@register.filter
def percent(value: Any) -> str:
    """0.0812 → "8,1" (Norwegian) or "8.1" (English); used with "%" or "percentage points" after it."""
    if value is None:
        return ""
    return str(floatformat(float(value) * 100, 1))


@register.filter
def number(value: Any) -> str:
    if value is None:
        return ""
    return str(floatformat(float(value), 2))


@register.filter
def rule_message(value: Any) -> str:
    """A message of the pure rules (plain English) in the reader's language."""
    from nyskap.trials.services import rule_message as translate

    return translate(str(value))


@register.simple_tag
def facet_choices(facet: dict[str, Any]) -> SafeString:
    """A facet's checkboxes, one per value with its count: the markup a template loop would give, built here because
    the owner facets have hundreds of values (every municipality) and each would cost a dozen template lookups."""
    name = escape(facet["name"])
    choices = []
    for number, value in enumerate(facet["values"], start=1):
        checked = " checked" if value["selected"] else ""
        choices.append(
            f'<div class="ds-field"><input class="ds-input" type="checkbox" name="{name}"'
            f' value="{escape(value["value"])}" id="facet-{name}-{number}"{checked}>'
            f'<label class="ds-label" data-weight="regular" for="facet-{name}-{number}">'
            f"{escape(value['label'])} ({value['count']})</label></div>"
        )
    return mark_safe("\n".join(choices))  # every value is escaped above


@register.simple_tag
def trial_cards(trials: Any, owners: dict[int, list[str]]) -> SafeString:
    """The overview's result cards (the trials annotated with `is_overdue`, and their owners' names by trial id):
    the markup a template loop would give, built here because each card would otherwise cost a dozen template
    lookups and the label of each choice would be looked up anew for every card."""
    labels = {
        field: {value: escape(label) for value, label in choices}
        for field, choices in (
            ("kind", TrialKind.choices),
            ("status", TrialStatus.choices),
            ("design", TrialDesign.choices),
            ("visibility", Visibility.choices),
        )
    }
    overdue_label, not_preregistered_label = gettext("Overdue"), gettext("Not pre-registered")
    overdue = f'<span class="ds-tag" data-color="danger">{escape(overdue_label)}</span>'
    not_preregistered = f'<span class="ds-tag" data-color="warning">{escape(not_preregistered_label)}</span>'

    def label(field: str, value: str) -> str:
        return labels[field].get(value) or escape(value)

    cards = []
    for trial in trials:
        facts = f"{label('kind', trial.kind)} · {label('status', trial.status)}"
        if trial.design:
            facts += f" · {label('design', trial.design)}"
        names = ", ".join(escape(name) for name in owners.get(trial.pk, ()))
        tags = (
            (overdue if trial.is_overdue else "")
            + (not_preregistered if trial.not_preregistered else "")
            + (
                ""
                if trial.visibility == Visibility.PUBLIC
                else f'<span class="ds-tag" data-color="neutral">{label("visibility", trial.visibility)}</span>'
            )
        )
        url = escape(reverse("trials:detail", args=[trial.slug]))
        cards.append(
            '<li class="ds-card">'
            f'<h3 class="ds-heading" data-size="xs"><a class="ds-link" href="{url}">'
            f"{escape(trial.title)}</a></h3>\n"
            f'<p class="ds-paragraph" data-size="sm">{facts}{f" · {names}" if names else ""}</p>\n'
            f'<p class="ds-paragraph" data-size="sm">{tags}</p></li>'
        )
    return mark_safe("\n".join(cards))  # every value is escaped above
