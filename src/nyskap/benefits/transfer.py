"""A benefit-realisation plan in and out of a spreadsheet, round trip.

The plan's XLSX export (`exports.plan_workbook`) ends with five data sheets that hold everything needed to rebuild
the plan: ``data-plan`` (one field per row), ``data-benefits`` (one benefit per row, ``ref`` numbering them),
``data-amounts`` (a benefit's monetised amount per year), ``data-costs`` (investment and operating costs per year)
and ``data-measurements`` (the benefits' measurements). Sheet and column names are fixed codes, the same in every
language, and choices are written as their codes (``own``, ``budget_cut``); the import also takes the labels in
nb, nn and en. The readable sheets before them are ignored by the import.

`import_plan` reads such a file (an edited export, or one filled in by hand) into a new draft plan of a project
that has none. It is all or nothing: every cell is checked first and every problem reported with its sheet, row
(the header is row 1) and column; only a file without problems is written, in one transaction. Who may import is
who may create the plan (``core.change_object`` on the project). The function takes the file and gives back the
plan or the problems, so it can run as a background task as it is.

What is not carried over: the plan's version number and status (an import starts a new draft, version 1 of the
project's plans, or the next number), who recorded a measurement when that person has no account here (the
importing user is recorded instead) and when it was recorded. Benefit owners are matched by e-mail among the members
of the project's owning organisations, bearer organisations by their slug.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from nyskap.accounts.models import User
from nyskap.core.spreadsheets import XML_ILLEGAL, CellProblem, SpreadsheetError, cell_text, parse_date, read_xlsx
from nyskap.core.tabular import choice_lookup, header_positions, normalise_key
from nyskap.core.text import first_refused_character
from nyskap.organisations.models import Organisation
from nyskap.projects.models import Project

from . import services
from .models import (
    Bearer,
    Benefit,
    BenefitAmount,
    BenefitPlan,
    BenefitType,
    Cost,
    CostKind,
    Frequency,
    Measurement,
    ParameterSet,
    RealisationForm,
)
from .portfolio_cache import invalidate_portfolio

FORMAT = "nyskap-benefit-plan-1"
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20000

PLAN_SHEET = "data-plan"
BENEFITS_SHEET = "data-benefits"
AMOUNTS_SHEET = "data-amounts"
COSTS_SHEET = "data-costs"
MEASUREMENTS_SHEET = "data-measurements"

SHEETS = (PLAN_SHEET, BENEFITS_SHEET, AMOUNTS_SHEET, COSTS_SHEET, MEASUREMENTS_SHEET)
PLAN_FIELDS = [
    "format",
    "project",
    "version",
    "status",
    "rationale",
    "goals",
    "parameters",
    "base_year",
    "analysis_years",
    "real_growth_rate",
    "residual_value",
    "is_example",
    "example_note",
]
PLAN_REQUIRED = ["rationale", "goals", "parameters", "base_year", "analysis_years"]
PLAN_INFORMATION = {"format", "project", "version", "status"}  # written for the reader, not imported
# The benefit's own fields in the service's order, between its reference and why it was abandoned.
BENEFIT_COLUMNS = ["ref", *services.BENEFIT_FIELDS, "abandoned_reason"]
BENEFIT_REQUIRED = ["ref", "description", "benefit_type", "bearer", "realisation_form"]
AMOUNT_COLUMNS = ["benefit", "year", "amount"]
COST_COLUMNS = ["kind", "year", "amount"]
MEASUREMENT_COLUMNS = [
    "benefit",
    "measured_on",
    "value",
    "source",
    "comment",
    "deviation_explanation",
    "realised_amount",
    "recorded_by",
]
MEASUREMENT_REQUIRED = ["benefit", "measured_on", "value", "source"]
# Longest text per column (the model's limits; a text field is limited so one cell cannot fill the database).
TEXT_LIMITS = {
    "description": 300,
    "bearer_name": 200,
    "indicator": 300,
    "unit": 50,
    "measurement_method": 300,
    "source": 300,
    "bearer_organisation": 200,
    "owner": 254,
    "recorded_by": 254,
    "parameters": 40,
}
LONG_TEXT_LIMIT = 20000


OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(match: re.Match[str]) -> str:
    character = chr(int(match.group(1), 16))
    return character if XML_ILLEGAL.match(character) else match.group(0)


# Export: the data sheets


def _number(value: Decimal | int | None) -> Any:
    """A number for a cell: a float when the float holds the decimal exactly, else the decimal as text (read back
    exactly by the import)."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    if value == value.to_integral_value() and abs(value) < Decimal(2**53):
        return int(value)
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value else str(value)


