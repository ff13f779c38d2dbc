"""Shedding load: a request that waited too long for a free worker is refused at once with 503 and Retry-After.

Under more load than the app servers can serve, requests queue in front of the workers; answering each of them
after half a minute helps nobody (the visitor has given up) and keeps the server behind long after the rush. The
TLS proxy stamps each request with the time it arrived (`X-Request-Start: t=<seconds since the epoch>`, nginx:
``proxy_set_header X-Request-Start "t=${msec}";``); when a worker picks up a request that has waited longer than
``REQUEST_QUEUE_TIMEOUT_SECONDS``, it answers 503 with ``Retry-After`` without touching the database, so the
queue drains at once and the requests that are still fresh get the workers.

Off when the setting is 0 (the default) or the header is missing. The clocks of proxy and app servers must agree
(NTP): a stamp from the future, or one more than an hour old, is taken for a clock error and ignored. The health
paths are never refused (the load balancer reads them). A client that sends the header itself can only get its
own request refused; the proxy replaces it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "HTTP_X_REQUEST_START"
EXEMPT_PREFIXES = ("/helse/",)
CLOCK_ERROR_SECONDS = 3600


def waited_seconds(stamp: str, now: float) -> float | None:
    """Seconds since the proxy's stamp (`t=1733512345.123`, or in milli- or microseconds), None if unreadable."""
    value = stamp.strip().removeprefix("t=")
    try:
        started = float(value)
    except ValueError:
        return None
    if not math.isfinite(started) or started <= 0:
        return None
    while started > 1e11:  # milliseconds (1e12 and up) or microseconds (1e15 and up) since the epoch
        started /= 1000
    waited = now - started
    if waited < 0 or waited > CLOCK_ERROR_SECONDS:
        return None
    return waited


class QueueTimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.REQUEST_QUEUE_TIMEOUT_SECONDS
        stamp = request.META.get(HEADER)
        if limit and stamp and not request.path_info.startswith(EXEMPT_PREFIXES):
            waited = waited_seconds(stamp, time.time())
            if waited is not None and waited > limit:
                return overloaded(settings.REQUEST_QUEUE_RETRY_AFTER_SECONDS)
        return self.get_response(request)


def overloaded(retry_after: int) -> HttpResponse:
    """A short answer in all three languages, built without templates or the database: the server is busy."""
    body = (
        '<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8"><title>Nyskap er opptatt</title></head>'
        "<body><h1>Nyskap er opptatt akkurat nå</h1><p>Prøv igjen om litt.</p>"
        '<p lang="nn">Nyskap er oppteken akkurat no. Prøv igjen om litt.</p>'
        '<p lang="en">Nyskap is busy right now. Please try again in a moment.</p></body></html>'
    )
    response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response
