"""Crash test: nothing acknowledged is lost and nothing is half-written when processes die.

On a throwaway PostgreSQL cluster of its own (initdb in a temporary folder, its own port; never the machine's
shared server), with gunicorn in front of it, writers submit project edits, survey answers and benefit
measurements through the API at full speed. Meanwhile the gunicorn workers are killed with SIGKILL several times
and PostgreSQL is stopped once with `pg_ctl stop -m immediate` (a power cut as far as the database knows) and
started again. Afterwards:

- every write that got a success response is in the database, intact;
- no half-written object exists: every project edit changed its two fields together, every measurement carries
  its own sequence number in value and comment, every survey response has all its answers, and exactly as many
  invitations are marked used as there are responses.

Run:  python -m tests.ops.crash [--seconds 40] [--report var/crash-report.json]
(needs the PostgreSQL server programs: /usr/lib/postgresql/<version>/bin or PG_BIN_DIR). tests/ops/test_crash.py
runs it in the test suite on the PostgreSQL pass.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[2]
SECRET = "crash-test-secret-key-long-enough-for-the-checks-0123456789abcdef"
ANSWERS = {"l1": 3, "l2": 4, "one": "x", "many": ["x", "y"], "num": 42, "free": "svar"}
ITEMS = len(ANSWERS)


def pg_bin_dir() -> Path:
    if os.environ.get("PG_BIN_DIR"):
        return Path(os.environ["PG_BIN_DIR"])
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise SystemExit("No PostgreSQL server programs found (install postgresql, or set PG_BIN_DIR).")
    return Path(found[-1]).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Cluster:
    """A PostgreSQL cluster in a temporary folder, run as the `postgres` user when we are root (initdb refuses
    root)."""

    def __init__(self) -> None:
        self.bin = pg_bin_dir()
        self.folder = Path(tempfile.mkdtemp(prefix="nyskap-crash-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/nyskap_crash"

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True, text=True)

    def init(self) -> None:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        self.start()
        subprocess.run(
            [str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "nyskap_crash"],
            check=True,
        )

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.folder} " \
                  "-c fsync=on -c synchronous_commit=on -c full_page_writes=on"  # fmt: skip
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.folder / "pg.log"),
                  "-w", "-t", "60", "start")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


def django_env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="nyskap.config.settings.dev",
        DEBUG="0",
        DATABASE_URL=database_url,
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="127.0.0.1",
        EMAIL_URL="dummy:",
        DB_CONN_MAX_AGE="60",
        PYTHONPATH=str(ROOT),
    )
    env.pop("REDIS_URL", None)
    return env


def seed() -> dict[str, Any]:
    """Inside Django: the organisation, people, projects, a benefit and a survey round with invitations."""
    import datetime

    from django.utils import timezone

    from nyskap.accounts.models import Role
    from nyskap.api.models import ApiToken
    from nyskap.surveys.models import Invitation, hash_secret, new_secret
    from tests.accounts.factories import MembershipFactory, UserFactory, give_totp
    from tests.benefits.factories import make_benefit, make_plan
    from tests.organisations.factories import CountyFactory, OrganisationFactory
    from tests.projects.factories import make_project
    from tests.surveys.factories import make_round, make_version

    county = CountyFactory(number="46", name="Vestland", official_name="Vestland")
    organisation = OrganisationFactory(name="Krasj kommune", slug="krasj", county=county)
    editor = UserFactory(email="skriver@krasj.kommune.no", name="Siri Skriver")
    MembershipFactory(user=editor, organisation=organisation, role=Role.EDITOR)
    leader = UserFactory(email="leder@krasj.kommune.no", name="Leif Leder")
    MembershipFactory(user=leader, organisation=organisation, role=Role.ADMIN)
    give_totp(leader)
    projects = [make_project(actor=editor, owner=organisation, title=f"Krasjprosjekt {n}") for n in range(4)]
    plan = make_plan(project=projects[0], actor=editor)
    benefit = make_benefit(plan=plan, actor=editor, owner=editor)
    today = timezone.localdate()
    round = make_round(
        actor=leader,
        organisation=organisation,
        version=make_version(),
        opens_on=today,
        closes_on=today + datetime.timedelta(days=30),
    )
    tokens = [new_secret() for _ in range(6000)]
    Invitation.objects.bulk_create(
        Invitation(round=round, email=f"p{n}@krasj.kommune.no", token_hash=hash_secret(token))
        for n, token in enumerate(tokens)
    )
    _token, raw = ApiToken.issue(user=editor, name="krasj")
    return {
        "api_token": raw,
        "projects": [p.slug for p in projects],
        "benefit": benefit.pk,
        "round": round.pk,
        "invitations": tokens,
    }


def inspect(state: dict[str, Any]) -> dict[str, Any]:
    """Inside Django, after the run: what the database holds."""
    from nyskap.benefits.models import Measurement
    from nyskap.projects.models import Project
    from nyskap.surveys.models import Answer, Invitation, Response

    projects = {p.slug: {"title": p.title, "need_effect": p.need_effect} for p in Project.objects.all()}
    measurements = {str(m.pk): {"value": str(m.value), "comment": m.comment}
                    for m in Measurement.objects.filter(benefit_id=state["benefit"])}  # fmt: skip
    responses = Response.objects.filter(round_id=state["round"])
    answers_per_response = {str(r.pk): r.answers.count() for r in responses.prefetch_related("answers")}
    return {
        "projects": projects,
        "measurements": measurements,
        "responses_submitted": responses.filter(submitted=True).count(),
        "responses_draft": responses.filter(submitted=False).count(),
        "answers_per_response": answers_per_response,
        "answers_total": Answer.objects.filter(response__round_id=state["round"]).count(),
        "invitations_used": Invitation.objects.filter(round_id=state["round"], used=True).count(),
    }


def in_django(function: str, database_url: str, argument: dict[str, Any] | None = None) -> Any:
    code = (
        "import json, sys; from tests.ops import crash; "
        f"print('@@' + json.dumps(crash.{function}(*([json.loads(sys.stdin.read())] if {argument is not None} "
        "else []))))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT, env=django_env(database_url), input=json.dumps(argument) if argument is not None else "",
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-3000:])
    line = next(line for line in result.stdout.splitlines() if line.startswith("@@"))
    return json.loads(line[2:])


class Gunicorn:
    def __init__(self, database_url: str, log: Path, workers: int = 3) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "nyskap.config.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(workers), "--timeout", "20", "--no-control-socket"],
            cwd=ROOT, env=django_env(database_url), stdout=subprocess.DEVNULL, stderr=open(log, "w"),
        )  # fmt: skip

    def wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/helse/live/", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def worker_pids(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout
        return [int(pid) for pid in out.split()]

    def kill_workers(self) -> int:
        pids = self.worker_pids()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        return len(pids)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


@dataclass
class Ledger:
    """What the writers sent and which writes were acknowledged (thread-safe enough: appends only)."""

    project_sent: dict[str, list[int]] = field(default_factory=dict)
    project_acked: dict[str, list[int]] = field(default_factory=dict)
    measurement_acked: dict[int, int] = field(default_factory=dict)  # id -> sequence number
    measurements_sent: int = 0
    answers_sent: int = 0
    answers_acked: int = 0
    failures: dict[str, int] = field(default_factory=dict)

    def failed(self, kind: str) -> None:
        self.failures[kind] = self.failures.get(kind, 0) + 1


class Sequence:
    """Numbers every write, across the writer threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.last = 0

    def __next__(self) -> int:
        with self.lock:
            self.last += 1
            return self.last


