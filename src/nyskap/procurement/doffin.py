"""Fetching notices from the national notice database (Doffin, run by DFØ) — optional.

Doffin's public API returns OCDS release packages and needs a subscription key from DFØ's developer portal, sent in
the header ``Ocp-Apim-Subscription-Key``. The key is read from the setting ``DOFFIN_API_KEY`` (or the environment
variable of that name); without it nothing here runs, and nothing else in Nyskap needs it — notices can always be
imported from files. The address and the query parameter are as described by DFØ at the time of writing and are
kept in settings-overridable constants, to be confirmed against the developer portal before production use."""

from __future__ import annotations

import datetime
import io
import os
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import IO, Any

from django.conf import settings

DEFAULT_URL = "https://api.doffin.no/public/v2/search"
MAX_BYTES = 200 * 1024 * 1024


class DoffinNotConfigured(Exception):
    pass


def api_key() -> str:
    return str(getattr(settings, "DOFFIN_API_KEY", "") or os.environ.get("DOFFIN_API_KEY", "")).strip()


def search_url(*, published_from: datetime.date) -> str:
    base = str(getattr(settings, "DOFFIN_API_URL", "") or DEFAULT_URL)
    return f"{base}?{urllib.parse.urlencode({'issueDateFrom': published_from.isoformat()})}"


def fetch_release_package(
    *, published_from: datetime.date, opener: Callable[..., Any] = urllib.request.urlopen
) -> IO[bytes]:
    """The OCDS release package of the notices published since ``published_from``, as a stream for the import."""
    key = api_key()
    if not key:
        raise DoffinNotConfigured("DOFFIN_API_KEY is not set.")
    url = search_url(published_from=published_from)
    if not url.startswith("https://"):
        raise DoffinNotConfigured("DOFFIN_API_URL must be an https address.")
    request = urllib.request.Request(  # noqa: S310 - https only, checked above
        url,
        headers={"Ocp-Apim-Subscription-Key": key, "Accept": "application/json"},
    )
    with opener(request, timeout=120) as response:
        data = response.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValueError("The answer from the notice database is larger than 200 MB.")
    return io.BytesIO(data)
