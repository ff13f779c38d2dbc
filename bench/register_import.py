"""Benchmark: reading a national download of the Central Coordinating Register (default 1,200,000 entities) for a
register import's dry run, in bounded memory.

    python bench/register_import.py                       # JSON array, gzip, 1.2 million entities (SQLite)
    python bench/register_import.py --format csv          # the CSV download
    python bench/register_import.py --tracemalloc         # also the peak of Python allocations (slower)

The file is generated first (streamed, in the register's field structure; about 2,000 public bodies among
companies, sole proprietors and associations), on a database holding the shipped reference data. Reported: the
file's size, the time of the dry run (read, select, plan), entities per second, and memory — the process's
resident set before the run and its peak after (resource.getrusage), and with --tracemalloc the peak of Python
allocations during the run. Target: the peak grows by less than 150 MB whatever the file's size.
Results: bench/results/register-import-<format>.json. Exit status 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench.common import configure  # noqa: E402

TARGET_GROWTH_MB = 150


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entities", type=int, default=int(os.environ.get("BENCH_REGISTER_ENTITIES", "1200000")))
    parser.add_argument("--public", type=int, default=2000, help="public bodies (sector 6100/6500) among them")
    parser.add_argument("--format", choices=["json", "csv"], default="json")
    parser.add_argument("--tracemalloc", action="store_true")
    return parser.parse_args()


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def entities(total: int, public: int) -> Iterator[dict[str, Any]]:
    from tests.organisations import register_files as rf

    every = max(1, total // max(public, 1))
    private = rf.filler(total, start=80_000_000)
    number = 90_000_000
    for i, value in enumerate(private):
        if i % every == 0 and i // every < public:
            number_text = rf.valid_number(number)
            number = int(number_text[:8]) + 1
            form, sector = ("ORGL", "6100") if i % 2 else ("IKS", "6500")
            yield rf.entity(number_text, f"OFFENTLIG ORGAN {i}", form=form, sector=sector)
        else:
            yield value


def main() -> int:
    args = parse_args()
    configure("")
    import django

    django.setup()
    from django.core.management import call_command
    from tests.organisations import register_files as rf

    from nyskap.organisations.register import register_plan

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", stdout=open(os.devnull, "w"))  # noqa: SIM115

    folder = Path(tempfile.mkdtemp())
    path = folder / f"enheter_alle.{args.format}.gz"
    start = time.perf_counter()
    if args.format == "json":
        rf.write_json(path, entities(args.entities, args.public))
    else:
        rf.write_csv(path, entities(args.entities, args.public))
    generated_s = time.perf_counter() - start

    before = rss_mb()
    if args.tracemalloc:
        tracemalloc.start()
    start = time.perf_counter()
    with path.open("rb") as handle:
        plan = register_plan(handle, sector_codes=["6100", "6500"], organisation_forms=["ORGL", "IKS", "STAT"])
    elapsed = time.perf_counter() - start
    traced_peak = tracemalloc.get_traced_memory()[1] / 2**20 if args.tracemalloc else None
    after = rss_mb()
    report = {
        "format": args.format,
        "entities": args.entities,
        "file_mb": round(path.stat().st_size / 2**20, 1),
        "generate_s": round(generated_s, 1),
        "dry_run_s": round(elapsed, 1),
        "entities_per_s": round(plan.read / elapsed),
        "read": plan.read,
        "selected": plan.selected,
        "new": len(plan.new),
        "problems": plan.problem_count,
        "rss_before_mb": round(before, 1),
        "rss_peak_after_mb": round(after, 1),
        "peak_growth_mb": round(after - before, 1),
        "tracemalloc_peak_mb": round(traced_peak, 1) if traced_peak is not None else None,
        "target_growth_mb": TARGET_GROWTH_MB,
    }
    path.unlink()
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"register-import-{args.format}.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    for key, value in report.items():
        print(f"{key}: {value}")
    return 0 if report["peak_growth_mb"] <= TARGET_GROWTH_MB and plan.read == args.entities else 1


if __name__ == "__main__":
    sys.exit(main())
