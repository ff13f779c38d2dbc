"""Reading the plan's data sheets row by row: each sheet's rows checked, every bad cell kept as a problem."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from nyskap.core.spreadsheets import CellProblem, cell_text, parse_date
from nyskap.core.tabular import choice_lookup, header_positions, normalise_key
from nyskap.core.text import first_refused_character
from nyskap.organisations.models import Organisation
from nyskap.projects.models import Project

from .. import cleaning, services
from ..models import (
    Bearer,
    BenefitPlan,
    BenefitType,
    Frequency,
    ParameterSet,
    RealisationForm,
)
from .sheets import (
    BENEFIT_COLUMNS,
    BENEFIT_REQUIRED,
    BENEFITS_SHEET,
    LONG_TEXT_LIMIT,
    MEASUREMENT_COLUMNS,
    MEASUREMENT_REQUIRED,
    MEASUREMENTS_SHEET,
    OOXML_ESCAPE,
    PLAN_FIELDS,
    PLAN_INFORMATION,
    PLAN_REQUIRED,
    PLAN_SHEET,
    TEXT_LIMITS,
    _unescape,
)


class Sheet:
    """One sheet's rows read against its columns; problems are added to the shared list."""

    def __init__(
        self, name: str, rows: list[list[Any]], columns: list[str], required: list[str], problems: list[CellProblem]
    ) -> None:
        self.name = name
        self.problems = problems
        self.rows: list[tuple[int, dict[str, Any]]] = []
        self.positions, header_problems = header_positions(
            rows[0] if rows else [],
            columns,
            required=required,
            unknown_message=_("Unknown column. Use the columns of the export."),
        )
        for column, message in header_problems:
            self.problem(1, column, message)
        if any(column not in self.positions for column in required):
            return
        for number, cells in enumerate(rows[1:], start=2):
            values = {column: cells[index] if index < len(cells) else None for column, index in self.positions.items()}
            if all(cell_text(value) == "" for value in values.values()):
                continue  # blank rows are skipped
            self.rows.append((number, values))

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(CellProblem(self.name, row, column, message))

    def text(self, row: int, values: dict[str, Any], column: str, *, required: bool = False) -> str:
        # A control character is written in XLSX with OOXML's escape (``_x0001_``): decoded here, and refused.
        text = OOXML_ESCAPE.sub(_unescape, cell_text(values.get(column)))
        refused = first_refused_character(text)
        if refused is not None:
            self.problem(
                row,
                column,
                _("The text holds %(what)s (%(code)s) at position %(position)d. Remove it.")
                % {"what": refused.description, "code": refused.code_point, "position": refused.position},
            )
            return ""
        limit = TEXT_LIMITS.get(column, LONG_TEXT_LIMIT)
        if len(text) > limit:
            self.problem(row, column, _("Use at most %(limit)d characters.") % {"limit": limit})
            return ""
        if required and not text:
            self.problem(row, column, _("This field is required."))
        return text

    def decimal(
        self,
        row: int,
        values: dict[str, Any],
        column: str,
        *,
        required: bool = False,
        negative: bool = True,
        places: int = 2,
    ) -> Decimal | None:
        """A number rounded to ``places`` decimals (øre for money), below one trillion."""
        value = values.get(column)
        if isinstance(value, bool):
            self.problem(row, column, _("Enter a number."))
            return None
        if isinstance(value, int | float):
            raw = repr(value)
        else:
            raw = cell_text(value).replace("\u00a0", "").replace(" ", "")
            if "," in raw and "." not in raw:
                raw = raw.replace(",", ".")
        if raw == "":
            if required:
                self.problem(row, column, _("Enter a number."))
            return None
        try:
            number = cleaning.clean_decimal(raw, field=column, negative=negative)
        except services.BenefitError as error:
            self.problem(row, column, error.message)
            return None
        assert number is not None
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if abs(number) >= Decimal("1e12"):
            self.problem(row, column, _("Enter a number below one trillion."))
            return None
        return number

    def whole(self, row: int, values: dict[str, Any], column: str, *, low: int, high: int) -> int | None:
        value = values.get(column)
        text = cell_text(value)
        try:
            number = int(text) if not isinstance(value, bool) else None
        except ValueError:
            number = None
        if number is None or not low <= number <= high:
            self.problem(
                row, column, _("Enter a whole number between %(low)d and %(high)d.") % {"low": low, "high": high}
            )
            return None
        return number

    def date(self, row: int, values: dict[str, Any], column: str, *, required: bool = False) -> datetime.date | None:
        value = values.get(column)
        if cell_text(value) == "":
            if required:
                self.problem(row, column, _("Enter a date."))
            return None
        try:
            parsed = parse_date(value)
        except (ValueError, OverflowError):
            self.problem(row, column, _("Write the date as yyyy-mm-dd or dd.mm.yyyy."))
            return None
        if not 1900 <= parsed.year <= 2200:
            self.problem(row, column, _("Enter a date between the years 1900 and 2200."))
            return None
        return parsed

    def choice(self, row: int, values: dict[str, Any], column: str, lookup: dict[str, Any]) -> Any:
        text = self.text(row, values, column)
        if not text:
            return None
        code = lookup.get(normalise_key(text))
        if code is None:
            self.problem(row, column, _("“%(value)s” is not one of the options.") % {"value": text[:100]})
        return code


