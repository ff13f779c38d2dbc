"""The trials overview (M6) as a visitor meets it: the overview with its facets and counts, and its statistics page,
over `--trials` trials, each URL a distinct combination of search and filters, through gunicorn with production
settings (on PostgreSQL), nothing cached.

    python bench/trials.py --database-url postgres://postgres@127.0.0.1:5432/nyskap_trials_bench   # PostgreSQL
    python bench/trials.py                                                                         # SQLite

What it does, in one run on one machine:
1. Builds a database with the reference data, the white paper's trials (`load_trials`, as `make run` does) and
   `--trials` synthetic trials over every kind, status, design, sector and owner (bench.dashboards.build_trials),
   every one of them in the search index as the registry would have it (a search word then meets thousands of
   trials, as it would on a registry of that size, not only the white paper's few dozen).
2. Starts gunicorn (2 sync workers); on PostgreSQL the production settings with Redis as the cache, emptied first.
3. The trivial view (`/helse/live/`): p95 from one client, 300 requests.
4. One client, each URL once: `--pages` overview pages and `--statistics` statistics pages, every one a different
   combination of facets (kind, status, design, sector, decision, county, size band, centrality, overdue), a search
   word for a third of them and a later page for some: p50/p95/max, and the ratio to the trivial view's p95.

Target (the issue): the overview's p95 within 10x the trivial view's p95 in the same run; no errors.
Results: bench/results/trials-<database>.json. Exit status 1 when a target is missed. Not a timed test.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench.common import Gunicorn, configure, reset_database, serving_env  # noqa: E402
from bench.search_http import CEILING, Client, sequential  # noqa: E402

TARGET_RATIO = 10.0
WORDS = ["sms", "valg", "skole", "ventetid", "sandkasse", "ordfører", "forsøk", "velferd", "innbyggere", "tiltak"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--trials", type=int, default=10000)
    parser.add_argument("--pages", type=int, default=300, help="distinct overview URLs, one client")
    parser.add_argument("--statistics", type=int, default=60, help="distinct statistics URLs, one client")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    return parser.parse_args()


def build(args: argparse.Namespace) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command

    from bench.dashboards import build_trials
    from nyskap.trials.models import Trial
    from nyskap.trials.search import index_trials

    reset_database(args.database_url)
    steps: dict[str, Any] = {}
    clock = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0, stdout=io.StringIO())
    call_command("load_trials", stdout=io.StringIO(), stderr=io.StringIO())
    steps["migrate_reference_and_white_paper_seconds"] = round(time.perf_counter() - clock, 1)
    clock = time.perf_counter()
    build_trials(args.trials)
    steps["trials_seconds"] = round(time.perf_counter() - clock, 1)
    clock = time.perf_counter()
    # The bulk load bypasses the services that index a trial when it is saved.
    steps["trials_indexed"] = index_trials(Trial.objects.order_by("pk").iterator(chunk_size=2000))
    steps["index_seconds"] = round(time.perf_counter() - clock, 1)
    if args.database_url:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return steps


def facet_values() -> dict[str, list[str]]:
    from nyskap.organisations.models import County, Organisation, size_band_choices
    from nyskap.projects.models import Sector
    from nyskap.trials.models import TrialDecision, TrialDesign, TrialKind, TrialStatus

    return {
        "kind": list(TrialKind.values),
        "status": list(TrialStatus.values),
        "design": list(TrialDesign.values),
        "sector": list(Sector.values),
        "decision": list(TrialDecision.values),
        "county": list(County.objects.values_list("number", flat=True)),
        "municipality": list(Organisation.objects.filter(kind="municipality").values_list("slug", flat=True)[:200]),
        "size_band": [code for code, _label in size_band_choices()],
        "centrality": [str(n) for n in range(1, 7)],
    }


def distinct_queries(count: int, values: dict[str, list[str]], seed: int) -> list[str]:
    """`count` different query strings: one to three facets with one or two values each, a search word for a third,
    the overdue filter for some, a later page for some."""
    rng = random.Random(seed)
    seen: set[str] = set()
    queries: list[str] = []
    while len(queries) < count:
        params: list[tuple[str, str]] = []
        for facet in rng.sample(sorted(values), k=rng.randint(1, 3)):
            params += [
                (facet, value) for value in rng.sample(values[facet], k=min(len(values[facet]), rng.randint(1, 2)))
            ]
        if rng.random() < 1 / 3:
            params.append(("q", rng.choice(WORDS)))
        if rng.random() < 0.1:
            params.append(("overdue", "1"))
        if rng.random() < 0.2:
            params.append(("page", str(rng.randint(2, 4))))
        query = urlencode(sorted(params))
        if query not in seen:
            seen.add(query)
            queries.append(query)
    return queries


def main() -> int:
    args = parse_args()
    env = configure(args.database_url)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
    database = "postgresql" if args.database_url else "sqlite"
    started = time.perf_counter()
    steps = build(args)
    from nyskap.trials.models import Trial

    trials = Trial.objects.count()
    values = facet_values()
    pages = [f"/forsok/?{query}" for query in distinct_queries(args.pages, values, seed=3)]
    stats = [f"/forsok/statistikk/?{query}" for query in distinct_queries(args.statistics, values, seed=4)]
    print(f"{database}: {trials} trials (setup {round(time.perf_counter() - started, 1)} s)", flush=True)

    serve_env = serving_env(env, args.database_url, args.redis_url)
    server = Gunicorn(serve_env, workers=2)
    client = Client(server.url)
    try:
        sequential(client, ["/forsok/?kind=lab&q=warm", CEILING] * 5)  # both workers up; no measured URL
        trivial = sequential(client, [CEILING] * 300)
        overview = sequential(client, pages)
        statistics = sequential(client, stats)
    finally:
        server.stop()
    trivial_p95 = float(trivial["p95_ms"])  # type: ignore[arg-type]

    def ratio(figures: dict[str, Any]) -> float:
        return round(float(figures["p95_ms"]) / trivial_p95, 2) if trivial_p95 else 0.0

    report: dict[str, Any] = {
        "database": database,
        "settings": serve_env["DJANGO_SETTINGS_MODULE"],
        "gunicorn_workers": 2,
        "cpu_count": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "trials": trials,
        "setup": steps,
        "trivial_view": {"path": CEILING, **trivial},
        "overview_one_client": {**overview, "ratio_to_trivial_p95": ratio(overview)},
        "statistics_one_client": {**statistics, "ratio_to_trivial_p95": ratio(statistics)},
    }
    targets = {
        f"overview p95 <= {TARGET_RATIO:.0f}x the trivial view's p95": ratio(overview) <= TARGET_RATIO,
        "no errors (every response 200)": not (overview["errors"] or statistics["errors"] or trivial["errors"]),
    }
    report["targets"] = targets
    out = ROOT / "bench" / "results" / f"trials-{database}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for name in ("trivial_view", "overview_one_client", "statistics_one_client"):
        figures = report[name]
        print(f"{name}: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, errors {figures['errors']}")
    for name, met in targets.items():
        print(f"{'met' if met else 'MISSED'}: {name}")
    return 0 if all(targets.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
