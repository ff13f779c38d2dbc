"""Find the per-app additions to the URL meta-tests: tests/<app>/url_access.py."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

TESTS_DIR = Path(__file__).resolve().parent.parent


def app_url_access_modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"tests.{path.parent.name}.url_access")
        for path in sorted(TESTS_DIR.glob("*/url_access.py"))
    ]