def read_plan_fields(rows: list[list[Any]], problems: list[CellProblem]) -> dict[str, Any] | None:
    """The ``data-plan`` sheet: a field name and its value per row."""
    sheet = Sheet(PLAN_SHEET, rows, ["field", "value"], ["field", "value"], problems)
    if not sheet.positions or len(sheet.positions) < 2:
        return None
    found: dict[str, tuple[int, dict[str, Any]]] = {}
    for number, values in sheet.rows:
        name = normalise_key(cell_text(values.get("field")))
        if name not in PLAN_FIELDS:
            sheet.problem(number, "field", _("Unknown field “%(field)s”.") % {"field": name[:100]})
        elif name in found:
            sheet.problem(number, "field", _("The field appears twice."))
        else:
            found[name] = (number, {name: values.get("value")})
    for name in PLAN_REQUIRED:
        if name not in found:
            sheet.problem(0, "", _("The field “%(field)s” is missing.") % {"field": name})
    fields: dict[str, Any] = {}
    for name, (number, values) in found.items():
        if name in PLAN_INFORMATION:
            continue

        def problem_in_value(message: str, number: int = number) -> None:
            sheet.problem(number, "value", message)

        cell = {"value": values[name]}
        if name in ("rationale", "goals", "example_note"):
            fields[name] = sheet.text(number, cell, "value", required=name != "example_note")
        elif name == "parameters":
            text = sheet.text(number, cell, "value", required=True)
            parameters = ParameterSet.objects.filter(version=text).first() if text else None
            if text and parameters is None:
                problem_in_value(_("No parameter version “%(version)s” is known.") % {"version": text[:40]})
            fields[name] = parameters
        elif name == "base_year":
            fields[name] = sheet.whole(number, cell, "value", low=1990, high=2100)
        elif name == "analysis_years":
            fields[name] = sheet.whole(number, cell, "value", low=1, high=100)
        elif name == "real_growth_rate":
            rate = sheet.decimal(number, cell, "value", places=4) or Decimal(0)
            if not Decimal("-0.1") <= rate <= Decimal("0.1"):
                problem_in_value(_("Give the growth as a share between −0.1 and 0.1 (0.008 is 0.8 % a year)."))
            fields[name] = rate
        elif name == "residual_value":
            fields[name] = sheet.decimal(number, cell, "value") or Decimal(0)
        elif name == "is_example":
            text = normalise_key(cell_text(values[name]))
            if text in ("yes", "ja", "true", "1"):
                fields[name] = True
            elif text in ("no", "nei", "false", "0", ""):
                fields[name] = False
            else:
                problem_in_value(_("Write yes or no."))
    return fields


def benefit_rows(rows: list[list[Any]], project: Project, problems: list[CellProblem]) -> dict[Any, dict[str, Any]]:
    sheet = Sheet(BENEFITS_SHEET, rows, BENEFIT_COLUMNS, BENEFIT_REQUIRED, problems)
    lookups = {"benefit_type": choice_lookup(BenefitType.choices), "bearer": choice_lookup(Bearer.choices)}
    lookups["realisation_form"] = choice_lookup(RealisationForm.choices)
    frequencies = choice_lookup(Frequency.choices)
    candidates = {user.email.casefold(): user for user in services.owner_candidates(project)}
    draft = BenefitPlan(project=project)
    benefits: dict[Any, dict[str, Any]] = {}
    for number, values in sheet.rows:
        before = len(problems)
        ref = sheet.text(number, values, "ref", required=True)
        if ref and normalise_key(ref) in benefits:
            sheet.problem(number, "ref", _("The reference appears twice."))
        cleaned: dict[str, Any] = {}
        for column in ("description", "bearer_name", "indicator", "unit", "measurement_method"):
            cleaned[column] = sheet.text(number, values, column, required=column == "description")
        for column in ("measures", "preconditions_risks", "abandoned_reason"):
            cleaned[column] = sheet.text(number, values, column)
        for column, lookup in lookups.items():
            cleaned[column] = sheet.choice(number, values, column, lookup) or ""
        frequency_text = cell_text(values.get("measurement_frequency"))
        if frequency_text:
            cleaned["measurement_frequency"] = frequencies.get(normalise_key(frequency_text))
            if cleaned["measurement_frequency"] is None:
                sheet.problem(
                    number,
                    "measurement_frequency",
                    _("“%(value)s” is not one of the options.") % {"value": frequency_text[:100]},
                )
        for column in ("baseline_value", "target_value"):
            cleaned[column] = sheet.decimal(number, values, column, places=4)
        for column in ("baseline_date", "target_date"):
            cleaned[column] = sheet.date(number, values, column)
        organisation_slug = sheet.text(number, values, "bearer_organisation")
        cleaned["bearer_organisation"] = None
        if organisation_slug:
            cleaned["bearer_organisation"] = Organisation.objects.filter(slug=organisation_slug).first()
            if cleaned["bearer_organisation"] is None:
                sheet.problem(
                    number,
                    "bearer_organisation",
                    _("No organisation has the short name “%(slug)s”.") % {"slug": organisation_slug[:100]},
                )
        owner_email = sheet.text(number, values, "owner")
        cleaned["owner"] = None
        if owner_email:
            cleaned["owner"] = candidates.get(owner_email.casefold())
            if cleaned["owner"] is None:
                sheet.problem(
                    number,
                    "owner",
                    _("“%(email)s” is not a member of one of the project's organisations.")
                    % {"email": owner_email[:100]},
                )
        if len(problems) > before:
            continue
        abandoned = cleaned.pop("abandoned_reason")
        try:
            checked = services._clean_benefit(draft, cleaned)
        except services.BenefitError as error:
            sheet.problem(number, error.field or "", error.message)
            continue
        benefits[normalise_key(ref)] = {"row": number, "fields": checked, "abandoned_reason": abandoned}
    return benefits


