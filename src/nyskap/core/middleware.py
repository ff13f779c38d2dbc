from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat

from .text import has_refused_characters, remove_refused_characters

API_PREFIX = "/api/"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class InputMiddleware:
    """Text from outside meets one rule (`nyskap.core.text`): a path holding a refused character is not found; on
    pages, query strings have those characters removed (nothing is saved from them). Form fields are refused by
    the form that reads them, naming the field (`nyskap.core.forms.install_text_rule`); a form body over the upload
    limit gets the 413 page. The API's queries and bodies are checked by its parser (nyskap.api.parser), which
    refuses them naming the field."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_refused_characters(request.path_info):
            raise Http404
        if request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        if _needs_cleaning(request.GET):
            request.GET = _cleaned(request.GET)  # type: ignore[assignment]
        if request.method == "POST" and request.content_type in FORM_TYPES:
            try:
                request.POST  # noqa: B018 - parsed here, so an oversized body is a 413 page, not a server error
            except RequestDataTooBig:
                limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
                return render(request, "413.html", {"limit": limit}, status=413)
        return self.get_response(request)


def _needs_cleaning(data: QueryDict) -> bool:
    return any(
        has_refused_characters(key) or any(has_refused_characters(value) for value in values)
        for key, values in data.lists()
    )


def _cleaned(data: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True)
    for key, values in data.lists():
        cleaned.setlist(remove_refused_characters(key), [remove_refused_characters(value) for value in values])
    cleaned._mutable = False
    return cleaned


class ChartDownloadMiddleware:
    """Answers `?diagram=<slug>&format=svg|png|csv` on any page with that chart as a file (nyskap.core.charts):
    the page's view runs as usual (so its access checks hold) and its chart template tag hands over the chart."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method != "GET" or "diagram" not in request.GET or response.status_code != 200:
            return response
        from .charts import CHART_FORMATS, DOWNLOAD_ATTRIBUTE, png
        from .spreadsheets import csv_separator, csv_text

        download = getattr(request, DOWNLOAD_ATTRIBUTE, None)
        fmt = request.GET.get("format", "")
        if download is None or fmt not in CHART_FORMATS:
            raise Http404
        if fmt == "csv":
            body: bytes | str = csv_text(
                download.header, download.rows, separator=csv_separator(request.GET.get("sep"))
            )
            file = HttpResponse(body, content_type="text/csv; charset=utf-8")
        elif fmt == "svg":
            file = HttpResponse(download.svg, content_type="image/svg+xml; charset=utf-8")
        else:
            file = HttpResponse(png(download.svg), content_type="image/png")
        file["Content-Disposition"] = f'attachment; filename="{download.slug}.{fmt}"'
        file["Cache-Control"] = "private, no-store"
        return file
