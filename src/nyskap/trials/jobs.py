"""The registry's background job: an XLSX export of more public trials than the threshold, made for whoever asked (a
signed-in user, or the browser session of a visitor who is not signed in; what is exported is public either way).
The CSV is streamed row by row and needs no job."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any

from django.http import QueryDict
from django.utils.translation import gettext_lazy, ngettext

from nyskap.core.jobs.exports import register_xlsx_export

FILENAME = "nyskap-forsok.xlsx"


def _trials(query: QueryDict) -> Any:
    from . import exports

    return exports.trials_for(query)


def _write(trials: Any, base_url: str, on_row: Callable[[], None] | None) -> IO[bytes]:
    from . import exports

    return exports.xlsx(trials, base_url, on_row=on_row)


def _summary(count: int) -> str:
    return ngettext("%(count)d trial exported.", "%(count)d trials exported.", count) % {"count": count}


EXPORT_XLSX = register_xlsx_export(
    "trials.export_xlsx",
    title=gettext_lazy("Export of trials (XLSX)"),
    records=_trials,
    write=_write,
    filename=lambda: FILENAME,
    summary=_summary,
)
