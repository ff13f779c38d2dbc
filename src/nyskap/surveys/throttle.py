"""Per-client rate limits for the shared survey link, kept in the cache (Redis in production, so every app server
counts together). The client is a keyed hash of its address, kept for the window only and never with an answer.

Settings: ``SURVEY_LINK_ANSWERS_PER_WINDOW`` (answers by link per client and round, default 10) and
``SURVEY_LINK_TICKETS_PER_WINDOW`` (answer forms drawn, default 30), per ``SURVEY_LINK_WINDOW_SECONDS`` (600).
Many people behind one municipal address can still answer: the limits bound a script, not a workplace.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

LIMITS = {"answer": ("SURVEY_LINK_ANSWERS_PER_WINDOW", 10), "ticket": ("SURVEY_LINK_TICKETS_PER_WINDOW", 30)}


def _client(request: HttpRequest) -> str:
    address = str(request.META.get("REMOTE_ADDR") or "unknown")
    return hmac.new(str(settings.SECRET_KEY).encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def link_allowed(request: HttpRequest, *, round_id: int, action: str) -> bool:
    """Count one ``action`` ("answer" or "ticket") by this client on this round; False once over the limit."""
    setting, default = LIMITS[action]
    limit = int(getattr(settings, setting, default))
    window = int(getattr(settings, "SURVEY_LINK_WINDOW_SECONDS", 600))
    key = f"survey-link:{action}:{round_id}:{_client(request)}"
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return True
    return count <= limit
