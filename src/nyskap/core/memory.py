"""Memory habits for the pages that compute much on every request."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a large computation runs (as a ``with`` block or a decorator). Such a
    computation makes thousands of short-lived, acyclic objects (counts, figures, sets of respondents); freed by
    reference counting, they need no collector, but while they live they get promoted into the oldest generation
    and set off full collections of the whole process heap (about 100 ms in a Django worker, the tail of the page's
    times) every few requests. The collector runs again, as usual, afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