class Writer(threading.Thread):
    def __init__(self, index: int, url: str, state: dict[str, Any], ledger: Ledger, stop: threading.Event,
                 tokens: list[str], sequence: Sequence) -> None:  # fmt: skip
        super().__init__(daemon=True)
        self.index, self.url, self.state, self.ledger, self.stop_event = index, url, state, ledger, stop
        self.tokens, self.sequence = tokens, sequence
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {state['api_token']}"

    def run(self) -> None:
        slug = self.state["projects"][self.index % len(self.state["projects"])]
        step = 0
        while not self.stop_event.is_set():
            step += 1
            kind = ("project", "measurement", "answer")[step % 3]
            try:
                if kind == "project":
                    self.edit(slug)
                elif kind == "measurement":
                    self.measure()
                else:
                    self.answer()
            except requests.RequestException:
                self.ledger.failed(f"{kind}: no response")
                time.sleep(0.05)

    def edit(self, slug: str) -> None:
        n = next(self.sequence)
        self.ledger.project_sent.setdefault(slug, []).append(n)
        response = self.session.patch(f"{self.url}/api/v1/projects/{slug}",
                                      json={"title": f"Krasjprosjekt #{n}", "need_effect": f"Effekt #{n}"},
                                      timeout=15)  # fmt: skip
        if response.status_code == 200 and response.json()["title"] == f"Krasjprosjekt #{n}":
            self.ledger.project_acked.setdefault(slug, []).append(n)
        else:
            self.ledger.failed(f"project: {response.status_code}")

    def measure(self) -> None:
        n = next(self.sequence)
        self.ledger.measurements_sent += 1
        response = self.session.post(
            f"{self.url}/api/v1/benefits/benefits/{self.state['benefit']}/measurements",
            json={"value": str(1000 + n), "measured_on": "2026-06-01", "source": "Krasjtest",
                  "comment": f"Måling #{n}", "deviation_explanation": "Test"},
            timeout=15,
        )  # fmt: skip
        if response.status_code == 201:
            self.ledger.measurement_acked[int(response.json()["id"])] = n
        else:
            self.ledger.failed(f"measurement: {response.status_code}")

    def answer(self) -> None:
        if not self.tokens:
            return
        token = self.tokens.pop()
        self.ledger.answers_sent += 1
        response = requests.post(f"{self.url}/api/v1/surveys/respond/{token}", json={"answers": ANSWERS}, timeout=15)
        if response.status_code == 201 and response.json()["submitted"] is True:
            self.ledger.answers_acked += 1
        else:
            self.ledger.failed(f"answer: {response.status_code}")


