"""Answers as respondents send them (form or API data keyed by item key) and back: the parsing that both the form
and the API go through, and a saved draft's answers as form data."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .errors import SurveyError
from .models import Item, ItemKind, Response

TEXT_LIMIT = 5000


@dataclass
class ParsedAnswer:
    value: float | None = None
    dont_know: bool = False
    choice: str = ""
    choices: list[str] = field(default_factory=list)
    text: str = ""


def parse_answers(items: Sequence[Item], data: Mapping[str, Any], *, complete: bool) -> dict[int, ParsedAnswer]:
    """Answers from form or API data keyed by item key (a list for several choices). Raises `SurveyError` with an
    error per item key; required items are enforced only when the response is submitted (``complete``)."""
    errors: dict[str, str] = {}
    parsed: dict[int, ParsedAnswer] = {}
    for item in items:
        raw = data.get(item.key)
        if isinstance(raw, list) and item.kind != ItemKind.MULTIPLE:
            raw = raw[-1] if raw else None
        if raw is None or raw == "" or raw == []:
            if complete and item.required:
                errors[item.key] = _("Answer this question.")
            continue
        try:
            parsed[item.pk] = _parse_one(item, raw)
        except SurveyError as error:
            errors[item.key] = error.message
    unknown = [key for key in data if key not in {item.key for item in items}]
    if unknown:
        errors[str(unknown[0])[:60]] = _("There is no such question in this survey.")
    if errors:
        raise SurveyError(_("Some answers are not valid."), errors=errors)
    return parsed


def _parse_one(item: Item, raw: Any) -> ParsedAnswer:
    """One answer from form or JSON data, whatever its type; anything but the expected shape is refused."""
    if isinstance(raw, (dict, bool)):
        raw = object()  # never valid: falls through to the item kind's refusal
    if item.kind == ItemKind.LIKERT:
        if raw == "dk" and item.allow_dont_know:
            return ParsedAnswer(dont_know=True)
        value = _whole_number(raw)
        if value is None or not 1 <= value <= item.scale_points:
            raise SurveyError(_("Choose a point from 1 to %(points)s.") % {"points": item.scale_points})
        return ParsedAnswer(value=float(value))
    options = {key for key, _label in item.option_labels()}
    if item.kind == ItemKind.SINGLE:
        if not isinstance(raw, str) or raw not in options:
            raise SurveyError(_("Choose one of the options."))
        return ParsedAnswer(choice=raw)
    if item.kind == ItemKind.MULTIPLE:
        values = raw if isinstance(raw, list) else [raw]
        chosen: list[str] = []
        for value in values:
            if not isinstance(value, str) or value not in options:
                raise SurveyError(_("Choose among the options."))
            if value not in chosen:
                chosen.append(value)
        return ParsedAnswer(choices=chosen)
    if item.kind == ItemKind.NUMBER:
        number = _number(raw)
        if number is None:
            raise SurveyError(_("Write a number."))
        if item.minimum is not None and number < item.minimum:
            raise SurveyError(_("The number must be at least %(minimum)s.") % {"minimum": f"{item.minimum:g}"})
        if item.maximum is not None and number > item.maximum:
            raise SurveyError(_("The number can be at most %(maximum)s.") % {"maximum": f"{item.maximum:g}"})
        return ParsedAnswer(value=number)
    if not isinstance(raw, str):
        raise SurveyError(_("Write text."))
    text = raw.replace("\x00", "").strip()
    if len(text) > TEXT_LIMIT:
        raise SurveyError(_("Write at most 5000 characters."))
    return ParsedAnswer(text=text)


def _whole_number(raw: Any) -> int | None:
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and math.isfinite(raw) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and raw.strip().isdigit() and len(raw.strip()) < 4:
        return int(raw.strip())
    return None


def _number(raw: Any) -> float | None:
    if isinstance(raw, (int, float)):
        number = float(raw)
    elif isinstance(raw, str) and len(raw) <= 30:
        try:
            number = float(raw.replace(",", ".").replace(" ", ""))
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def draft_answers(draft: Response) -> dict[str, Any]:
    """A draft's answers as form data (item key → value), to fill the form when the respondent continues."""
    data: dict[str, Any] = {}
    for answer in draft.answers.select_related("item"):
        item = answer.item
        if item.kind == ItemKind.LIKERT:
            data[item.key] = "dk" if answer.dont_know else str(int(answer.value or 0))
        elif item.kind == ItemKind.SINGLE:
            data[item.key] = answer.choice
        elif item.kind == ItemKind.MULTIPLE:
            data[item.key] = list(answer.choices)
        elif item.kind == ItemKind.NUMBER:
            data[item.key] = f"{answer.value:g}" if answer.value is not None else ""
        else:
            data[item.key] = answer.text
    return data
