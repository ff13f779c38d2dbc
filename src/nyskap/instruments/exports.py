"""The catalogue as CSV, XLSX and JSON. Text that a spreadsheet would read as a formula is neutralised (the same
rule as the project export: a leading apostrophe)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import IO, Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from nyskap.core.spreadsheets import DEFAULT_SEPARATOR, csv_lines, json_array, xlsx_file
from nyskap.core.tabular import spreadsheet_cells
from nyskap.organisations.models import Organisation

from .models import Instrument

COLUMNS = [
    "slug",
    "name_nb",
    "name_nn",
    "name_en",
    "owners",
    "owner_text",
    "offers",
    "applicant_kinds",
    "partner_kinds",
    "max_population",
    "phases",
    "sectors",
    "innovation_types",
    "grant_max",
    "project_cost_min",
    "project_cost_max",
    "cofunding_max_percent",
    "requirements",
    "requires_open_call",
    "amounts_text",
    "status",
    "ended_on",
    "status_note",
    "verification",
    "unverified_facts",
    "source",
    "website",
    "website_origin",
    "url",
    "updated_at",
]


def records(instruments: QuerySet[Instrument], *, base_url: str) -> Iterator[dict[str, Any]]:
    """One dict per instrument with the API's field names and formats."""
    owners = Prefetch("owners", queryset=Organisation.objects.order_by("name"))
    for instrument in instruments.prefetch_related(owners).iterator(chunk_size=500):
        record: dict[str, Any] = {}
        for column in COLUMNS:
            if column == "owners":
                record[column] = [{"slug": o.slug, "name": o.name} for o in instrument.owners.all()]
            elif column == "url":
                record[column] = base_url + reverse("instruments:detail", kwargs={"slug": instrument.slug})
            else:
                record[column] = getattr(instrument, column)
        yield record


def _cells(record: dict[str, Any]) -> list[Any]:
    return spreadsheet_cells(record, COLUMNS, decimal=float)


def export_csv(
    instruments: QuerySet[Instrument], *, base_url: str, separator: str = DEFAULT_SEPARATOR
) -> Iterator[str]:
    return csv_lines(
        COLUMNS, (_cells(record) for record in records(instruments, base_url=base_url)), separator=separator
    )


def export_json(instruments: QuerySet[Instrument], *, base_url: str) -> Iterator[str]:
    return json_array(records(instruments, base_url=base_url))


def export_xlsx(
    instruments: QuerySet[Instrument], *, base_url: str, on_row: Callable[[], None] | None = None
) -> IO[bytes]:
    def rows() -> Iterator[list[Any]]:
        for record in records(instruments, base_url=base_url):
            yield _cells(record)
            if on_row is not None:
                on_row()

    return xlsx_file(str(_("Instruments")), COLUMNS, rows())
