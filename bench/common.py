"""Shared benchmark helpers: percentiles, a gunicorn server on the benchmark database, HTTP load from threads."""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def configure(database_url: str) -> dict[str, str]:
    env = {
        "DJANGO_SETTINGS_MODULE": "nyskap.config.settings.dev",
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "EMAIL_URL": "dummy:",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env["SQLITE_PATH"] = os.environ.get("SQLITE_PATH") or str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    os.environ.update(env)
    return env


def serving_env(env: dict[str, str], database_url: str, redis_url: str) -> dict[str, str]:
    """The environment gunicorn serves a benchmark with. On PostgreSQL: the production settings (without the TLS
    redirect, the benchmark speaks plain HTTP) with Redis as the shared cache, emptied first, and the static files
    collected (production serves the hashed copies, as a deployment would). On SQLite: the development settings."""
    serve_env = dict(env)
    if not database_url:
        return serve_env
    serve_env.update(
        {
            "DJANGO_SETTINGS_MODULE": "nyskap.config.settings.prod",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "REDIS_URL": redis_url,
        }
    )
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={**os.environ, **serve_env},
        check=True,
    )
    return serve_env


def child_json(argv: list[str], env: dict[str, str], timeout: int) -> dict[str, Any]:
    """Run a benchmark step in a separate process (so its peak memory is its own) and read the JSON object it prints
    on its last line; on failure, {"error": the end of its output}."""
    child = subprocess.run(
        [sys.executable, *argv], capture_output=True, text=True, env={**os.environ, **env}, cwd=ROOT, timeout=timeout
    )
    try:
        result: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        result = {"error": (child.stdout + child.stderr)[-3000:]}
    return result


def reset_database(database_url: str) -> None:
    if not database_url:
        return
    import dj_database_url

    config = dj_database_url.parse(database_url)
    name = config["NAME"]
    base = ["psql", "-h", config["HOST"] or "127.0.0.1", "-p", str(config["PORT"] or 5432), "-U", config["USER"]]
    subprocess.run([*base, "-d", "postgres", "-qc", f'DROP DATABASE IF EXISTS "{name}"'], check=True)
    subprocess.run([*base, "-d", "postgres", "-qc", f'CREATE DATABASE "{name}"'], check=True)


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    if not ordered:
        return {"p50_ms": 0.0, "p95_ms": 0.0, "max_ms": 0.0, "n": 0}
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[-(-len(ordered) * 95 // 100) - 1], 2),  # nearest rank: never below the median
        "max_ms": round(ordered[-1], 2),
        "n": len(ordered),
    }


def time_calls(call: Callable[[], Any], repeat: int) -> dict[str, float]:
    call()  # warm up
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return percentiles(samples)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn with `workers` sync workers serving the benchmark database (the production serving setup)."""

    def __init__(self, env: dict[str, str], workers: int = 2) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "nyskap.config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/helse/live/", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def http_latency(url: str, repeat: int) -> dict[str, float]:
    def get() -> None:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            assert response.status == 200, (url, response.status)

    return time_calls(get, repeat)


def http_throughput(url: str, *, seconds: float = 5.0, threads: int = 4) -> float:
    """Requests per second with `threads` clients in a closed loop for `seconds`."""
    stop = time.monotonic() + seconds
    counts = [0] * threads

    def worker(index: int) -> None:
        while time.monotonic() < stop:
            with urllib.request.urlopen(url, timeout=30) as response:
                response.read()
            counts[index] += 1

    workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return round(sum(counts) / seconds, 1)
