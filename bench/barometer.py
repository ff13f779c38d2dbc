"""Benchmark of the innovation barometer's estimates: a published round of 20,000 responses (every operative item
answered, about 27 answers each), its results page — every indicator with every breakdown, post-stratified, with
suppression — fetched through gunicorn, uncached, beside the raw-SQL aggregate it is built on and a trivial view.

    python bench/barometer.py --database-url postgres://postgres@127.0.0.1:5432/nyskap_bench_barometer
    python bench/barometer.py --responses 5000                                         # SQLite

Target: results page p95 ≤ 300 ms. Results: bench/results/barometer-<database>.json. Exit status 1 when missed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench.common import configure, reset_database  # noqa: E402

TARGET_P95_MS = 300
SECTORS = ["health_care", "education", "social", "culture", "technical"]
COUNTIES = {"Vestland": "3", "Nordland": "5", "Oslo": "1", "Agder": "4"}
SIZES = ["1-9", "10-49", "50-249"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--responses", type=int, default=int(os.environ.get("BENCH_RESPONSES", "20000")))
    parser.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", "30")))
    return parser.parse_args()


def generate(responses: int) -> int:
    """A published round: a frame of 1.5 × ``responses`` workplaces over 60 cells (sector × county × size band;
    centrality follows the county), and ``responses`` submitted answers written straight into the survey engine's
    tables in batches. Returns the barometer round's id."""
    from django.db import transaction

    from nyskap.accounts.models import Membership, Role, User
    from nyskap.barometer import services
    from nyskap.barometer.demo import answers
    from nyskap.barometer.models import Round, RoundStatus, Workplace
    from nyskap.organisations.models import Organisation
    from nyskap.surveys import services as survey_services
    from nyskap.surveys.models import Answer, Item, Response
    from nyskap.surveys.selectors import latest_published_version

    rng = random.Random(20_000)
    services.load_questionnaires()
    owner = Organisation.objects.create(kind="municipality", name="Barometereier", slug="barometereier")
    actor = User.objects.create(email="barometer.bench@nyskap.invalid", username="barometer.bench")
    Membership.objects.create(user=actor, organisation=owner, role=Role.EDITOR)
    round = services.round_create(
        actor=actor,
        owner=owner,
        data=services.RoundInput(
            title="Benchmark",
            kind="operative",
            period_start=datetime.date(2024, 1, 1),
            period_end=datetime.date(2025, 12, 31),
            strata=["sector", "county"],
        ),
    )
    cells = [(s, c, z) for s in SECTORS for c in COUNTIES for z in SIZES]
    frame = int(responses * 1.5)
    Workplace.objects.bulk_create(
        (
            Workplace(
                round=round,
                row=i + 2,
                name=f"Arbeidsplass {i}",
                sector=cells[i % len(cells)][0],
                org_type="municipality",
                size_band=cells[i % len(cells)][2],
                county=cells[i % len(cells)][1],
                centrality=COUNTIES[cells[i % len(cells)][1]],
                sampled=True,
            )
            for i in range(frame)
        ),
        batch_size=5000,
    )
    version = latest_published_version("innovation-barometer")
    today = datetime.date.today()
    names = [f"{s} | municipality | {z} | {c} | {COUNTIES[c]}" for s, c, z in cells]
    survey_round = survey_services.round_create(
        actor=actor,
        organisation=owner,
        data=survey_services.RoundInput(
            title="Benchmark",
            version=version,
            opens_on=today,
            closes_on=today + datetime.timedelta(days=7),
            units=names,
        ),
    )
    units = {u.name: u.pk for u in survey_round.units.all()}
    items = {i.key: i for i in Item.objects.filter(version=version)}
    for start in range(0, responses, 2000):
        with transaction.atomic():
            batch = [
                Response(
                    round=survey_round, unit_id=units[names[(start + n) % len(names)]], submitted=True, saved_on=today
                )
                for n in range(min(2000, responses - start))
            ]
            Response.objects.bulk_create(batch)
            rows = []
            for response in batch:
                for key, value in answers(rng, 0.74).items():
                    item = items[key]
                    if item.kind == "multiple":
                        rows.append(Answer(response=response, item=item, choices=value))
                    elif item.kind == "likert":
                        dk = value == "dk"
                        rows.append(
                            Answer(response=response, item=item, dont_know=dk, value=None if dk else float(value))
                        )
                    else:
                        rows.append(Answer(response=response, item=item, choice=value))
            Answer.objects.bulk_create(rows, batch_size=10000)
    from nyskap.surveys.models import Round as SurveyRound

    SurveyRound.objects.filter(pk=survey_round.pk).update(closed_early=True, results_opened=True)
    Round.objects.filter(pk=round.pk).update(survey_round=survey_round, status=RoundStatus.PUBLISHED)
    return round.pk


def main() -> int:
    args = parse_args()
    env = configure(args.database_url)
    reset_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse

    from bench.common import Gunicorn, http_latency, time_calls
    from nyskap.barometer.models import Round
    from nyskap.surveys.models import Answer

    report: dict[str, object] = {"database": connection.vendor}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    pk = generate(args.responses)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # What autovacuum does after a bulk load (PostgreSQL 13 and later vacuum a table after many inserts): the
            # planner's row counts, and the visibility map that lets the innovating responses come from an index alone
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("CHECKPOINT")  # the load's writes flushed now, not while the pages are timed
    report["data"] = {"responses": args.responses, "answers": Answer.objects.count()}
    report["setup_seconds"] = round(time.perf_counter() - started, 1)
    print(f"{connection.vendor}: generated {report['data']} in {report['setup_seconds']} s", flush=True)
    survey_round_id = Round.objects.get(pk=pk).survey_round_id

    def raw_aggregate() -> None:
        """The counting the page needs, as one raw grouped query: answers per unit, item and answer."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT r.unit_id, a.item_id, a.choice, a.value, a.dont_know, COUNT(*) FROM surveys_answer a "
                "JOIN surveys_response r ON r.id = a.response_id WHERE r.round_id = %s AND r.submitted "
                "GROUP BY r.unit_id, a.item_id, a.choice, a.value, a.dont_know",
                [survey_round_id],
            )
            cursor.fetchall()

    report["raw_sql_aggregate"] = time_calls(raw_aggregate, args.repeat)
    server = Gunicorn(env, workers=2)
    try:
        url = server.url + reverse("barometer:results", args=[pk])

        def page() -> None:
            with urllib.request.urlopen(url, timeout=60) as response:
                html = response.read()
                assert response.status == 200 and b"<table" in html

        for _ in range(4):  # every worker loads its code before the timing starts
            page()
        report["results_page"] = {**time_calls(page, args.repeat), "target_p95_ms": TARGET_P95_MS}
        report["trivial_view"] = http_latency(f"{server.url}/helse/live/", args.repeat)
    finally:
        server.stop()
    failures = []
    if report["results_page"]["p95_ms"] > TARGET_P95_MS:  # type: ignore[index]
        failures.append(f"results page p95 {report['results_page']['p95_ms']} ms > {TARGET_P95_MS} ms")  # type: ignore[index]
    report["failures"] = failures
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"barometer-{connection.vendor}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for name in ("results_page", "raw_sql_aggregate", "trivial_view"):
        print(f"  {name:20} {report[name]}")
    if failures:
        print("FAILED:", *failures, sep="\n  ")
        return 1
    print(f"All targets met. Results in {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
