"""Backups and restores of the database and the uploaded files (`manage.py backup`, `manage.py restore`,
docs/operations.md).

A backup is a folder:

- ``database.dump`` — PostgreSQL: ``pg_dump`` in its custom format (restored with ``pg_restore``), or
  ``database.sqlite3`` — SQLite: a consistent copy made with SQLite's online backup API while the site runs;
- ``media.tar.gz`` — the uploaded files (``MEDIA_ROOT``);
- ``manifest.json`` — when and from what it was made, and per table its row count and a checksum of its rows, so a
  restore can prove that it brought back exactly what was saved.

The checksum of a table is the SHA-256 of its rows' SHA-256 hashes in sorted order: independent of row order and of
physical layout, so a restored database gives the same figure as its source."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media.tar.gz"


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class TableState:
    rows: int
    checksum: str


def _table_state(cursor: Any, table: str, quote: Any) -> TableState:
    cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - the name comes from the database's own catalogue
    hashes: list[str] = []
    while True:
        batch = cursor.fetchmany(2000)
        if not batch:
            break
        hashes.extend(hashlib.sha256(repr(tuple(_normal(v) for v in row)).encode()).hexdigest() for row in batch)
    hashes.sort()
    return TableState(rows=len(hashes), checksum=hashlib.sha256("".join(hashes).encode()).hexdigest())


def _normal(value: Any) -> Any:
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def table_states(using: str = "default") -> dict[str, TableState]:
    """Row count and checksum of every table in the database."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        # Django's SQLite connection converts column values (dates, decimals); a raw copy gives the stored values,
        # the same as a backup file read with sqlite_file_states.
        connection.ensure_connection()
        raw = sqlite3.connect(":memory:")
        try:
            connection.connection.backup(raw)
            return _sqlite_states(raw)
        finally:
            raw.close()
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        return {table: _table_state(cursor, table, connection.ops.quote_name) for table in tables}


def _sqlite_states(db: sqlite3.Connection) -> dict[str, TableState]:
    cursor = db.cursor()
    names = [
        row[0]
        for row in cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ).fetchall()
    ]
    return {name: _table_state(cursor, name, lambda n: '"' + n.replace('"', '""') + '"') for name in names}


