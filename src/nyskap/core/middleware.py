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
    """Text from outside meets one rule (`nyskap.core.text`) before any view sees it: a path holding a refused
    character is not found; on pages, query strings and form fields have those characters removed. The API's
    queries and bodies are checked by its parser (nyskap.api.parser), which refuses them naming the field."""

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
                post = request.POST
            except RequestDataTooBig:
                limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
                return render(request, "413.html", {"limit": limit}, status=413)
            if _needs_cleaning(post):
                request.POST = _cleaned(post)  # type: ignore[assignment]
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
