"""Load test: gunicorn with production settings + PostgreSQL + Redis, driven by locust (bench/locustfile.py).

1. Builds the benchmark database (reference and demo data, `--size` synthetic projects, one editor per signed-in
   visitor with a project and a benefit plan, an open survey round with invitations).
2. Starts an app server the documented way (deploy/start-app.sh, production settings, Redis cache).
3. Measures the throughput of `/helse/live/` and `/helse/` on that server: the ceiling of this machine.
4. Runs locust headless with `--users` visitors for `--seconds`, then measures how long the service takes to
   answer a search within 500 ms again.
5. Writes bench/results/load-<users>u.json: per request kind and in total the count, errors, deliberate refusals
   (429/503 with Retry-After), p50/p95/p99 and requests per second, beside the same run's health throughput, so the
   ratio carries over to other machines.

    .venv/bin/python bench/load.py --users 50 --seconds 600          # the issue's first target
    .venv/bin/python bench/load.py --users 200 --seconds 300         # overload: refusals allowed, recovery
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, free_port, http_throughput, reset_database

SECRET = "load-test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEF"
PASSWORD = "last-test-passord-2026"
SURVEY_ANSWER = [["l1", "3"], ["l2", "4"], ["one", "x"], ["many", "x"], ["num", "42"], ["free", "svar"],
                 ["action", "submit"]]  # fmt: skip


def seed(editors: int, invitations: int) -> dict[str, Any]:
    """Inside Django (manage.py shell): the accounts, projects, plans and survey round the visitors use."""
    import datetime

    from django.utils import timezone
    from tests.accounts.factories import MembershipFactory, UserFactory, give_totp
    from tests.projects.factories import NEED
    from tests.surveys.factories import make_round, make_version

    from nyskap.accounts.models import Role, User
    from nyskap.benefits import services as benefits
    from nyskap.instruments.forms import MatcherForm
    from nyskap.projects.models import Project
    from nyskap.projects.services import project_create
    from nyskap.surveys.models import Invitation, hash_secret, new_secret

    home = User.objects.get(email="innovator@demo.nyskap.no").memberships.get().organisation
    accounts = []
    for n in range(editors):
        user = UserFactory(email=f"last{n}@demo.nyskap.no", name=f"Last Testesen {n}")
        user.set_password(PASSWORD)
        user.save()
        from allauth.account.models import EmailAddress

        EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
        MembershipFactory(user=user, organisation=home, role=Role.EDITOR)
        project = project_create(actor=user, owner=home, title=f"Lasttest {n}", visibility="public", **NEED)
        plan_project = project_create(actor=user, owner=home, title=f"Lasttest gevinst {n}", **NEED)
        benefits.plan_create(project=plan_project, actor=user, rationale="Middag leveres kald.",
                             goals="Varm mat hver dag.", base_year=2025, analysis_years=3)  # fmt: skip
        accounts.append({"email": user.email, "project": project.slug, "plan_project": plan_project.slug})
    leader = UserFactory(email="last-leder@demo.nyskap.no")
    MembershipFactory(user=leader, organisation=home, role=Role.ADMIN)
    give_totp(leader)
    today = timezone.localdate()
    round = make_round(actor=leader, organisation=home, version=make_version(key="lasttest"), opens_on=today,
                       closes_on=today + datetime.timedelta(days=30))  # fmt: skip
    tokens = [new_secret() for _ in range(invitations)]
    Invitation.objects.bulk_create(
        Invitation(round=round, email=f"svar{n}@demo.nyskap.no", token_hash=hash_secret(t))
        for n, t in enumerate(tokens)
    )
    form = MatcherForm()
    return {
        "password": PASSWORD,
        "editors": accounts,
        "invitations": tokens,
        "survey_answer": SURVEY_ANSWER,
        "public_projects": list(Project.objects.filter(visibility="public").values_list("slug", flat=True)[:500]),
        "phases": [value for value, _label in form.fields["phase"].choices if value],
        "sectors": [value for value, _label in form.fields["sector"].choices if value],
    }


def manage(env: dict[str, str], *args: str, stdin: str = "") -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, input=stdin,
                            capture_output=True, text=True)  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args[:2])} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def wait_for(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer")


def search_ms(url: str) -> float:
    request = urllib.request.Request(
        f"{url}/prosjekter/?q=gjenoppretting+{time.monotonic_ns()}", headers={"X-Forwarded-Proto": "https"}
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
    return (time.perf_counter() - started) * 1000


def read_stats(prefix: Path, seconds: float, refused: int) -> dict[str, Any]:
    rows = {}
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            rows[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "p50_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0),
                "p99_ms": float(row["99%"] or 0),
                "rps": round(float(row["Requests/s"] or 0), 2),
            }
    total = rows.pop("Aggregated")
    total["refused_with_retry_after"] = refused
    total["errors_other_than_refusals"] = total["errors"] - refused
    return {"total": total, "by_kind": rows}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--size", type=int, default=int(os.environ.get("BENCH_SIZE", "2000")))
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    default_url = os.environ.get("BENCH_LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/nyskap_load")
    parser.add_argument("--database-url", default=default_url)
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"))
    parser.add_argument("--static-root", default=str(ROOT / "var" / "static"))
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="nyskap-load-"))
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "SQLITE_PATH"))}
    base.update(DATABASE_URL=args.database_url, SECRET_KEY=SECRET, EMAIL_URL="dummy:", PYTHONPATH=str(ROOT),
                ALLOWED_HOSTS="127.0.0.1", STATIC_ROOT=args.static_root)  # fmt: skip
    setup = {**base, "DJANGO_SETTINGS_MODULE": "nyskap.config.settings.dev", "DEBUG": "1"}
    print("Building the database…", flush=True)
    reset_database(args.database_url)
    manage(setup, "migrate", "--noinput", "-v0")
    for command in ("load_reference_data", "load_instruments", "load_culture_questionnaire", "demo_data",
                    "load_project_cases", "load_benefit_examples"):  # fmt: skip
        manage(setup, command)
    if args.size:
        manage(setup, "generate_projects", str(args.size))
    editors = max(1, args.users // 5 + 1)
    code = (f"import json; from bench.load import seed; print('@@' + json.dumps(seed({editors}, "
            f"{max(200, args.users * args.seconds // 10)})))")  # fmt: skip
    out = manage(setup, "shell", "-c", code)
    data = json.loads(next(line for line in out.splitlines() if line.startswith("@@"))[2:])
    data_file = work / "data.json"
    data_file.write_text(json.dumps(data))

    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    prod = {**base, "DJANGO_SETTINGS_MODULE": "nyskap.config.settings.prod", "REDIS_URL": args.redis_url,
            "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(args.workers), "MIGRATE_ON_START": "0",
            "GUNICORN_LOG_LEVEL": "warning", "SURVEY_LINK_WINDOW_SECONDS": "600"}  # fmt: skip
    log = open(work / "gunicorn.log", "w")  # noqa: SIM115 - gunicorn writes to it until the end
    server = subprocess.Popen(["deploy/start-app.sh"], cwd=ROOT, env=prod, stdout=subprocess.DEVNULL, stderr=log)
    try:
        wait_for(f"{url}/helse/live/", timeout=300)
        wait_for(f"{url}/helse/")
        # Every worker reads its word lists and templates on its first requests: warm them all up first, so the
        # ceiling is not measured against workers still starting.
        http_throughput(f"{url}/helse/live/", seconds=5, threads=args.workers)
        for path in ("/", "/prosjekter/?q=varm+mat", "/virkemidler/finn/", "/kultur/"):
            for _ in range(args.workers * 2):
                request = urllib.request.Request(f"{url}{path}", headers={"X-Forwarded-Proto": "https"})
                with urllib.request.urlopen(request, timeout=60) as response:
                    response.read()
        print("Measuring the health paths…", flush=True)
        ceiling = {
            "helse_live_rps": http_throughput(f"{url}/helse/live/", seconds=10, threads=args.workers),
            "helse_rps": http_throughput(f"{url}/helse/", seconds=10, threads=args.workers),
        }
        print(f"Load: {args.users} users for {args.seconds} s…", flush=True)
        prefix = work / "locust"
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
             "--users", str(args.users), "--spawn-rate", str(args.spawn_rate), "--run-time", f"{args.seconds}s",
             "--host", url, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"],
            cwd=ROOT, env={**os.environ, "NYSKAP_LOAD_DATA": str(data_file)}, check=False,
        )  # fmt: skip
        stopped = time.monotonic()
        recovered = None
        while time.monotonic() - stopped < 120:
            try:
                if search_ms(url) < 500:
                    recovered = round(time.monotonic() - stopped, 1)
                    break
            except OSError:
                pass
            time.sleep(1)
        refused_file = data_file.with_suffix(".refused")
        refused = int(refused_file.read_text()) if refused_file.exists() else 0
        stats = read_stats(prefix, args.seconds, refused)
    finally:
        server.terminate()
        server.wait(timeout=30)
    total = stats["total"]
    report = {
        "what": "locust mix against gunicorn (production settings) + PostgreSQL + Redis",
        "users": args.users,
        "seconds": args.seconds,
        "gunicorn_workers": args.workers,
        "synthetic_projects": args.size,
        "cpu_count": os.cpu_count(),
        "machine_load_before": os.getloadavg()[0],
        "ceiling": ceiling,
        "ratio_load_rps_to_helse_live_rps": round(total["rps"] / ceiling["helse_live_rps"], 4)
        if ceiling["helse_live_rps"]
        else None,
        "recovered_after_seconds": recovered,
        "targets": {
            "50 users: 0 errors, p95 < 500 ms": args.users <= 50 and total["errors"] == 0 and total["p95_ms"] < 500,
            "no errors other than refusals with Retry-After": total["errors_other_than_refusals"] == 0,
            "recovers within 30 s": recovered is not None and recovered <= 30,
        },
        **stats,
    }
    result_file: Path = args.output or ROOT / "bench" / "results" / f"load-{args.users}u-{args.seconds}s.json"
    result_file.parent.mkdir(parents=True, exist_ok=True)
    result_file.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    print(json.dumps(report, indent=1, ensure_ascii=False))
    print(f"Written to {result_file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