def verify(db: dict[str, Any], ledger: Ledger) -> dict[str, Any]:
    problems: list[str] = []
    # Project edits: the stored value is the last acknowledged edit, or a later one whose answer was lost in the
    # crash (committed, then the worker died); both fields always from the same edit.
    for slug, acked in ledger.project_acked.items():
        stored = db["projects"][slug]
        title_n = int(stored["title"].rsplit("#", 1)[1])
        effect_n = int(stored["need_effect"].rsplit("#", 1)[1])
        if title_n != effect_n:
            problems.append(f"{slug}: half-written edit (title #{title_n}, effect #{effect_n})")
        sent_after = [n for n in ledger.project_sent[slug] if n >= max(acked)]
        if title_n not in sent_after:
            problems.append(f"{slug}: holds #{title_n}, but #{max(acked)} was acknowledged later")
    # Measurements: each acknowledged one exists with its own number in value and comment; none is half-written.
    stored_m = db["measurements"]
    for pk, n in ledger.measurement_acked.items():
        row = stored_m.get(str(pk))
        if row is None:
            problems.append(f"measurement {pk} (#{n}) acknowledged but missing")
        elif row["value"].split(".")[0] != str(1000 + n) or row["comment"] != f"Måling #{n}":
            problems.append(f"measurement {pk} (#{n}) changed: {row}")
    for pk, row in stored_m.items():
        if row["comment"] != f"Måling #{int(row['value'].split('.')[0]) - 1000}":
            problems.append(f"measurement {pk} is half-written: {row}")
    # Survey answers: every acknowledged answer stored; every stored response complete and its invitation spent.
    if db["responses_submitted"] < ledger.answers_acked:
        problems.append(f"{ledger.answers_acked} answers acknowledged, {db['responses_submitted']} stored")
    if db["responses_submitted"] > ledger.answers_sent:
        problems.append(f"{db['responses_submitted']} responses stored, only {ledger.answers_sent} sent")
    incomplete = [pk for pk, count in db["answers_per_response"].items() if count != ITEMS]
    if incomplete:
        problems.append(f"{len(incomplete)} responses without all {ITEMS} answers")
    if db["responses_draft"]:
        problems.append(f"{db['responses_draft']} unsubmitted responses")
    if db["invitations_used"] != db["responses_submitted"]:
        problems.append(f"{db['invitations_used']} invitations used, {db['responses_submitted']} responses")
    acked_projects = sum(len(v) for v in ledger.project_acked.values())
    return {
        "acknowledged": {
            "project_edits": acked_projects,
            "measurements": len(ledger.measurement_acked),
            "survey_answers": ledger.answers_acked,
        },
        "sent": {
            "project_edits": sum(len(v) for v in ledger.project_sent.values()),
            "measurements": ledger.measurements_sent,
            "survey_answers": ledger.answers_sent,
        },
        "stored": {
            "measurements": len(stored_m),
            "survey_responses": db["responses_submitted"],
            "answers": db["answers_total"],
            "invitations_used": db["invitations_used"],
        },
        "lost_acknowledged_writes": sum(1 for p in problems if "acknowledged" in p),
        "half_written_objects": sum(1 for p in problems if "half-written" in p or "without all" in p),
        "failed_requests": ledger.failures,
        "problems": problems,
    }


