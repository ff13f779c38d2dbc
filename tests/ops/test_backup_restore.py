"""The restore drill (docs/operations.md, "Restore"): back up a populated site, restore it into a fresh database,
compare every table's row count and checksum with the source, start the app on the restored database and read a
page. Runs on both SQLite (the online backup API) and PostgreSQL (pg_dump / pg_restore)."""

from __future__ import annotations

import importlib
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.core.management import call_command
from django.db import connection

from nyskap.core.backup import table_states
from nyskap.projects.models import Project
from tests.helpers import free_port as _free_port

ROOT = Path(__file__).resolve().parents[2]


def _env_for(target: dict[str, str], media: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "SQLITE_PATH"))}
    env.update(
        DJANGO_SETTINGS_MODULE="nyskap.config.settings.dev",
        DEBUG="0",
        SECRET_KEY="restore-drill-secret-key-long-enough-0123456789-abcdefghijklmnop",
        ALLOWED_HOSTS="127.0.0.1",
        MEDIA_ROOT=str(media),
        **target,
    )
    return env


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def fresh_target(tmp_path):
    """Where the restore goes: a new SQLite file, or a new PostgreSQL database (dropped afterwards)."""
    if connection.vendor == "sqlite":
        yield {"SQLITE_PATH": str(tmp_path / "restored.sqlite3")}
        return
    params = connection.settings_dict
    name = f"{params['NAME']}_drill"
    host, port, user = params["HOST"] or "127.0.0.1", params["PORT"] or 5432, params["USER"]
    admin = ["-h", str(host), "-p", str(port), "-U", str(user)]
    subprocess.run(["dropdb", *admin, "--if-exists", name], check=True)
    subprocess.run(["createdb", *admin, name], check=True)
    yield {"DATABASE_URL": f"postgres://{user}@{host}:{port}/{name}"}
    subprocess.run(["dropdb", *admin, "--if-exists", "--force", name], check=False)


def _seed_from_migrations() -> None:
    """The rows the data migrations seed (lookup tables, the R-109 parameters): an earlier transactional test's
    flush empties them, and the drill needs the database as a fresh install has it. Each seed is idempotent."""
    from django.apps import apps

    for module, function in (
        ("nyskap.projects.migrations.0002_seed_lookups", "seed"),
        ("nyskap.benefits.migrations.0002_r109_parameters", "seed"),
        ("nyskap.benefits.migrations.0003_co_financing_basis", "mark_uncertain"),
    ):
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.mark.django_db(transaction=True)
def test_when_a_backup_is_restored_into_a_fresh_database_then_every_table_matches_and_the_site_runs(
    tmp_path, settings, fresh_target
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    attachment = Path(settings.MEDIA_ROOT) / "attachments" / "2026" / "plan.pdf"
    attachment.parent.mkdir(parents=True)
    attachment.write_bytes(b"%PDF-1.4 restore drill " + bytes(range(256)))
    _seed_from_migrations()
    settings.DEBUG = True  # demo_data refuses to run otherwise
    for command in ("load_reference_data", "demo_data", "load_project_cases"):
        call_command(command, stdout=io.StringIO())
    settings.DEBUG = False
    project = Project.objects.filter(visibility="public").order_by("pk").first()
    assert project is not None
    source = table_states()
    assert sum(state.rows for state in source.values()) > 1000  # a populated site, not an empty schema

    backup = tmp_path / "backup"
    out = io.StringIO()
    call_command("backup", output=str(backup), stdout=out)
    assert f"Backup written to {backup}: {len(source)} tables" in out.getvalue()
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["vendor"] == connection.vendor
    assert manifest["media_files"] == 1
    # The manifest describes the source exactly.
    assert manifest["tables"] == {name: {"rows": s.rows, "checksum": s.checksum} for name, s in source.items()}
    assert (backup / ("database.dump" if connection.vendor == "postgresql" else "database.sqlite3")).stat().st_size

    restored_media = tmp_path / "restored-media"
    env = _env_for(fresh_target, restored_media)
    result = _manage(env, "restore", str(backup))
    assert result.returncode == 0, result.stderr
    assert f"{len(source)} tables" in result.stdout
    assert "every row count and checksum matches the backup" in result.stdout
    assert (restored_media / "attachments" / "2026" / "plan.pdf").read_bytes() == attachment.read_bytes()

    # A second restore into the now populated database is refused rather than mixed in.
    again = _manage(env, "restore", str(backup))
    assert again.returncode == 1
    assert "not empty" in again.stderr

    # A manifest that does not match the database is reported per table.
    tampered = tmp_path / "tampered"
    tampered.mkdir()
    manifest["tables"]["projects_project"]["rows"] += 1
    (tampered / "manifest.json").write_text(json.dumps(manifest))
    check = _manage(env, "restore", "--verify-only", str(tampered))
    assert check.returncode == 1
    assert "projects_project: backup" in check.stderr
    assert f"1 of {len(source)} tables differ from the backup" in check.stderr

    # The app starts on the restored database and shows the project.
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "nyskap.config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--no-control-socket"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(tmp_path / "server.log", "w"),
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        page = None
        while time.monotonic() < deadline:
            try:
                # The first page of a cold worker loads the search lexicon: allow for a busy machine (this test
                # checks the restored site, not its speed).
                page = requests.get(f"http://127.0.0.1:{port}/prosjekter/{project.slug}/", timeout=60)
                break
            except requests.ConnectionError:
                time.sleep(0.3)
        assert page is not None, (tmp_path / "server.log").read_text()[-2000:]
        assert page.status_code == 200
        assert project.title in page.text
        health = requests.get(f"http://127.0.0.1:{port}/helse/", timeout=30)
        assert health.status_code == 200, health.text
    finally:
        server.terminate()
        server.wait(timeout=20)
