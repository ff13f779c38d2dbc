"""The crash test (tests/ops/crash.py) in the suite: on the PostgreSQL pass only, with a cluster of its own."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.db import connection

from . import crash


@pytest.mark.crash
def test_when_workers_are_killed_and_postgresql_stops_hard_then_no_acknowledged_write_is_lost():
    if connection.vendor != "postgresql" and not os.environ.get("NYSKAP_CRASH_TEST"):
        pytest.skip("CRASH-SKIPPED: runs on the PostgreSQL pass (DATABASE_URL) or with NYSKAP_CRASH_TEST=1")
    report = crash.run(seconds=float(os.environ.get("NYSKAP_CRASH_SECONDS", "30")))
    out = Path(crash.ROOT) / "var" / "crash-report.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    print(f"crash test: acknowledged {report['acknowledged']}, stored {report['stored']}, "
          f"lost {report['lost_acknowledged_writes']}, half-written {report['half_written_objects']}")  # fmt: skip
    assert report["problems"] == []
    assert report["lost_acknowledged_writes"] == 0
    assert report["half_written_objects"] == 0
    # The faults really happened, and writes of every kind were acknowledged on both sides of them.
    assert sum("SIGKILL" in event for event in report["events"]) == 4
    assert sum("stop -m immediate" in event for event in report["events"]) == 1
    assert all(count >= 1 for count in report["acknowledged"].values()), report["acknowledged"]
    assert any(kind.endswith("no response") for kind in report["failed_requests"]), "the kills cut no request off"
