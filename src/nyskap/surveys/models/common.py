"""Thresholds, secrets and language picking that the survey engine's models share."""

from __future__ import annotations

import hashlib
import secrets

from django.utils.translation import get_language

# DOMAIN.md §2.4: minimum reporting group 5 by default, never below 3.
DEFAULT_THRESHOLD = 5
MINIMUM_THRESHOLD = 3
# Anyone with a shared link can answer, and the answers cannot be checked against a list of people: a round that
# takes answers by link needs a higher threshold (ADR 0006), never below the invitation threshold.
DEFAULT_LINK_THRESHOLD = 10
DEFAULT_LINK_CAP = 200
MAX_LINK_CAP = 10_000
# Dates: a round may not open more than a day in the past, and runs for at most a year.
MAX_ROUND_DAYS = 366


def new_secret() -> str:
    return secrets.token_urlsafe(24)


def hash_secret(secret: str) -> str:
    """Tokens and resume secrets are stored only as SHA-256 hashes: a database copy does not let anybody answer."""
    return hashlib.sha256(secret.encode()).hexdigest()


def pick_language(texts: dict[str, str], language: str | None = None) -> str:
    """The text in the active language, falling back to bokmål and then to any text given."""
    code = (language or get_language() or "nb")[:2]
    return texts.get(code) or texts.get("nb") or next(iter(texts.values()), "")
