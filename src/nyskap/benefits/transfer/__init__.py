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

`import_plan_version` reads such a file into the next version of a project's plan (the same rule as "Start a new
version": from the current version once it is submitted), so an exported plan can be edited in the spreadsheet and
brought back as its new version, with the same checks and the same all-or-nothing writing.

What is not carried over: the plan's version number and status (an import starts a new draft, version 1 of the
project's plans, or the next number), who recorded a measurement when that person has no account here (the
importing user is recorded instead) and when it was recorded. Benefit owners are matched by e-mail among the members
of the project's owning organisations, bearer organisations by their slug.
"""

from .importing import PlanImport, check_upload, import_plan, import_plan_version
from .sheets import (
    AMOUNT_COLUMNS,
    AMOUNTS_SHEET,
    BENEFIT_COLUMNS,
    BENEFIT_REQUIRED,
    BENEFITS_SHEET,
    COST_COLUMNS,
    COSTS_SHEET,
    FORMAT,
    LONG_TEXT_LIMIT,
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    MEASUREMENT_COLUMNS,
    MEASUREMENT_REQUIRED,
    MEASUREMENTS_SHEET,
    OOXML_ESCAPE,
    PLAN_FIELDS,
    PLAN_INFORMATION,
    PLAN_REQUIRED,
    PLAN_SHEET,
    SHEETS,
    TEXT_LIMITS,
    data_sheets,
)

__all__ = [
    "AMOUNTS_SHEET",
    "AMOUNT_COLUMNS",
    "BENEFITS_SHEET",
    "BENEFIT_COLUMNS",
    "BENEFIT_REQUIRED",
    "COSTS_SHEET",
    "COST_COLUMNS",
    "FORMAT",
    "LONG_TEXT_LIMIT",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "MEASUREMENTS_SHEET",
    "MEASUREMENT_COLUMNS",
    "MEASUREMENT_REQUIRED",
    "OOXML_ESCAPE",
    "PLAN_FIELDS",
    "PLAN_INFORMATION",
    "PLAN_REQUIRED",
    "PLAN_SHEET",
    "SHEETS",
    "TEXT_LIMITS",
    "PlanImport",
    "check_upload",
    "data_sheets",
    "import_plan",
    "import_plan_version",
]
