"""How the API reads a request body: strict JSON, checked against the shared text rule before any schema sees it.

Python's `json` accepts NaN and Infinity, keeps the last of two equal keys and decodes lone surrogates; PostgreSQL
cannot store NUL, and integers beyond 64 bits overflow every database column. Each of these is refused here with a
422 naming the field, in the API's error shape (nyskap.api.errors), so no schema and no service has to remember.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser

from nyskap.core.text import has_refused_characters

INT64 = 2**63 - 1
JSON_TYPES = ("application/json",)


class RefusedBody(Exception):
    """A body refused before validation: `status` and `code` for the error shape, `errors` as field/message."""

    def __init__(self, status: int, code: str, message: str, errors: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors or []


class _Constant:
    def __init__(self, name: str) -> None:
        self.name = name


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _invalid(field: str, message: str) -> RefusedBody:
    return RefusedBody(422, "validation_error", "The request is not valid.", [{"field": field, "message": message}])


def _check(value: Any, path: list[str]) -> None:
    field = ".".join(path) or "__all__"
    if isinstance(value, _Constant):
        raise _invalid(field, f"{value.name} is not a number.")
    if isinstance(value, str):
        if has_refused_characters(value):
            raise _invalid(field, "Control characters (other than tab and line breaks) are not allowed.")
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if abs(value) > INT64:
            raise _invalid(field, "The number is too large.")
    elif isinstance(value, dict):
        # Keys are not checked: a schema ignores keys it does not declare, and declared keys are plain names.
        for key, item in value.items():
            _check(item, [*path, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check(item, [*path, str(index)])


def parse_json(body: bytes) -> Any:
    try:
        data = json.loads(body, parse_constant=_Constant, object_pairs_hook=_unique_pairs)
    except _DuplicateKey as exc:
        raise _invalid(exc.key, "The key is given more than once.") from exc
    except (ValueError, RecursionError) as exc:
        raise RefusedBody(400, "bad_request", "The request body is not valid JSON.") from exc
    _check(data, [])
    return data


class StrictJsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        if request.content_type not in JSON_TYPES:
            raise RefusedBody(415, "unsupported_media_type", "The request body must be JSON (application/json).")
        return parse_json(request.body)

    def parse_querydict(self, data: MultiValueDict, list_fields: list[str], request: HttpRequest) -> dict[str, Any]:
        for key, values in data.lists():
            if has_refused_characters(key):
                raise _invalid("__all__", "Control characters are not allowed in parameter names.")
            # Uploaded files (multipart) are checked by the endpoint that reads them; text values here.
            if any(isinstance(value, str) and has_refused_characters(value) for value in values):
                raise _invalid(key, "Control characters (other than tab and line breaks) are not allowed.")
        return super().parse_querydict(data, list_fields, request)
