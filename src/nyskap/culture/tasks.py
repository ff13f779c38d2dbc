"""Background work of the culture module."""

from __future__ import annotations

from django.tasks import task

from . import benchmarks


@task()
def recompute_benchmarks() -> int:
    """Recompute the national and group comparison figures (run nightly, and after rounds close)."""
    return benchmarks.recompute()
