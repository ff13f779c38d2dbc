"""One JSON error shape for the whole API: ``{"status": 422, "code": "validation_error", "message": "...",
"errors": [{"field": "kind", "message": "..."}]}``. Internals (tracebacks, SQL) are never exposed."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError

from .parser import RefusedBody
from .types import BODY_TAGS

logger = logging.getLogger("nyskap.api")


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    status: int
    code: str
    message: str
    errors: list[FieldError] = []


def error_body(status: int, code: str, message: str, errors: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """The error shape as a response body, for an operation that answers ``Status(status, error_body(...))``."""
    return {"status": status, "code": code, "message": message, "errors": errors or []}


def api_error(status: int, code: str, message: str, field: str | None = None) -> Status[dict[str, Any]]:
    """An error answer; with ``field``, the message is also the one error naming that field."""
    return Status(status, error_body(status, code, message, [{"field": field, "message": message}] if field else None))


def invalid(field: str, message: str) -> Status[dict[str, Any]]:
    """422 naming the one field that is wrong ("__all__" when it is the request as a whole)."""
    errors = [{"field": field or "__all__", "message": message}]
    return Status(422, error_body(422, "validation_error", "The request is not valid.", errors))


def refusal(exc: Exception, *, forbidden: str) -> Status[dict[str, Any]]:
    """A service's refusal as the API answers it: ``PermissionDenied`` is 403 (its text, else ``forbidden``); an
    app's error with ``field`` and ``message`` is 422 naming the field."""
    if isinstance(exc, PermissionDenied):
        return Status(403, error_body(403, "forbidden", str(exc) or forbidden))
    return invalid(getattr(exc, "field", None) or "__all__", getattr(exc, "message", None) or str(exc))


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    errors: list[dict] | None = None,
) -> HttpResponse:
    return api.create_response(
        request, {"status": status, "code": code, "message": message, "errors": errors or []}, status=status
    )


def _field_name(loc: list | tuple) -> str:
    parts = [str(p) for p in loc if p not in ("query", "body", "path", "header", "cookie", "form", "payload")]
    if parts and parts[0] in BODY_TAGS:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def _error_field(error: dict) -> str:
    """The field an error concerns; for a body of several shapes whose shape field is wrong, that field."""
    loc = list(error.get("loc", ()))
    if error.get("type") in ("union_tag_invalid", "union_tag_not_found"):
        loc.append(str((error.get("ctx") or {}).get("discriminator", "")).strip("'"))
    return _field_name(loc)


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [{"field": _error_field(e), "message": str(e.get("msg", ""))} for e in exc.errors]
        return error_response(api, request, 422, "validation_error", "The request is not valid.", errors)

    @api.exception_handler(AuthenticationError)
    def _auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(api, request, 401, "not_authenticated", "A valid API token is required.")

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, 404, "not_found", "Not found.")

    @api.exception_handler(RefusedBody)
    def _refused(request: HttpRequest, exc: RefusedBody) -> HttpResponse:
        return error_response(api, request, exc.status, exc.code, exc.message, exc.errors)

    @api.exception_handler(RequestDataTooBig)
    def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return error_response(
            api, request, 413, "too_large", f"The request body is larger than the limit of {limit} bytes."
        )

    @api.exception_handler(SuspiciousOperation)
    def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return error_response(api, request, 400, "bad_request", "The request could not be read.")

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        cause = exc.__cause__
        if isinstance(cause, RefusedBody):  # django-ninja wraps what the parser raises in a 400
            return error_response(api, request, cause.status, cause.code, cause.message, cause.errors)
        code = {400: "bad_request", 403: "forbidden", 404: "not_found", 409: "conflict", 429: "too_many_requests"}.get(
            exc.status_code, "error"
        )
        return error_response(api, request, exc.status_code, code, str(exc))

    @api.exception_handler(Exception)
    def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("Unhandled API error")
        return error_response(api, request, 500, "server_error", "An unexpected error occurred.")