def run(seconds: float = 40, writers: int = 6, worker_kills: int = 4) -> dict[str, Any]:
    cluster = Cluster()
    server: Gunicorn | None = None
    events: list[str] = []
    started = time.monotonic()
    try:
        cluster.init()
        migrate = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT,
                                 env=django_env(cluster.url), capture_output=True, text=True)  # fmt: skip
        if migrate.returncode != 0:
            raise RuntimeError(migrate.stderr[-3000:])
        state = in_django("seed", cluster.url)
        server = Gunicorn(cluster.url, cluster.folder / "gunicorn.log")
        server.wait()
        ledger, stop = Ledger(), threading.Event()
        tokens = list(state["invitations"])
        sequence = Sequence()
        threads = [Writer(i, server.url, state, ledger, stop, tokens, sequence) for i in range(writers)]
        for thread in threads:
            thread.start()
        load_started = time.monotonic()
        # The faults, spread over the run: worker kills, one immediate stop of PostgreSQL in the middle.
        plan = [("kill", i) for i in range(worker_kills)]
        plan.insert(worker_kills // 2, ("pg", 0))
        interval = seconds / (len(plan) + 1)
        for what, _n in plan:
            time.sleep(interval)
            if what == "kill":
                killed = server.kill_workers()
                events.append(f"{time.monotonic() - load_started:5.1f}s SIGKILL to {killed} gunicorn workers")
            else:
                cluster.stop("immediate")
                events.append(f"{time.monotonic() - load_started:5.1f}s pg_ctl stop -m immediate")
                time.sleep(2)
                cluster.start()
                events.append(f"{time.monotonic() - load_started:5.1f}s PostgreSQL started again (crash recovery)")
        time.sleep(interval)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        events.append(f"{time.monotonic() - load_started:5.1f}s writers stopped")
        server.stop()
        server = None
        # A clean restart of the database before reading, so nothing is read from a not-yet-recovered state.
        cluster.stop("immediate")
        cluster.start()
        db = in_django("inspect", cluster.url, state)
        report = verify(db, ledger)
        report["events"] = events
        report["seconds_total"] = round(time.monotonic() - started, 1)
        report["postgresql"] = str(cluster.bin)
        return report
    finally:
        if server is not None:
            server.stop()
        cluster.remove()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--writers", type=int, default=6)
    parser.add_argument("--report", type=Path)
    args = parser.parse_args()
    report = run(seconds=args.seconds, writers=args.writers)
    text = json.dumps(report, indent=1, ensure_ascii=False)
    print(text)
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(text)
    sys.exit(1 if report["problems"] else 0)


if __name__ == "__main__":
    main()
