"""The dashboards (M8) as a visitor meets them: lens pages through gunicorn with production settings, none seen before.

    python bench/dashboards.py --database-url postgres://postgres@127.0.0.1:5432/nyskap_bench   # PostgreSQL + Redis
    python bench/dashboards.py                                                                   # SQLite

What it does, in one run on one machine:
1. Builds (or reuses, with --reuse) a database of `--projects` projects (the white-paper cases, synthetic projects and
   the projects of `--plans` benefit plans with benefits, yearly amounts and measurements), `--trials` trials spread
   over the public-sector organisations, kinds, statuses and sectors (some pre-registered, some decided, some
   overdue), and the example challenges.
2. Runs the precomputation (`nyskap.dashboards.services.refresh`) in a separate process: seconds, snapshots written
   and peak memory. ANALYZE afterwards.
3. Starts gunicorn (2 sync workers) with the production settings and Redis as the shared cache, emptied first (on
   SQLite: the development settings, local-memory cache). Both workers are warmed on lenses no measurement uses.
4. The ceiling: the liveness view (`/helse/live/`) p95 from one client and its throughput from `--clients` clients;
   the full health view (`/helse/`) is reported beside it.
5. One client, each URL once, no cache has seen any of them: lens pages (every kind, plain and compared with another
   lens of the same kind), the API (`/api/v1/dashboards/{lens}/{key}`), the XLSX export and first drawings of charts
   (SVG and PNG): p50/p95/max, each beside the ceiling's p95.
6. `--clients` clients for `--seconds` seconds on further distinct lens pages (each requested once; any repeat is
   counted): p50/p95, throughput, errors and the share of the ceiling's throughput.

Targets (the issue): a lens page, uncached, p95 <= 300 ms; the API p95 <= 300 ms; no errors (anything but 200).
Results: bench/results/dashboards-<database>.json. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import itertools
import json
import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench.common import Gunicorn, child_json, configure, percentiles, reset_database, serving_env  # noqa: E402
from bench.search_http import CEILING, Client, concurrent, sequential  # noqa: E402

TARGET_P95_MS = 300.0
WARM_ORGANISATIONS = 8  # organisation lenses kept out of every measurement, for warming the workers up


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--projects", type=int, default=100000, help="projects in all, the plans' own included")
    parser.add_argument("--plans", type=int, default=10000)
    parser.add_argument("--trials", type=int, default=10000)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--single", type=int, default=300, help="distinct lens pages for the one-client latency")
    parser.add_argument("--api", type=int, default=100, help="distinct lenses through the API, one client")
    parser.add_argument("--xlsx", type=int, default=40, help="distinct XLSX exports, one client")
    parser.add_argument("--charts", type=int, default=30, help="distinct first chart drawings (SVG), one client")
    parser.add_argument("--png", type=int, default=10, help="distinct first chart drawings (PNG), one client")
    parser.add_argument("--reuse", action="store_true", help="keep the database if it already holds the sizes")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8"))
    parser.add_argument("--child-refresh", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


# Building the database


def build_trials(count: int, seed: int = 11) -> None:
    """`count` trials in bulk, owned by public-sector organisations (one in seven jointly by two or three), over
    every kind, status and sector: pre-registered plans for most trials past planning, decisions with reasons for
    the decided ones, and overdue ones (past the end without results, or results long without a decision)."""
    import datetime

    from django.utils import timezone

    from nyskap.organisations import selectors as organisation_selectors
    from nyskap.organisations.models import Organisation
    from nyskap.projects.models import Sector
    from nyskap.trials.models import (
        Evaluator,
        Registration,
        Trial,
        TrialDecision,
        TrialDesign,
        TrialKind,
        TrialStatus,
    )

    rng = random.Random(seed)
    owners = list(
        Organisation.objects.filter(ended_on__isnull=True, kind__in=organisation_selectors.PUBLIC_SECTOR_KINDS)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    kinds = {TrialKind.FORSOKSLOVEN: 15, TrialKind.SECTOR_LAW: 15, TrialKind.SANDBOX: 10, TrialKind.PILOT: 45,
             TrialKind.LAB: 15}  # fmt: skip
    statuses = {TrialStatus.PLANNED: 15, TrialStatus.PREREGISTERED: 10, TrialStatus.APPROVED: 10,
                TrialStatus.RUNNING: 25, TrialStatus.ENDED: 10, TrialStatus.RESULTS_REPORTED: 15,
                TrialStatus.DECIDED: 15}  # fmt: skip
    visibilities = {"public": 80, "organisation": 8, "network": 5, "draft": 7}
    sectors = list(Sector.values)
    designs = list(TrialDesign.values)
    today = timezone.localdate()
    now = timezone.now()

    def pick(weights: dict[Any, int]) -> Any:
        return rng.choices(list(weights), weights=list(weights.values()))[0]

    batch = 2000
    for offset in range(0, count, batch):
        trials, trial_owners, registered = [], [], []
        for i in range(offset, min(offset + batch, count)):
            status = pick(statuses)
            starts = today + datetime.timedelta(days=rng.randint(-2200, 200 if status == TrialStatus.PLANNED else 0))
            ends = starts + datetime.timedelta(days=rng.randint(180, 1460))
            extended = ends + datetime.timedelta(days=365) if rng.random() < 0.05 else None
            decided = status == TrialStatus.DECIDED
            changed = now - datetime.timedelta(days=rng.randint(0, 400))
            preregistered = status != TrialStatus.PLANNED and rng.random() < 0.7
            trial = Trial(
                title=f"Syntetisk forsøk {i + 1} (syntetisk eksempel)",
                slug=f"syntetisk-forsok-{i + 1}",
                kind=pick(kinds),
                visibility=pick(visibilities),
                sector=rng.choice(sectors) if rng.random() < 0.95 else "",
                design=rng.choice(designs),
                evaluator=rng.choice(list(Evaluator.values)),
                hypothesis="Tiltaket gir kortere ventetid.",
                intervention="Nytt tiltak.",
                target_group="Innbyggere.",
                primary_outcome="Ventetid i dager.",
                planned_sample_size=rng.randint(20, 5000),
                starts_on=starts,
                ends_on=ends,
                extended_to=extended,
                status=status,
                status_changed_at=changed,
                not_preregistered=not preregistered and status in (TrialStatus.RESULTS_REPORTED, TrialStatus.DECIDED),
                result_summary="Kortere ventetid."
                if status in (TrialStatus.RESULTS_REPORTED, TrialStatus.DECIDED)
                else "",
                decision=rng.choice(list(TrialDecision.values)) if decided else "",
                decision_reason="Begrunnelse for vedtaket." if decided else "",
            )
            trials.append(trial)
            chosen = rng.sample(owners, k=rng.choice([2, 3])) if rng.random() < 1 / 7 else [rng.choice(owners)]
            trial_owners.append(chosen)
            registered.append(preregistered)
        created = Trial.objects.bulk_create(trials)
        if any(t.pk is None for t in created):  # databases that do not return ids from a bulk insert
            ids = dict(Trial.objects.filter(slug__in=[t.slug for t in created]).values_list("slug", "pk"))
            for t in created:
                t.pk = ids[t.slug]
        through = Trial.owners.through
        through.objects.bulk_create(
            [through(trial_id=t.pk, organisation_id=o) for t, chosen in zip(created, trial_owners, strict=True)
             for o in chosen],
            batch_size=5000,
        )  # fmt: skip
        rows = []
        for trial, flag in zip(created, registered, strict=True):
            if flag:
                plan = trial.plan()
                text = json.dumps(plan, sort_keys=True, ensure_ascii=False)
                rows.append(Registration(trial=trial, plan=plan, fingerprint=hashlib.sha256(text.encode()).hexdigest()))
        Registration.objects.bulk_create(rows, batch_size=2000)


def sizes() -> dict[str, int]:
    from nyskap.benefits.models import BenefitPlan
    from nyskap.challenges.models import Challenge
    from nyskap.organisations.models import Organisation
    from nyskap.projects.models import Project
    from nyskap.trials.models import Registration, Trial

    return {
        "projects": Project.objects.count(),
        "benefit_plans": BenefitPlan.objects.count(),
        "trials": Trial.objects.count(),
        "trials_preregistered": Registration.objects.count(),
        "challenges": Challenge.objects.count(),
        "organisations": Organisation.objects.count(),
    }


def build(args: argparse.Namespace) -> dict[str, Any]:
    """Migrate and fill the database; the seconds of each step (empty when an existing one was reused)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import override_settings

    from bench.benefits import build as build_plans
    from nyskap.projects.content import generate_synthetic_projects, load_white_paper_cases

    if args.reuse:
        try:
            found = sizes()
            if (
                found["projects"] >= args.projects
                and found["benefit_plans"] >= args.plans
                and found["trials"] >= args.trials
            ):
                return {"reused": True}
        except Exception:  # noqa: S110 - no schema yet: build it
            pass
    reset_database(args.database_url)
    # The build's writes queue no refresh of the dashboards: the benchmark runs (and times) the refresh itself.
    with override_settings(DASHBOARDS_REFRESH_ON_CHANGE=False):
        steps: dict[str, Any] = {"reused": False}
        clock = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("load_reference_data", verbosity=0, stdout=io.StringIO())
        steps["migrate_and_reference_seconds"] = round(time.perf_counter() - clock, 1)
        clock = time.perf_counter()
        load_white_paper_cases()
        call_command("load_challenges", verbosity=0, stdout=io.StringIO())
        steps["cases_and_challenges_seconds"] = round(time.perf_counter() - clock, 1)
        from nyskap.projects.models import Project

        # The plans' projects count in the total: generate the rest here.
        rest = max(0, args.projects - args.plans - Project.objects.count())
        clock = time.perf_counter()
        if rest:
            generate_synthetic_projects(rest, seed=1, allow_without_debug=True)
        steps["projects_seconds"] = round(time.perf_counter() - clock, 1)
        if args.plans:
            steps["plans"] = build_plans(args.plans)
        clock = time.perf_counter()
        build_trials(args.trials)
        steps["trials_seconds"] = round(time.perf_counter() - clock, 1)
    return steps


