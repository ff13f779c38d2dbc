"""System checks for what the platform needs from the machine it runs on."""

from __future__ import annotations

from typing import Any

from django.core import checks


@checks.register(checks.Tags.compatibility)
def norwegian_dictionaries(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Search splits compound words with the Norwegian Hunspell dictionaries; without them it still works, but
    "velferd" no longer finds "Velferdspiloten"."""
    from nyskap.core.search.compounds import dictionary_files

    if dictionary_files():
        return []
    return [
        checks.Warning(
            "The Norwegian Hunspell dictionaries (nb_NO, nn_NO) were not found: search cannot split compound words.",
            hint="Install the Debian package hunspell-no, or set NYSKAP_HUNSPELL_DIR to a folder holding them; then "
            "run manage.py reindex_projects.",
            id="nyskap.W001",
        )
    ]


@checks.register(checks.Tags.staticfiles, deploy=True)
def collected_static_files(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """With hashed static file names (production), every page needs the manifest `collectstatic` writes: without
    it each page would fail with a server error."""
    from pathlib import Path

    from django.conf import settings

    backend = settings.STORAGES.get("staticfiles", {}).get("BACKEND", "")
    if "Manifest" not in backend:
        return []
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        return []
    return [
        checks.Error(
            f"The static files have not been collected: {manifest} is missing, so every page would fail.",
            hint="Run manage.py collectstatic --noinput (bin/start-app does it before it starts the app server).",
            id="nyskap.E010",
        )
    ]
