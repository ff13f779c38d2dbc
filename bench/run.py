"""Benchmarks for the foundation: page and API response times against the same machine's baselines.

Runs in-process against a fresh database (SQLite in a temporary file, or DATABASE_URL) loaded with the full
reference data and 200 extra organisations. Each target is measured as p50/p95 over repeated requests and compared
with a trivial view and a raw SQL query on the same machine, so the ratios hold on noisy machines. Results are
written to bench/results/foundation.json; the run fails when a ceiling is exceeded.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))  # the test settings include a test-only app
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nyskap.config.settings.test")
if not os.environ.get("DATABASE_URL"):
    os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

# Ceilings for p95 in milliseconds on the reference machine (2 cores); generous enough for a noisy neighbour,
# tight enough to catch an N+1 query or a missing index.
CEILINGS_MS = {
    "organisation list": 150,
    "organisation list, filtered": 150,
    "organisation search": 150,
    "organisation detail": 80,
    "API organisation list": 150,
    "API organisation detail": 60,
    "front page": 100,
}
REPEAT = int(os.environ.get("BENCH_REPEAT", "60"))


def measure(client: Client, path: str, repeat: int = REPEAT) -> dict[str, float]:
    client.get(path)  # warm up
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 2),
        "max_ms": round(samples[-1], 2),
    }


def raw_sql_baseline(repeat: int = REPEAT) -> dict[str, float]:
    samples = []
    with connection.cursor() as cursor:
        for _ in range(repeat):
            start = time.perf_counter()
            cursor.execute("SELECT id, name FROM organisations_organisation ORDER BY name LIMIT 50")
            cursor.fetchall()
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 3),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 3),
    }


def main() -> int:
    from django.test.utils import get_runner  # noqa: F401 - ensures test settings are complete

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    test_db = connection.creation.create_test_db(verbosity=0, keepdb=False) if os.environ.get("DATABASE_URL") else None
    try:
        if test_db is None:
            call_command("migrate", verbosity=0)
        call_command("load_reference_data", verbosity=0, stdout=io.StringIO())
        from nyskap.organisations.models import Organisation, OrganisationKind

        county = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).first().county
        Organisation.objects.bulk_create(
            [
                Organisation(
                    kind=OrganisationKind.COMPANY,
                    name=f"Leverandør {i:03d} AS",
                    slug=f"leverandor-{i:03d}",
                    county=county,
                )
                for i in range(200)
            ]
        )
        client = Client()
        targets = {
            "trivial view (health check)": "/helse/live/",
            "front page": "/",
            "organisation list": "/organisasjoner/",
            "organisation list, filtered": "/organisasjoner/?kind=municipality&county=46&size_band=xl",
            "organisation search": "/organisasjoner/?q=kommune",
            "organisation detail": "/organisasjoner/oslo/",
            "API organisation list": "/api/v1/organisations?kind=municipality&page_size=50",
            "API organisation detail": "/api/v1/organisations/oslo",
        }
        results: dict[str, dict[str, float]] = {"raw SQL (50 rows)": raw_sql_baseline()}
        for name, path in targets.items():
            results[name] = measure(client, path)
        baseline = results["trivial view (health check)"]["p50_ms"] or 0.001
        for name, values in results.items():
            if "p50_ms" in values and name != "raw SQL (50 rows)":
                values["ratio_to_trivial_view"] = round(values["p50_ms"] / baseline, 1)
        failures = [
            f"{name}: p95 {results[name]['p95_ms']} ms > {ceiling} ms"
            for name, ceiling in CEILINGS_MS.items()
            if results[name]["p95_ms"] > ceiling
        ]
        report = {
            "database": connection.vendor,
            "organisations": Organisation.objects.count(),
            "repeat": REPEAT,
            "ceilings_p95_ms": CEILINGS_MS,
            "results": results,
            "failures": failures,
        }
    finally:
        if test_db is not None:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "foundation.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    width = max(len(n) for n in results)
    for name, values in results.items():
        print(f"{name:<{width}}  p50 {values['p50_ms']:>8} ms  p95 {values['p95_ms']:>8} ms")
    if failures:
        print("FAILED:", *failures, sep="\n  ")
        return 1
    print(f"All {len(CEILINGS_MS)} ceilings met ({connection.vendor}). Results in bench/results/foundation.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
