"""Benchmark of the instrument matcher: the shipped catalogue (46 instruments) plus 1,000 synthetic ones, matched
through the open API over real HTTP (gunicorn, 2 workers, the production setup).

    python bench/instruments.py --database-url postgres://postgres@127.0.0.1:5432/nyskap_bench_instruments
    python bench/instruments.py                                                   # SQLite

Each figure is reported beside a ceiling measured in the same run on the same machine (a trivial Django view
through the same gunicorn). Target: matcher p95 ≤ 100 ms. Results: bench/results/instruments-<database>.json.
Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench.common import configure, reset_database  # noqa: E402

TARGET_P95_MS = 100

# Questions of the kinds the matcher page gets: from an organisation (kind and population), with or without
# phase, needs, type and sector, and with the excluded instruments included (the largest answer).
QUESTIONS: list[dict[str, Any]] = [
    {"organisation": "oygarden", "phase": "develop_test", "needs": ["money"]},
    {"organisation": "oygarden", "phase": "implemented", "needs": ["money", "advice"], "include_excluded": "true"},
    {"kind": "state_agency", "phase": "ideas", "needs": ["method", "competence"], "sector": "health_care"},
    {"kind": "municipality", "only_open_calls": "true", "innovation_types": ["service"]},
    {"phase": "need"},
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--synthetic", type=int, default=int(os.environ.get("BENCH_SYNTHETIC", "1000")))
    parser.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", "40")))
    return parser.parse_args()


def synthetic_instruments(count: int, seed: int = 1) -> list[Any]:
    """``count`` made-up instruments with random vocabularies (marked synthetic, never shown as real)."""
    from nyskap.instruments.catalogue import ALL_PHASES
    from nyskap.instruments.models import Instrument, Offer
    from nyskap.organisations.models import OrganisationKind
    from nyskap.projects.models import Sector

    rng = random.Random(seed)
    kinds = list(OrganisationKind.values)
    instruments = []
    for i in range(count):
        applicants = rng.sample(kinds, rng.randint(1, 4))
        rest = [k for k in kinds if k not in applicants]
        instruments.append(
            Instrument(
                slug=f"syntetisk-{i:04d}",
                name_nb=f"Syntetisk virkemiddel {i:04d}",
                name_nn=f"Syntetisk verkemiddel {i:04d}",
                name_en=f"Synthetic instrument {i:04d}",
                offers=rng.sample(Offer.values, rng.randint(1, 3)),
                applicant_kinds=applicants,
                partner_kinds=rng.sample(rest, rng.randint(0, 2)),
                phases=sorted(rng.sample(list(ALL_PHASES), rng.randint(1, 3)), key=ALL_PHASES.index),
                sectors=rng.sample(Sector.values, rng.randint(0, 2)),
                requires_open_call=rng.random() < 0.3,
                status="ended" if rng.random() < 0.1 else "active",
                verification="unverified",
                is_synthetic=True,
            )
        )
    Instrument.objects.bulk_create(instruments, batch_size=500)
    return instruments


def main() -> int:
    args = parse_args()
    env = configure(args.database_url)
    reset_database(args.database_url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.common import Gunicorn, http_latency
    from nyskap.instruments.models import Instrument

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0, stdout=io.StringIO())
    call_command("load_instruments", verbosity=0, stdout=io.StringIO())
    synthetic_instruments(args.synthetic)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    report: dict[str, object] = {
        "database": connection.vendor,
        "instruments": Instrument.objects.count(),
        "synthetic": args.synthetic,
        "setup_seconds": round(time.perf_counter() - started, 1),
        "target_p95_ms": TARGET_P95_MS,
    }
    failures: list[str] = []
    connection.close()

    server = Gunicorn(env)
    try:
        http: dict[str, object] = {"ceiling_trivial_view": http_latency(f"{server.url}/helse/live/", args.repeat)}
        for number, question in enumerate(QUESTIONS, start=1):
            url = f"{server.url}/api/v1/instruments/match?{urlencode(question, doseq=True)}"
            timing = http_latency(url, args.repeat)
            with urllib.request.urlopen(url, timeout=30) as response:
                results = len(json.loads(response.read())["results"])
            http[f"match_{number}"] = {**timing, "question": question, "results": results}
            if timing["p95_ms"] > TARGET_P95_MS:
                failures.append(f"matcher question {number} p95 {timing['p95_ms']} ms > {TARGET_P95_MS} ms")
        http["matcher_page"] = http_latency(
            f"{server.url}/virkemidler/finn/?{urlencode(QUESTIONS[1], doseq=True)}", args.repeat
        )
    finally:
        server.stop()
    report["http"] = http
    report["failures"] = failures
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"instruments-{report['database']}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    print(f"{report['database']}: {report['instruments']} instruments (setup {report['setup_seconds']} s)")
    for name, values in http.items():
        assert isinstance(values, dict)
        extra = f", {values['results']} results" if "results" in values else ""
        print(f"  {name:22} p50 {values['p50_ms']:>7} ms  p95 {values['p95_ms']:>7} ms{extra}")
    print(f"  target: matcher p95 ≤ {TARGET_P95_MS} ms")
    for failure in failures:
        print(f"  MISSED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
