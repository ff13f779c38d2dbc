"""The version of the portfolio roll-up's cached aggregates (see `selectors.portfolio_rollup` and `signals`)."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

PORTFOLIO_VERSION_KEY = "benefits:portfolio-version"
PORTFOLIO_CACHE_SECONDS = 60 * 60


def portfolio_version() -> str:
    version = cache.get(PORTFOLIO_VERSION_KEY)
    if version is None:
        cache.add(PORTFOLIO_VERSION_KEY, str(time.time_ns()), None)
        version = cache.get(PORTFOLIO_VERSION_KEY)
    return str(version)


def bump_portfolio_version() -> None:
    """Called whenever plans, benefits, amounts or measurements change (signals and the services' bulk writes)."""
    cache.set(PORTFOLIO_VERSION_KEY, str(time.time_ns()), None)


def invalidate_portfolio(*args: object, **kwargs: object) -> None:
    """Bump at once and again when the transaction commits, so a roll-up computed from the old data in between is
    not kept either."""
    bump_portfolio_version()
    transaction.on_commit(bump_portfolio_version)
