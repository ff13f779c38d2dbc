"""Scale-out: two gunicorn app servers and one task worker against one PostgreSQL and one Redis.

A person signs up through server A, the worker sends the confirmation e-mail, the person confirms and logs in
through server B and goes on through server A with the same session. Nothing may live in process memory.
"""

from __future__ import annotations

import os
import quopri
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.db import connection

from tests.helpers import free_port as _free_port

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("LIVE_REDIS_URL", "redis://127.0.0.1:6379/14")


def _wait_for(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not come up")


def _redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def _csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=10)
    assert page.status_code == 200, (url, page.status_code)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert match, url
    return match.group(1)


@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_when_two_app_servers_and_a_worker_share_postgresql_then_a_session_moves_between_them(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("LIVE-SKIPPED: needs DATABASE_URL pointing at PostgreSQL")
    if not _redis_available():
        pytest.skip("LIVE-SKIPPED: needs Redis on 127.0.0.1:6379")

    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # no rate-limit counters or sessions left from an earlier run
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "nyskap.config.settings.dev",
        "DEBUG": "0",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": "live-test-secret-key-that-is-long-enough-for-the-checks-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_URL": "console:",
        "SITE_URL": "http://127.0.0.1",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    ports = [_free_port(), _free_port()]
    servers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "nyskap.config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--env",
                "DJANGO_SETTINGS_MODULE=nyskap.config.settings.dev",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(tmp_path / f"server-{port}.log", "w"),
        )
        for port in ports
    ]
    worker_log = tmp_path / "worker.log"
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=open(worker_log, "w"),
        stderr=subprocess.STDOUT,
    )
    try:
        a, b = (f"http://127.0.0.1:{port}" for port in ports)
        _wait_for(f"{a}/helse/")
        _wait_for(f"{b}/helse/")

        person = requests.Session()
        email, password = "ny.bruker@kommune.no", "Et-langt-passord-2026!"
        token = _csrf(person, f"{a}/accounts/signup/")
        response = person.post(
            f"{a}/accounts/signup/",
            data={"csrfmiddlewaretoken": token, "email": email, "password1": password, "password2": password},
            headers={"Referer": f"{a}/accounts/signup/"},
            timeout=10,
        )
        assert response.status_code == 200 and "/accounts/confirm-email/" in response.url

        # The confirmation e-mail was queued in PostgreSQL and is delivered by the separate worker process.
        link = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and link is None:
            sent = quopri.decodestring(worker_log.read_bytes()).decode("utf-8", "replace")
            match = re.search(r"http://127\.0\.0\.1:\d+(/accounts/confirm-email/[^\s]+/)", sent)
            link = match.group(1) if match else None
            time.sleep(0.3)
        assert link, f"the worker sent no confirmation e-mail: {worker_log.read_text()[-2000:]}\n" + "\n".join(
            (tmp_path / f"server-{port}.log").read_text()[-1500:] for port in ports
        )

        token = _csrf(person, f"{b}{link}")
        response = person.post(
            f"{b}{link}", data={"csrfmiddlewaretoken": token}, headers={"Referer": f"{b}{link}"}, timeout=10
        )
        assert response.status_code == 200

        token = _csrf(person, f"{b}/accounts/login/")
        response = person.post(
            f"{b}/accounts/login/",
            data={"csrfmiddlewaretoken": token, "login": email, "password": password},
            headers={"Referer": f"{b}/accounts/login/"},
            timeout=10,
        )
        assert response.status_code == 200 and response.url == f"{b}/"

        # The same session continues on the other server.
        profile = person.get(f"{a}/konto/", timeout=10, allow_redirects=False)
        assert profile.status_code == 200
        assert email in profile.text
    finally:
        for process in [*servers, worker]:
            process.terminate()
        for process in [*servers, worker]:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
