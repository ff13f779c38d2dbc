"""The catalogue's background job: an XLSX export of more instruments than the threshold, made for whoever asked
(a signed-in user, or the browser session of a visitor who is not signed in; the catalogue is public either way)."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext

from nyskap.core.jobs.exports import register_xlsx_export


def export_filename(extension: str) -> str:
    return f"nyskap-virkemidler-{timezone.localdate().isoformat()}.{extension}"


def _instruments(query: QueryDict) -> Any:
    from .forms import catalogue_filter

    _form, instruments = catalogue_filter(query)
    return instruments


def _write(instruments: Any, base_url: str, on_row: Callable[[], None] | None) -> IO[bytes]:
    from . import exports

    return exports.export_xlsx(instruments, base_url=base_url, on_row=on_row)


def _summary(count: int) -> str:
    return ngettext("%(count)d instrument exported.", "%(count)d instruments exported.", count) % {"count": count}


EXPORT_XLSX = register_xlsx_export(
    "instruments.export_xlsx",
    title=gettext_lazy("Export of instruments (XLSX)"),
    records=_instruments,
    write=_write,
    filename=lambda: export_filename("xlsx"),
    summary=_summary,
)
