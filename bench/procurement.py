"""Procurement statistics at national scale: importing 100,000 notices in bounded memory, and the statistics page
over them as a visitor meets it.

    python bench/procurement.py --database-url postgres://postgres@127.0.0.1:5432/nyskap_procurement_bench
    python bench/procurement.py                                   # SQLite (development settings, no Redis)

What it does, in one run on one machine:
1. Writes `--notices` synthetic notices as files in the standards' structure: two thirds as eForms XML notices in
   zip files, one third as OCDS release packages (JSON), `--per-file` notices a file.
2. Imports the first file alone, then all the others in one import, through the same service as the operators'
   page (one transaction each, every notice parsed, classified and written in batches), measuring the peak of
   Python memory (tracemalloc) and the process's maximum resident size: bounded memory means the import of ~9× the
   notices peaks about as high as the first file's.
3. Starts gunicorn (2 sync workers) with the production settings (`nyskap.config.settings.prod`; on PostgreSQL with
   Redis as the cache, emptied first), and measures with `--clients` concurrent clients: the liveness view
   (`/helse/live/`, the whole middleware stack, no database: the ceiling) and the statistics page with distinct
   filter combinations (year × procedure × county × sector × class; the page is never cached). Target: the
   statistics page's p95 within 10 × the liveness view's p95 in the same run.

Results: bench/results/procurement-<database>.json. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import resource
import sys
import tempfile
import threading
import time
import tracemalloc
import urllib.request
import zipfile
from pathlib import Path
from urllib.parse import urlencode

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "src")]

from bench.common import ROOT, Gunicorn, configure, percentiles, reset_database, serving_env  # noqa: E402

PROXY = {"X-Forwarded-Proto": "https"}  # as the TLS proxy in front of the app servers would say


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4"))
    parser.add_argument("--notices", type=int, default=100_000)
    parser.add_argument("--per-file", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=400, help="statistics pages requested under load")
    parser.add_argument("--target-ratio", type=float, default=10.0)
    parser.add_argument("--reuse", action="store_true", help="keep the notices of an earlier run (HTTP part only)")
    return parser.parse_args()


def write_files(count: int, per_file: int, folder: Path, buyers: list[tuple[str, str]]) -> list[Path]:
    from nyskap.procurement.synthetic import eforms_xml, ocds_package, ocds_release, random_notices

    paths: list[Path] = []
    notices = random_notices(count, buyers, seed=2026, prefix="BENCH")
    for index in itertools.count():
        chunk = list(itertools.islice(notices, per_file))
        if not chunk:
            break
        if index % 3 == 2:
            path = folder / f"ocds-{index:03d}.json"
            path.write_bytes(ocds_package([ocds_release(values) for values in chunk]))
        else:
            path = folder / f"eforms-{index:03d}.zip"
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
                for values in chunk:
                    archive.writestr(f"{values.notice_id}.xml", eforms_xml(values))
        paths.append(path)
    return paths


def use_reference_buyers(count: int) -> list[tuple[str, str]]:
    from nyskap.organisations.models import Organisation

    return list(
        Organisation.objects.public_sector()
        .exclude(organisation_number="")
        .order_by("pk")
        .values_list("name", "organisation_number")[:count]
    )


def measured_import(paths: list[Path]) -> dict[str, float]:
    from nyskap.procurement.services import NoticeFile, notices_import

    handles = [path.open("rb") for path in paths]
    tracemalloc.start()
    start = time.perf_counter()
    try:
        run = notices_import(files=[NoticeFile(p.name, h) for p, h in zip(paths, handles, strict=True)])
    finally:
        seconds = time.perf_counter() - start
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        for handle in handles:
            handle.close()
    return {
        "files": len(paths),
        "bytes": sum(p.stat().st_size for p in paths),
        "notices": run.notices_created,
        "seconds": round(seconds, 1),
        "notices_per_second": round(run.notices_created / max(seconds, 0.001)),
        "peak_python_memory_mb": round(peak / 2**20, 1),
        "max_resident_mb_so_far": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def statistics_urls(years: list[int], counties: list[str], count: int) -> list[str]:
    from nyskap.procurement.labels import PROCEDURE_LABELS

    rng = random.Random(20)  # a reproducible choice of filters
    options = {
        "year": ["", *map(str, years)],
        "procedure": ["", *PROCEDURE_LABELS],
        "county": ["", *counties],
        "sector": ["", "45", "72", "48", "79", "71", "90", "33", "73"],
        "notice_class": ["", "innovation", "innovation_friendly", "other"],
    }
    combinations = list(itertools.product(*options.values()))
    rng.shuffle(combinations)
    urls = []
    for combination in combinations[:count]:
        query = {name: value for name, value in zip(options, combination, strict=True) if value}
        urls.append(f"/anskaffelser/?{urlencode(query)}" if query else "/anskaffelser/")
    assert len(set(urls)) == len(urls)
    return urls


def concurrent_get(base: str, paths: list[str], clients: int) -> tuple[list[float], int]:
    samples: list[float] = []
    errors = [0]
    lock = threading.Lock()
    queue = list(paths)

    def worker() -> None:
        while True:
            with lock:
                if not queue:
                    return
                path = queue.pop()
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(urllib.request.Request(base + path, headers=PROXY), timeout=60) as r:
                    r.read()
                    ok = r.status == 200
            except OSError:
                ok = False
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                samples.append(elapsed)
                errors[0] += not ok

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples, errors[0]


def main() -> int:
    args = parse_args()
    database = "postgresql" if args.database_url else "sqlite"
    env = configure(args.database_url)
    if not args.reuse:
        reset_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    report: dict[str, object] = {"database": database, "notices_asked": args.notices}
    failures: list[str] = []

    from nyskap.procurement.models import Notice

    previous = Path(ROOT / "bench" / "results" / f"procurement-{database}.json")
    if args.reuse and Notice.objects.exists():
        earlier = json.loads(previous.read_text(encoding="utf-8")) if previous.exists() else {}
        report["import"] = earlier.get("import", "imported by an earlier run")
        report["files"] = earlier.get("files")
        report["reused"] = True
    else:
        folder = Path(tempfile.mkdtemp(prefix="procurement-bench-"))
        start = time.perf_counter()
        paths = write_files(args.notices, args.per_file, folder, use_reference_buyers(400))
        report["files"] = {
            "count": len(paths),
            "megabytes": round(sum(p.stat().st_size for p in paths) / 2**20, 1),
            "seconds": round(time.perf_counter() - start, 1),
        }
        print(f"{database}: wrote {report['files']}", flush=True)
        first = measured_import(paths[:1])
        print(f"  first file {first}", flush=True)
        rest = measured_import(paths[1:])
        print(f"  the rest   {rest}", flush=True)
        report["import"] = {
            "first_file": first,
            "rest": rest,
            "peak_ratio_rest_to_first": round(
                rest["peak_python_memory_mb"] / max(first["peak_python_memory_mb"], 0.1), 2
            ),
            "notices_ratio_rest_to_first": round(rest["notices"] / max(first["notices"], 1), 1),
        }
        # Bounded: 9× the notices may not take more than twice the first file's peak.
        if rest["peak_python_memory_mb"] > 2 * first["peak_python_memory_mb"] + 20:
            failures.append(f"import memory grows with the notices: {first} vs {rest}")
        for path in paths:
            path.unlink()
        folder.rmdir()
    if connection.vendor == "postgresql":
        # What autovacuum does after a bulk import (PostgreSQL 13 and later vacuum a table after many inserts): the
        # planner's statistics, and the visibility map that lets the buyer counts come from the indexes alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE procurement_notice")

    from nyskap.procurement.selectors import years

    report["notices"] = Notice.objects.count()
    counties = list(
        Notice.objects.exclude(county_number="")
        .order_by("county_number")
        .values_list("county_number", flat=True)
        .distinct()
    )
    urls = statistics_urls(years(), counties, args.requests + 20)
    warm, timed = urls[:20], urls[20:]

    serve_env = serving_env(env, args.database_url, args.redis_url)
    server = Gunicorn(serve_env, workers=2)
    try:
        concurrent_get(server.url, warm + ["/helse/live/"] * 20, args.clients)
        trivial, trivial_errors = concurrent_get(server.url, ["/helse/live/"] * args.requests, args.clients)
        wall = time.perf_counter()
        page, page_errors = concurrent_get(server.url, timed, args.clients)
        page_seconds = time.perf_counter() - wall
        trivial_after, _ = concurrent_get(server.url, ["/helse/live/"] * args.requests, args.clients)
    finally:
        server.stop()
    trivial_p95 = percentiles(trivial + trivial_after)["p95_ms"]  # both measurements of the ceiling, pooled
    page_stats = percentiles(page)
    ratio = round(page_stats["p95_ms"] / max(trivial_p95, 0.01), 1)
    report["http"] = {
        "settings": serve_env["DJANGO_SETTINGS_MODULE"],
        "cache": "redis (emptied; the page is not cached)" if database == "postgresql" else "none",
        "clients": args.clients,
        "trivial_view_before": percentiles(trivial),
        "trivial_view_after": percentiles(trivial_after),
        "statistics_page_distinct_filters": {
            **page_stats,
            "errors": page_errors,
            "requests_per_second": round(len(page) / page_seconds, 1),
            "ratio_to_trivial_p95": ratio,
            "target_ratio": args.target_ratio,
        },
        "trivial_errors": trivial_errors,
    }
    if ratio > args.target_ratio:
        failures.append(f"statistics page p95 is {ratio}× the trivial view's (target {args.target_ratio}×)")
    if page_errors:
        failures.append(f"{page_errors} statistics pages failed")
    report["failures"] = failures
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"procurement-{database}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(report["http"], indent=1))
    if failures:
        print("FAILED:", *failures, sep="\n  ")
        return 1
    print(f"All targets met. Results in {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