def yearly_rows(
    rows: list[list[Any]],
    name: str,
    columns: list[str],
    key_column: str,
    keys: dict[str, Any],
    period: range | None,
    problems: list[CellProblem],
    *,
    negative: bool,
) -> dict[Any, dict[int, Decimal]]:
    """Amounts by year, per benefit reference (``data-amounts``) or per cost kind (``data-costs``)."""
    sheet = Sheet(name, rows, columns, columns, problems)
    found: dict[Any, dict[int, Decimal]] = {}
    for number, values in sheet.rows:
        text = sheet.text(number, values, key_column, required=True)
        key = keys.get(normalise_key(text)) if text else None
        if text and key is None:
            message = (
                _("No benefit in the sheet “%(sheet)s” has the reference “%(ref)s”.")
                % {"sheet": BENEFITS_SHEET, "ref": text[:100]}
                if key_column == "benefit"
                else _("“%(value)s” is not one of the options.") % {"value": text[:100]}
            )
            if key_column != "benefit" or not any(p.sheet == BENEFITS_SHEET for p in problems):
                sheet.problem(number, key_column, message)
        if key_column == "benefit" and key is not None:
            key = normalise_key(text)
        year = sheet.whole(number, values, "year", low=1990, high=2200)
        if year is not None and period is not None and year not in period:
            sheet.problem(
                number,
                "year",
                _("The year %(year)d is outside the analysis period %(first)d–%(last)d.")
                % {"year": year, "first": period.start, "last": period.stop - 1},
            )
            year = None
        amount = sheet.decimal(number, values, "amount", required=True, negative=negative)
        if key is None or year is None or amount is None:
            continue
        if year in found.setdefault(key, {}):
            sheet.problem(number, "year", _("The year appears twice for the same %(what)s.") % {"what": text[:100]})
            continue
        if amount:
            found[key][year] = amount
    return found


def measurement_rows(
    rows: list[list[Any]], benefits: dict[Any, dict[str, Any]], problems: list[CellProblem]
) -> list[dict[str, Any]]:
    sheet = Sheet(MEASUREMENTS_SHEET, rows, MEASUREMENT_COLUMNS, MEASUREMENT_REQUIRED, problems)
    today = timezone.localdate()
    found: list[dict[str, Any]] = []
    for number, values in sheet.rows:
        before = len(problems)
        ref = sheet.text(number, values, "benefit", required=True)
        if ref and normalise_key(ref) not in benefits and not any(p.sheet == BENEFITS_SHEET for p in problems):
            sheet.problem(
                number,
                "benefit",
                _("No benefit in the sheet “%(sheet)s” has the reference “%(ref)s”.")
                % {"sheet": BENEFITS_SHEET, "ref": ref[:100]},
            )
        measured_on = sheet.date(number, values, "measured_on", required=True)
        if measured_on is not None and measured_on > today:
            sheet.problem(number, "measured_on", _("The date cannot be in the future."))
        value = sheet.decimal(number, values, "value", required=True, places=4)
        source = sheet.text(number, values, "source", required=True)
        comment = sheet.text(number, values, "comment")
        explanation = sheet.text(number, values, "deviation_explanation")
        realised = sheet.decimal(number, values, "realised_amount")
        recorded_by = sheet.text(number, values, "recorded_by")
        if len(problems) > before or normalise_key(ref) not in benefits:
            continue
        found.append(
            {
                "benefit": normalise_key(ref),
                "value": value,
                "measured_on": measured_on,
                "source": source,
                "comment": comment,
                "deviation_explanation": explanation,
                "realised_amount": realised,
                "recorded_by": recorded_by,
            }
        )
    return found
