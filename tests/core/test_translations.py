"""Every message in the code has a bokmål and a nynorsk translation, and pages render in all three languages."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

from .test_url_access import is_public
from .urls_walk import all_routes

ROOT = Path(settings.BASE_DIR)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is needed to extract messages")
def test_when_messages_are_extracted_from_the_code_then_every_one_has_nb_and_nn(tmp_path, monkeypatch, settings):
    # Extract from a copy of the code into a copy of the catalogues, so a msgid added to the code but not to
    # locale/ is caught too, and the repository's own files are never rewritten by the test.
    shutil.copytree(ROOT / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["nb", "nn"], verbosity=0)
    missing = {}
    for language in ("nb", "nn"):
        catalogue = polib.pofile(str(tmp_path / "locale" / language / "LC_MESSAGES" / "django.po"))
        lacking = [e.msgid for e in catalogue if not e.obsolete and (not e.translated() or e.fuzzy)]
        if lacking:
            missing[language] = lacking
    assert missing == {}


def test_when_catalogues_are_compiled_then_the_committed_mo_files_match():
    call_command("check_translations")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_when_a_public_page_is_opened_in_a_language_then_it_renders_in_that_language(
    client, home_municipality, language
):
    client.cookies["django_language"] = language
    for route in all_routes()[0]:
        if not is_public(route.name) or route.name.startswith("api-v1:"):
            continue
        response = client.get(route.path)
        assert response.status_code < 500, route.path
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            assert response["Content-Language"] == language, route.path
            assert f'<html lang="{language}"'.encode() in response.content, route.path
