"""Production settings: `check --deploy` is clean, and they refuse to start on what would break in production
(docs/deploy.md)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECRET = "prod-check-" + "Vx7-kQ2mZ9pL4rT8wB1nC6yH3jF5dG0s"  # long and varied enough for security.W009


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_", "LOCAL_CACHE"))}
    base.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "nyskap.config.settings.prod", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _prod_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "SECRET_KEY": SECRET * 2,
        "ALLOWED_HOSTS": "nyskap.example.no",
        "REDIS_URL": "redis://127.0.0.1:6379/14",
        "STATIC_ROOT": str(tmp_path / "static"),
        "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        **extra,
    }


def test_when_static_files_are_collected_then_check_deploy_is_clean(tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "staticfiles.json").write_text(json.dumps({"paths": {}, "version": "1.1", "hash": "0"}))
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **_prod_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_when_static_files_are_not_collected_then_check_deploy_fails_and_says_what_to_run(tmp_path):
    result = _manage("check", "--deploy", **_prod_env(tmp_path))
    assert result.returncode == 1
    assert "nyskap.E010" in result.stderr
    assert "collectstatic" in result.stderr


def test_when_production_has_no_shared_cache_then_it_refuses_to_start(tmp_path):
    env = _prod_env(tmp_path)
    del env["REDIS_URL"]
    result = _manage("check", **env)
    assert result.returncode == 1
    assert "REDIS_URL must be set in production" in result.stderr
    assert "LOCAL_CACHE_ONLY=1" in result.stderr


def test_when_the_local_cache_is_chosen_explicitly_then_production_starts(tmp_path):
    env = _prod_env(tmp_path, LOCAL_CACHE_ONLY="1")
    del env["REDIS_URL"]
    result = _manage(
        "shell", "-c", "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])", **env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "django.core.cache.backends.locmem.LocMemCache"


def test_when_the_anonymous_api_write_rate_is_malformed_then_production_refuses_to_start_naming_it(tmp_path):
    result = _manage("check", **_prod_env(tmp_path, API_ANONYMOUS_WRITE_RATE="mange"))
    assert result.returncode == 1
    assert "API_ANONYMOUS_WRITE_RATE must be requests per period, e.g. 120/min" in result.stderr
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.API_ANONYMOUS_WRITE_RATE)",
        **_prod_env(tmp_path, API_ANONYMOUS_WRITE_RATE="30/min"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "30/min"


def test_when_production_settings_load_then_health_is_exempt_from_the_https_redirect(tmp_path):
    result = _manage(
        "shell",
        "-c",
        "from django.test import Client; r = Client().get('/helse/live/', HTTP_HOST='nyskap.example.no'); "
        "s = Client().get('/personvern/', HTTP_HOST='nyskap.example.no'); print(r.status_code, s.status_code)",
        **_prod_env(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["200", "301"]


def test_when_the_example_units_run_a_command_then_the_command_exists():
    from django.core.management import get_commands

    commands = get_commands()
    used = []
    for unit in sorted((ROOT / "deploy" / "systemd").glob("*.service")):
        for line in unit.read_text().splitlines():
            if line.startswith("ExecStart=") and " manage.py " in line:
                used.append(line.split(" manage.py ", 1)[1].split()[0])
    assert sorted(used) == ["backup", "db_worker", "discard_survey_drafts", "refresh_dashboards", "send_digests"]
    assert [name for name in used if name not in commands] == []


def test_when_the_deployment_docs_name_a_command_then_the_command_exists():
    from django.core.management import get_commands

    commands = get_commands()
    named = set()
    for doc in (ROOT / "docs" / "deploy.md", ROOT / "docs" / "operations.md", ROOT / "README.md"):
        named |= set(re.findall(r"manage\.py ([a-z_]+)", doc.read_text(encoding="utf-8")))
    assert "load_reference_content" in named
    assert sorted(name for name in named if name not in commands) == []


def test_when_tasks_have_waited_long_then_compose_still_starts_the_worker_that_works_them():
    # The worker waits for a healthy app. Were the app's health check /helse/ (which fails while a task has waited
    # past its limit), the worker would never start after downtime with tasks queued.
    compose = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    app = compose.split("\n  app:\n", 1)[1].split("\n  worker:\n", 1)[0]
    worker = compose.split("\n  worker:\n", 1)[1].split("\n  db:\n", 1)[0]
    assert "app: {condition: service_healthy}" in worker
    assert re.findall(r"http://127\.0\.0\.1:8000(/helse/[a-z/]*)", app) == ["/helse/live/"]


def test_when_reference_content_is_loaded_twice_then_everything_is_there_and_nothing_changes_the_second_time(db):
    import io

    from django.core.management import call_command

    from nyskap.instruments.models import Instrument
    from nyskap.organisations.models import Organisation
    from nyskap.surveys.models import Item, QuestionnaireVersion

    def counts() -> tuple[int, int, int, int]:
        return (
            Organisation.objects.count(),
            Instrument.objects.count(),
            QuestionnaireVersion.objects.filter(status="published").count(),
            Item.objects.count(),
        )

    call_command("load_reference_content", stdout=io.StringIO())
    first = counts()
    # The organisations and instruments of the reference data; the culture questionnaire and the barometer's two.
    assert first[0] > 400 and first[1] > 40 and first[2] == 3 and first[3] > 60, first
    call_command("load_reference_content", stdout=io.StringIO())
    assert counts() == first