def drain_queue(env: dict[str, str]) -> dict[str, Any]:
    """Run the tasks waiting in the queue as a deployment's worker would (such as a refresh queued by the writes
    of an earlier build of this database): the full health view reports a queue that nobody works as a failure."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.ready().count()
    if not waiting:
        return {"tasks": 0, "seconds": 0.0}
    clock = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    return {
        "tasks": waiting,
        "seconds": round(time.perf_counter() - clock, 1),
        "left": DBTaskResult.objects.ready().count(),
    }


def analyse(database_url: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if database_url else "ANALYZE")


# The precomputation, in a process of its own (its peak memory is its own)


def refresh_child() -> None:
    import django

    django.setup()
    from bench.projects import peak_rss_mb
    from nyskap.dashboards.services import refresh

    before = peak_rss_mb()
    started = time.perf_counter()
    record = refresh()
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "snapshots": record.lenses,
                "peak_rss_mb": round(peak_rss_mb(), 1),
                "rss_before_refresh_mb": round(before, 1),
            }
        )
    )


def run_refresh(env: dict[str, str], database_url: str) -> dict[str, Any]:
    return child_json([__file__, "--child-refresh", "--database-url", database_url], env, timeout=3600)


# The URLs: each lens and each comparison once


def lenses() -> list[tuple[str, str]]:
    """(kind, key) of every public snapshot."""
    from nyskap.dashboards.models import Audience, Snapshot

    return list(Snapshot.objects.filter(audience=Audience.PUBLIC).order_by("lens", "key").values_list("lens", "key"))


def lens_path(kind: str, key: str, compare: str = "") -> str:
    from django.urls import reverse

    from nyskap.dashboards import access

    path = reverse("dashboards:lens", args=[access.SLUGS[kind], key])
    return f"{path}?{urlencode({'sammenlign': compare})}" if compare else path


def api_path(kind: str, key: str) -> str:
    from django.urls import reverse

    from nyskap.config.api import api

    return reverse(f"{api.urls_namespace}:dashboard", kwargs={"lens": kind, "key": key})


def export_path(kind: str, key: str) -> str:
    from django.urls import reverse

    from nyskap.dashboards import access

    return reverse("dashboards:export_xlsx", args=[access.SLUGS[kind], key])


def chart_path(kind: str, key: str, panel: str, fmt: str) -> str:
    from django.urls import reverse

    from nyskap.dashboards import access

    return reverse("dashboards:chart", args=[access.SLUGS[kind], key, panel, fmt])


def comparisons(
    every: list[tuple[str, str]], rng: random.Random, organisation_pairs: int
) -> list[tuple[str, str, str]]:
    """(kind, key, other): every ordered pair of the small kinds, and `organisation_pairs` random organisation pairs."""
    from nyskap.dashboards.lenses import COUNTRY, ORGANISATION

    by_kind: dict[str, list[str]] = {}
    for kind, key in every:
        by_kind.setdefault(kind, []).append(key)
    out = [
        (kind, a, b)
        for kind, keys in by_kind.items()
        if kind not in (COUNTRY, ORGANISATION)
        for a, b in itertools.permutations(keys, 2)
    ]
    organisations = by_kind.get(ORGANISATION, [])
    pairs: set[tuple[str, str]] = set()
    limit = len(organisations) * (len(organisations) - 1)
    while len(pairs) < min(organisation_pairs, limit):
        a, b = rng.sample(organisations, 2)
        pairs.add((a, b))
    out += [(ORGANISATION, a, b) for a, b in sorted(pairs)]
    rng.shuffle(out)
    return out


def panel_slugs(kind: str, key: str) -> list[str]:
    from nyskap.dashboards import panels
    from nyskap.dashboards.models import Audience, Snapshot

    data = Snapshot.objects.get(lens=kind, key=key, audience=Audience.PUBLIC).data
    return [panel.slug for section in panels.sections(data, kind) for panel in section.panels]


def url_pools(args: argparse.Namespace, seed: int = 5) -> dict[str, Any]:
    """Disjoint pools of distinct URLs: warm-up, one-client lens pages, the load's lens pages, API, XLSX, charts."""
    from nyskap.dashboards.lenses import COUNTRY, ORGANISATION

    rng = random.Random(seed)
    every = lenses()
    organisations = [lens for lens in every if lens[0] == ORGANISATION]
    others = [lens for lens in every if lens[0] != ORGANISATION]
    rng.shuffle(organisations)
    warm, organisations = organisations[:WARM_ORGANISATIONS], organisations[WARM_ORGANISATIONS:]
    warm_keys = {key for _kind, key in warm}
    # One client: every lens of the small kinds, the country also at /dashbord/, organisations for the rest of two
    # thirds, and a third comparisons.
    plain_single = max(len(others) + 1, args.single * 2 // 3)
    single_organisations = organisations[: plain_single - len(others) - 1]
    load_organisations = organisations[len(single_organisations) :]
    compared = [c for c in comparisons(every, rng, 20000) if c[1] not in warm_keys and c[2] not in warm_keys]
    # Half the one-client comparisons between organisations, half between the other kinds' lenses.
    between_organisations = [c for c in compared if c[0] == ORGANISATION]
    between_others = [c for c in compared if c[0] != ORGANISATION]
    wanted = args.single - plain_single
    single_compared = between_others[: wanted // 2] + between_organisations[: wanted - wanted // 2]
    load_compared = between_others[wanted // 2 :] + between_organisations[wanted - wanted // 2 :]
    rng.shuffle(load_compared)

    single: list[tuple[str, str]] = [("plain " + kind, lens_path(kind, key)) for kind, key in others]
    single.append(("plain " + COUNTRY, "/dashbord/"))
    single += [("plain " + ORGANISATION, lens_path(kind, key)) for kind, key in single_organisations]
    single += [("compared " + kind, lens_path(kind, key, other)) for kind, key, other in single_compared]
    rng.shuffle(single)
    load = [lens_path(kind, key) for kind, key in load_organisations]
    load += [lens_path(kind, key, other) for kind, key, other in load_compared]
    rng.shuffle(load)

    # The API, XLSX and charts on their own samples (other paths than the pages': no cache entry is shared).
    api_lenses = others + organisations[: max(0, args.api - len(others))]
    rng.shuffle(api_lenses)
    extra = max(0, args.xlsx - len(others))
    export_lenses = others + organisations[len(organisations) - extra :]
    rng.shuffle(export_lenses)
    export_lenses = export_lenses[: args.xlsx]
    chart_lenses = [lens for lens in every if lens not in warm]
    rng.shuffle(chart_lenses)
    drawings: list[tuple[str, str]] = []
    for index, (kind, key) in enumerate(chart_lenses[: args.charts + args.png]):
        fmt = "svg" if index < args.charts else "png"
        drawings.append((fmt, chart_path(kind, key, rng.choice(panel_slugs(kind, key)), fmt)))
    return {
        "warm": [lens_path(kind, key) for kind, key in warm[: WARM_ORGANISATIONS // 2]]
        + [lens_path(*warm[0], warm[1][1])]
        + [api_path(kind, key) for kind, key in warm[: WARM_ORGANISATIONS // 2]]
        + [export_path(*warm[-1])]
        + [chart_path(kind, key, panel_slugs(kind, key)[0], "svg") for kind, key in warm[WARM_ORGANISATIONS // 2 :]]
        + [chart_path(*warm[-2], panel_slugs(*warm[-2])[1], "png")],
        "single": single,
        "load": load,
        "api": [(kind, api_path(kind, key)) for kind, key in api_lenses[: args.api]],
        "xlsx": [export_path(kind, key) for kind, key in export_lenses],
        "charts": drawings,
        "lenses_by_kind": dict(Counter(kind for kind, _key in every)),
    }


def snapshot_bytes() -> dict[str, dict[str, int]]:
    """The size of the public snapshots' figures as JSON, by lens kind: what every page and API call loads."""
    from nyskap.dashboards.models import Audience, Snapshot

    sizes: dict[str, list[int]] = {}
    for kind, data in Snapshot.objects.filter(audience=Audience.PUBLIC).values_list("lens", "data").iterator():
        sizes.setdefault(kind, []).append(len(json.dumps(data)))
    return {kind: {"mean": sum(v) // len(v), "max": max(v)} for kind, v in sorted(sizes.items())}


# Measuring


def warm_up(client: Client, paths: list[str], threads: int = 4) -> dict[str, int]:
    """Every warm-up path from several threads at once, a few times, so both workers have loaded the templates,
    the API schema and the chart renderer before anything is timed."""
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def run() -> None:
        for path in [CEILING, *paths, CEILING]:
            status, _ms = client.get(path)
            with lock:
                statuses[status] += 1

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return {str(k): v for k, v in sorted(statuses.items())}


def sequential_by(client: Client, labelled: list[tuple[str, str]]) -> dict[str, Any]:
    """One client, each path once: in all and per label."""
    samples: dict[str, list[float]] = {}
    every: list[float] = []
    errors: list[str] = []
    for label, path in labelled:
        status, ms = client.get(path)
        if status != 200:
            errors.append(f"{status} {path}")
        samples.setdefault(label, []).append(ms)
        every.append(ms)
    return {
        **percentiles(every),
        "errors": len(errors),
        "error_examples": errors[:10],
        "by_kind": {label: percentiles(values) for label, values in sorted(samples.items())},
    }


def ratio(figures: dict[str, Any], ceiling_p95: float) -> float:
    return round(float(figures["p95_ms"]) / max(ceiling_p95, 0.01), 1)


def main() -> int:
    args = parse_args()
    env = configure(args.database_url)
    if args.child_refresh:
        refresh_child()
        return 0
    database = "postgresql" if args.database_url else "sqlite"
    # Every process this script starts serves the code of this checkout.
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
    started = time.perf_counter()
    steps = build(args)
    setup_seconds = round(time.perf_counter() - started, 1)
    counted = sizes()
    print(f"{database}: {counted} (setup {setup_seconds} s)", flush=True)

    drained = drain_queue(env)
    refreshed = run_refresh(env, args.database_url)
    print(f"refresh: {refreshed}", flush=True)
    if "seconds" not in refreshed:
        print("The refresh failed.")
        return 1
    clock = time.perf_counter()
    analyse(args.database_url)
    analyse_seconds = round(time.perf_counter() - clock, 1)
    pools = url_pools(args)

    serve_env = serving_env(env, args.database_url, args.redis_url)
    load_before = os.getloadavg()
    server = Gunicorn(serve_env, workers=2)
    client = Client(server.url)
    try:
        warmed = warm_up(client, pools["warm"])
        health_single = sequential(client, [CEILING] * 300)
        health_load = concurrent(client, [CEILING], clients=args.clients, seconds=min(args.seconds, 15))
        full_health = sequential(client, ["/helse/"] * 100)
        lens_single = sequential_by(client, pools["single"])
        api_single = sequential_by(client, pools["api"])
        xlsx_single = sequential_by(client, [("xlsx", path) for path in pools["xlsx"]])
        charts_single = sequential_by(client, pools["charts"])
        lens_load = concurrent(client, pools["load"], clients=args.clients, seconds=args.seconds)
        health_after = concurrent(client, [CEILING], clients=args.clients, seconds=min(args.seconds, 15))
    finally:
        server.stop()
    load_after = os.getloadavg()

    health_p95 = float(health_single["p95_ms"])  # type: ignore[arg-type]
    health_rps = max(float(health_load["throughput_rps"]), float(health_after["throughput_rps"]))  # type: ignore[arg-type]
    by_format = {fmt: charts_single["by_kind"].get(fmt, percentiles([])) for fmt in ("svg", "png")}
    report: dict[str, Any] = {
        "database": database,
        "settings": serve_env["DJANGO_SETTINGS_MODULE"],
        "cache": "redis (emptied before the run)" if database == "postgresql" else "local memory per worker",
        "gunicorn_workers": 2,
        "cpu_count": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "sizes": {"asked": {"projects": args.projects, "plans": args.plans, "trials": args.trials}, **counted},
        "setup": {**steps, "seconds": setup_seconds, "analyse_seconds": analyse_seconds},
        "queue_worked_before_the_refresh": drained,
        "refresh": refreshed,
        "lenses_by_kind": pools["lenses_by_kind"],
        "snapshot_json_bytes": snapshot_bytes(),
        "warm_up_statuses": warmed,
        "ceiling": CEILING,
        "health": {"one_client": health_single, "load_before": health_load, "load_after": health_after},
        "full_health_view_one_client": {**full_health, "ratio_to_health_p95": ratio(full_health, health_p95)},
        "lens_page_one_client": {**lens_single, "ratio_to_health_p95": ratio(lens_single, health_p95)},
        "api_one_client": {**api_single, "ratio_to_health_p95": ratio(api_single, health_p95)},
        "xlsx_one_client": {**xlsx_single, "ratio_to_health_p95": ratio(xlsx_single, health_p95)},
        "chart_first_drawing_one_client": {
            **charts_single,
            "ratio_to_health_p95": ratio(charts_single, health_p95),
            "note": "no stated target; each chart drawn for the first time (vl-convert), then cached per snapshot",
        },
        "lens_page_load": {
            **lens_load,
            "clients": args.clients,
            "seconds": args.seconds,
            "ratio_to_health_p95": ratio(lens_load, health_p95),
            "share_of_health_throughput": round(float(lens_load["throughput_rps"]) / health_rps, 4),  # type: ignore[arg-type]
        },
    }
    errors = {
        "health": int(health_single["errors"]) + int(health_load["errors"]) + int(health_after["errors"]),  # type: ignore[call-overload]
        "full health view": int(full_health["errors"]),  # type: ignore[call-overload]
        "lens pages, one client": lens_single["errors"],
        "API, one client": api_single["errors"],
        "XLSX, one client": xlsx_single["errors"],
        "charts, one client": charts_single["errors"],
        "lens pages under load": int(lens_load["errors"]),  # type: ignore[call-overload]
    }
    report["errors"] = errors
    targets = {
        f"lens page p95 <= {TARGET_P95_MS:.0f} ms (one client, uncached)": lens_single["p95_ms"] <= TARGET_P95_MS,
        f"API p95 <= {TARGET_P95_MS:.0f} ms (one client, uncached)": api_single["p95_ms"] <= TARGET_P95_MS,
        "no errors (every response 200)": not any(errors.values()),
    }
    report["targets"] = targets
    out = ROOT / "bench" / "results" / f"dashboards-{database}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    def line(name: str, figures: dict[str, Any], extra: str = "") -> None:
        print(
            f"  {name:34} p50 {figures['p50_ms']:>8} ms  p95 {figures['p95_ms']:>8} ms  max {figures['max_ms']:>8} ms"
            f"  n {figures['n']:>5}{extra}"
        )

    print(f"{database}: {counted}")
    print(f"  setup {setup_seconds} s; refresh {refreshed}")
    print(f"  load average before {report['load_average_before']}, after {report['load_average_after']}")
    line("ceiling /helse/live/", health_single, f"  {health_rps} req/s with {args.clients} clients")
    line("/helse/", full_health, f"  ×{report['full_health_view_one_client']['ratio_to_health_p95']}")
    line("lens page, one client", lens_single, f"  ×{report['lens_page_one_client']['ratio_to_health_p95']}")
    for kind, figures in lens_single["by_kind"].items():
        line(f"  {kind}", figures)
    line("API, one client", api_single, f"  ×{report['api_one_client']['ratio_to_health_p95']}")
    line("XLSX, one client", xlsx_single, f"  ×{report['xlsx_one_client']['ratio_to_health_p95']}")
    for fmt, figures in by_format.items():
        line(f"chart {fmt}, first drawing", figures)
    line(
        f"lens page, {args.clients} clients",
        lens_load,  # type: ignore[arg-type]
        f"  {lens_load['throughput_rps']} req/s ({report['lens_page_load']['share_of_health_throughput']:.1%} of "
        f"health), {lens_load['errors']} errors, {lens_load['repeated_urls']} repeats",
    )
    for name, held in targets.items():
        print(f"  {'ok    ' if held else 'MISSED'} {name}")
    print(f"Results in {out.relative_to(ROOT)}")
    return 0 if all(targets.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
