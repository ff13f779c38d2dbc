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
