"""Template helpers of benefit realisation: kroner and factors formatted for the current language, and the panel on
the project page."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.utils.formats import number_format

from ..services import can_change

register = template.Library()


def _round(value: Any, places: int) -> Decimal:
    """Round half up first: Django's number_format cuts the extra decimals off instead of rounding."""
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@register.filter
def nok(value: Any) -> str:
    """Whole kroner with the language's thousands separator (``1 234 567``); empty for None."""
    if value is None or value == "":
        return ""
    rounded = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return str(number_format(rounded, decimal_pos=0, use_l10n=True, force_grouping=True))


@register.filter
def factor(value: Any, places: int = 4) -> str:
    if value is None:
        return ""
    return str(number_format(_round(value, int(places)), decimal_pos=int(places), use_l10n=True))


@register.filter
def percent(value: Any, places: int = 1) -> str:
    if value is None:
        return ""
    return str(number_format(_round(Decimal(value) * 100, int(places)), decimal_pos=int(places), use_l10n=True)) + " %"


@register.inclusion_tag("benefits/_panel.html", takes_context=True)
def benefit_panel(context: template.Context, project: Any) -> dict[str, Any]:
    """The plan's summary on the project page (NPV, version, status), or the button to write one for editors."""
    from .. import selectors

    user = context.get("user")
    plan = selectors.current_plan(user, project)
    summary = None
    if plan is not None:
        summary = selectors.plan_context(plan, user=user)
    return {
        "project": project,
        "plan": plan,
        "summary": summary,
        "can_edit": user is not None and can_change(user, project),
        "user": user,
    }


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return (mapping or {}).get(key, [])


@register.filter
def bearer_label(code: str) -> str:
    from ..models import Bearer

    return str(Bearer(code).label) if code in Bearer.values else code


@register.filter
def uncertain(parameters: Any, name: str) -> bool:
    """True when the parameter is not verified at all ([U]); one confirmed by secondary sources is not."""
    return bool(parameters.source_level(name) == "unverified")


@register.filter
def parameter_names(names: list[str]) -> str:
    """Stored parameter names (``["discount_bands", …]``) as the reader names them, joined with commas."""
    from nyskap.benefits.parameters import parameter_labels

    return ", ".join(parameter_labels(list(names or [])))


@register.filter
def source_text(stored: str) -> str:
    from ..parameters import source_text as translated

    return translated(stored)


@register.simple_tag
def parameter_source(parameters: Any, *names: str) -> str:
    """The label of how far the parameters are checked against R-109: verified, secondary sources, or not verified
    (the weakest of the names given)."""
    from html import escape

    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext

    levels = {parameters.source_level(name) for name in names}
    if "unverified" in levels:
        colour, label = "warning", gettext("[U] not verified against R-109's text")
    elif "secondary" in levels:
        colour, label = "info", gettext("[S] confirmed by secondary sources; R-109's own text not read")
    else:
        colour, label = "success", gettext("[V] verified against R-109's text")
    # Escaped as text (quotes stay as they are: the label is element content, never an attribute).
    return mark_safe(f'<span class="ds-tag" data-color="{colour}">{escape(label, quote=False)}</span>')


def _rate(rate: Any) -> str:
    """A rate as a percentage with as many decimals as it needs (4 %, 2,5 %)."""
    value = Decimal(str(rate)) * 100
    places = max(0, -value.normalize().as_tuple().exponent)  # type: ignore[operator]
    return str(number_format(value, decimal_pos=int(places), use_l10n=True)) + " %"


@register.filter
def discount_bands(parameters: Any) -> str:
    """The discount rates of a parameter version in words (4 % for years 1–40, 3 % for years 41–75, 2 % after year
    75), from its own bands, so a new version is described as it is and not as the shipped one."""
    from django.utils.translation import gettext

    parts = []
    first = 1
    bands = list(parameters.discount_bands or [])
    for index, (last, rate) in enumerate(bands):
        if last is None or index == len(bands) - 1:
            if first == 1:
                parts.append(gettext("%(rate)s every year") % {"rate": _rate(rate)})
            else:
                parts.append(gettext("%(rate)s after year %(year)s") % {"rate": _rate(rate), "year": first - 1})
            break
        parts.append(
            gettext("%(rate)s for years %(first)s–%(last)s") % {"rate": _rate(rate), "first": first, "last": last}
        )
        first = int(last) + 1
    return ", ".join(parts)


@register.filter
def level_label(level: str) -> str:
    from django.utils.translation import gettext

    return {"state": gettext("State"), "county": gettext("County"), "municipality": gettext("Municipality")}.get(
        level, level
    )