def data_sheets(plan: BenefitPlan) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The plan as the import reads it: (sheet name, header, rows) for each data sheet."""
    benefits = list(
        plan.benefits.select_related("bearer_organisation", "owner").prefetch_related(
            "amounts", "measurements__recorded_by"
        )
    )
    plan_rows: list[list[Any]] = [
        ["format", FORMAT],
        ["project", plan.project.slug],
        ["version", plan.version],
        ["status", plan.status],
        ["rationale", plan.rationale],
        ["goals", plan.goals],
        ["parameters", plan.parameters.version],
        ["base_year", plan.base_year],
        ["analysis_years", plan.analysis_years],
        ["real_growth_rate", _number(plan.real_growth_rate)],
        ["residual_value", _number(plan.residual_value)],
        ["is_example", "yes" if plan.is_example else "no"],
        ["example_note", plan.example_note],
    ]
    benefit_rows: list[list[Any]] = []
    amount_rows: list[list[Any]] = []
    measurement_rows: list[list[Any]] = []
    for ref, benefit in enumerate(benefits, start=1):
        benefit_rows.append(
            [
                ref,
                benefit.description,
                benefit.benefit_type,
                benefit.bearer,
                benefit.bearer_organisation.slug if benefit.bearer_organisation_id else "",  # type: ignore[union-attr]
                benefit.bearer_name,
                benefit.indicator,
                benefit.unit,
                _number(benefit.baseline_value),
                benefit.baseline_date,
                _number(benefit.target_value),
                benefit.target_date,
                benefit.owner.email if benefit.owner_id else "",  # type: ignore[union-attr]
                benefit.measures,
                benefit.realisation_form,
                benefit.preconditions_risks,
                benefit.measurement_method,
                benefit.measurement_frequency,
                benefit.abandoned_reason,
            ]
        )
        amount_rows += [[ref, a.year, _number(a.amount)] for a in benefit.amounts.all()]
        measurement_rows += [
            [
                ref,
                m.measured_on,
                _number(m.value),
                m.source,
                m.comment,
                m.deviation_explanation,
                _number(m.realised_amount),
                m.recorded_by.email if m.recorded_by_id else "",  # type: ignore[union-attr]
            ]
            for m in benefit.measurements.all()
        ]
    cost_rows = [[c.kind, c.year, _number(c.amount)] for c in plan.costs.order_by("kind", "year")]
    return [
        (PLAN_SHEET, ["field", "value"], plan_rows),
        (BENEFITS_SHEET, BENEFIT_COLUMNS, benefit_rows),
        (AMOUNTS_SHEET, AMOUNT_COLUMNS, amount_rows),
        (COSTS_SHEET, COST_COLUMNS, cost_rows),
        (MEASUREMENTS_SHEET, MEASUREMENT_COLUMNS, measurement_rows),
    ]


# Import


@dataclass
class PlanImport:
    """What an import gave: the new plan, or the problems (and no plan; nothing was written)."""

    plan: BenefitPlan | None = None
    problems: list[CellProblem] = field(default_factory=list)


class _Sheet:
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
            number = services._decimal(raw, field=column, negative=negative)
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


def _plan_fields(rows: list[list[Any]], problems: list[CellProblem]) -> dict[str, Any] | None:
    """The ``data-plan`` sheet: a field name and its value per row."""
    sheet = _Sheet(PLAN_SHEET, rows, ["field", "value"], ["field", "value"], problems)
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


def import_plan(*, project: Project, actor: Any, upload: IO[bytes], filename: str) -> PlanImport:
    """Read the file and create the project's plan from it, or return every problem and write nothing. Raises
    `PermissionDenied` for a user who may not create the plan (before the file is read), `BenefitError` when the
    project already has a plan, and `SpreadsheetError` for a file that cannot be read at all."""
    if not services.can_change(actor, project):
        raise PermissionDenied(_("Only the project's authors and editors of its organisations can change its plan."))
    if BenefitPlan.objects.filter(project=project, is_current=True).exists():
        raise services.BenefitError(
            _("The project already has a benefit-realisation plan. A plan is imported into a project without one.")
        )
    if not filename.lower().endswith(".xlsx"):
        raise SpreadsheetError(_("Upload the plan as an Excel workbook (.xlsx), as the export writes it."))
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(0)
    if size > MAX_UPLOAD_BYTES:
        raise SpreadsheetError(_("The file is larger than %(limit)d MB.") % {"limit": MAX_UPLOAD_BYTES // 2**20})
    if size == 0:
        raise SpreadsheetError(_("The file is empty."))
    sheets = read_xlsx(upload, max_rows=MAX_ROWS)
    problems: list[CellProblem] = []
    for name in SHEETS:
        if name not in sheets:
            problems.append(CellProblem(name, 0, "", _("The sheet is missing. Start from the plan's export.")))
    if problems:
        return PlanImport(problems=problems)
    plan_fields = _plan_fields(sheets[PLAN_SHEET], problems)
    parameters = (plan_fields or {}).get("parameters")
    base_year = (plan_fields or {}).get("base_year")
    years = (plan_fields or {}).get("analysis_years")
    if parameters is not None and years is not None and years > parameters.max_analysis_years:
        problems.append(
            CellProblem(
                PLAN_SHEET,
                0,
                "",
                _("The analysis period must be between 1 and %(max)d years.") % {"max": parameters.max_analysis_years},
            )
        )
    period = range(base_year, base_year + years) if base_year is not None and years is not None else None

    benefits = _benefits(sheets[BENEFITS_SHEET], project, problems)
    amounts = _yearly(
        sheets[AMOUNTS_SHEET], AMOUNTS_SHEET, AMOUNT_COLUMNS, "benefit", benefits, period, problems, negative=True
    )
    cost_lookup = choice_lookup(CostKind.choices)
    costs = _yearly(
        sheets[COSTS_SHEET], COSTS_SHEET, COST_COLUMNS, "kind", cost_lookup, period, problems, negative=False
    )
    measurements = _measurements(sheets[MEASUREMENTS_SHEET], benefits, problems)
    if problems or plan_fields is None:
        return PlanImport(problems=problems)
    return PlanImport(
        plan=_write(
            project=project,
            actor=actor,
            fields=plan_fields,
            benefits=benefits,
            amounts=amounts,
            costs=costs,
            measurements=measurements,
        )
    )


def _benefits(rows: list[list[Any]], project: Project, problems: list[CellProblem]) -> dict[Any, dict[str, Any]]:
    sheet = _Sheet(BENEFITS_SHEET, rows, BENEFIT_COLUMNS, BENEFIT_REQUIRED, problems)
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


def _yearly(
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
    sheet = _Sheet(name, rows, columns, columns, problems)
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


def _measurements(
    rows: list[list[Any]], benefits: dict[Any, dict[str, Any]], problems: list[CellProblem]
) -> list[dict[str, Any]]:
    sheet = _Sheet(MEASUREMENTS_SHEET, rows, MEASUREMENT_COLUMNS, MEASUREMENT_REQUIRED, problems)
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


@transaction.atomic
def _write(
    *,
    project: Project,
    actor: Any,
    fields: dict[str, Any],
    benefits: dict[Any, dict[str, Any]],
    amounts: dict[Any, dict[int, Decimal]],
    costs: dict[Any, dict[int, Decimal]],
    measurements: list[dict[str, Any]],
) -> BenefitPlan:
    if BenefitPlan.objects.select_for_update().filter(project=project, is_current=True).exists():
        raise services.BenefitError(
            _("The project already has a benefit-realisation plan. A plan is imported into a project without one.")
        )
    plan = BenefitPlan.objects.create(
        project=project,
        version=(project.benefit_plans.aggregate(v=Max("version"))["v"] or 0) + 1,
        rationale=fields["rationale"],
        goals=fields["goals"],
        parameters=fields["parameters"],
        base_year=fields["base_year"],
        analysis_years=fields["analysis_years"],
        real_growth_rate=fields.get("real_growth_rate", Decimal(0)),
        residual_value=fields.get("residual_value", Decimal(0)),
        is_example=fields.get("is_example", False),
        example_note=fields.get("example_note", ""),
        created_by=actor,
    )
    made: dict[Any, Benefit] = {}
    for position, (ref, item) in enumerate(benefits.items(), start=1):
        made[ref] = Benefit.objects.create(
            plan=plan, position=position, abandoned_reason=item["abandoned_reason"], **item["fields"]
        )
    BenefitAmount.objects.bulk_create(
        [
            BenefitAmount(benefit=made[ref], plan=plan, bearer=made[ref].bearer, year=year, amount=amount)
            for ref, by_year in amounts.items()
            for year, amount in sorted(by_year.items())
        ]
    )
    Cost.objects.bulk_create(
        [
            Cost(plan=plan, kind=kind, year=year, amount=amount)
            for kind, by_year in costs.items()
            for year, amount in sorted(by_year.items())
        ]
    )
    emails = {m["recorded_by"].casefold() for m in measurements if m["recorded_by"]}
    recorders = {u.email.casefold(): u for u in User.objects.filter(email__in=emails)} if emails else {}
    Measurement.objects.bulk_create(
        [
            Measurement(
                benefit=made[m["benefit"]],
                value=m["value"],
                measured_on=m["measured_on"],
                source=m["source"],
                comment=m["comment"],
                deviation_explanation=m["deviation_explanation"],
                realised_amount=m["realised_amount"],
                recorded_by=recorders.get(m["recorded_by"].casefold(), actor),
            )
            for m in measurements
        ]
    )
    invalidate_portfolio()
    return plan