def sqlite_file_states(path: Path) -> dict[str, TableState]:
    """The same for an SQLite file that is not the configured database (a backup, before it is restored)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return _sqlite_states(db)
    finally:
        db.close()


def _vendor(using: str = "default") -> str:
    return connections[using].vendor


def _pg_env(using: str = "default") -> tuple[list[str], dict[str, str]]:
    params = connections[using].settings_dict
    env = {**os.environ}
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    args = []
    if params.get("HOST"):
        args += ["--host", str(params["HOST"])]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", str(params["USER"])]
    return args, env


def pg_tool(name: str) -> str:
    """`pg_dump` or `pg_restore`: from PG_BIN_DIR when set, else the first on PATH."""
    folder = os.environ.get("PG_BIN_DIR") or getattr(settings, "PG_BIN_DIR", "")
    if folder:
        return str(Path(folder) / name)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} was not found: install the PostgreSQL client (postgresql-client) or set PG_BIN_DIR.")
    return found


def _media_root() -> Path | None:
    root = getattr(settings, "MEDIA_ROOT", None)
    return Path(root) if root else None


def make_backup(output: Path, *, using: str = "default", include_media: bool = True) -> dict[str, Any]:
    """Write a backup folder (it must not exist yet or be empty). Returns the manifest."""
    if output.exists() and any(output.iterdir()):
        raise BackupError(f"{output} already holds files; give a new folder.")
    output.mkdir(parents=True, exist_ok=True)
    vendor = _vendor(using)
    connection = connections[using]
    created = timezone.now()
    if vendor == "postgresql":
        # The dump and the manifest see the same snapshot, so the manifest describes the dump exactly even while
        # the site goes on writing.
        args, env = _pg_env(using)
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            result = subprocess.run(  # noqa: S603 - an argument list from the settings, no shell
                [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                 *args, "--file", str(output / PG_DUMP), str(connection.settings_dict["NAME"])],
                env=env, capture_output=True, text=True, check=False,
            )  # fmt: skip
            if result.returncode != 0:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
            states = table_states(using)
    elif vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(output / SQLITE_COPY)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        states = sqlite_file_states(output / SQLITE_COPY)  # exactly what the copy holds
    else:
        raise BackupError(f"Backups of {vendor} databases are not supported.")
    media_files = 0
    media = _media_root()
    if include_media and media and media.is_dir():
        with tarfile.open(output / MEDIA, "w:gz") as archive:
            for path in sorted(media.rglob("*")):
                if path.is_file():
                    archive.add(path, arcname=str(path.relative_to(media)))
                    media_files += 1
    manifest = {
        "format": 1,
        "created": created.isoformat(),
        "vendor": vendor,
        "database": PG_DUMP if vendor == "postgresql" else SQLITE_COPY,
        "media_files": media_files,
        "tables": {name: {"rows": s.rows, "checksum": s.checksum} for name, s in states.items()},
    }
    (output / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} is not a backup: {MANIFEST} is missing.")
    return dict(json.loads(path.read_text()))


def _has_tables(using: str) -> bool:
    connection = connections[using]
    with connection.cursor() as cursor:
        return bool(connection.introspection.table_names(cursor))


def restore_backup(folder: Path, *, using: str = "default", replace: bool = False, media: bool = True) -> None:
    """Load a backup folder into the configured database (which must be empty unless `replace`) and the media
    folder."""
    manifest = read_manifest(folder)
    vendor = _vendor(using)
    if manifest["vendor"] != vendor:
        raise BackupError(f"The backup is of a {manifest['vendor']} database; the configured one is {vendor}.")
    if _has_tables(using) and not replace:
        raise BackupError("The configured database is not empty. Restore into a new database, or give --replace.")
    connection = connections[using]
    if vendor == "postgresql":
        args, env = _pg_env(using)
        connection.close()
        command = [pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                   *args, "--dbname", str(connection.settings_dict["NAME"])]  # fmt: skip
        if replace:
            command += ["--clean", "--if-exists"]
        result = subprocess.run([*command, str(folder / PG_DUMP)], env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    else:
        target_path = str(connection.settings_dict["NAME"])
        connection.close()
        source = sqlite3.connect(f"file:{folder / SQLITE_COPY}?mode=ro", uri=True)
        target = sqlite3.connect(target_path)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
    media_root = _media_root()
    if media and media_root and (folder / MEDIA).is_file():
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / MEDIA, "r:gz") as archive:
            archive.extractall(media_root, filter="data")  # refuses absolute paths, "..", links out of the folder


@dataclass(frozen=True)
class Comparison:
    matching: list[str]
    differing: list[tuple[str, dict[str, Any] | None, dict[str, Any] | None]]

    @property
    def ok(self) -> bool:
        return not self.differing


def compare_with_manifest(manifest: dict[str, Any], states: dict[str, TableState]) -> Comparison:
    expected: dict[str, dict[str, Any]] = manifest["tables"]
    found = {name: {"rows": s.rows, "checksum": s.checksum} for name, s in states.items()}
    matching, differing = [], []
    for name in sorted(set(expected) | set(found)):
        if expected.get(name) == found.get(name):
            matching.append(name)
        else:
            differing.append((name, expected.get(name), found.get(name)))
    return Comparison(matching=matching, differing=differing)


def expand_output(pattern: str, now: datetime.datetime | None = None) -> Path:
    """`--output` may hold strftime fields (`/backups/%Y-%m-%d`), so a timer can give one fixed argument."""
    return Path((now or timezone.localtime()).strftime(pattern))
