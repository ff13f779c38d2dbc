"""Every message in the code has a bokmål and a nynorsk translation, and pages render in all three languages."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from nyskap.core.management.commands import check_translations

from .test_url_access import is_public
from .urls_walk import all_routes

ROOT = Path(settings.BASE_DIR)


def _catalogue(path: Path, entries: list[polib.POEntry]) -> None:
    path.mkdir(parents=True)
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    for entry in entries:
        catalogue.append(entry)
    catalogue.save(str(path / "django.po"))
    catalogue.save_as_mofile(str(path / "django.mo"))


def test_when_a_translation_function_has_an_alias_the_extraction_cannot_see_then_it_is_reported(tmp_path):
    source = tmp_path / "src" / "app"
    source.mkdir(parents=True)
    (source / "levels.py").write_text(
        "from django.utils.translation import gettext_lazy as _lazy\n"
        "from django.utils.translation import gettext as _\n"
        "from django.utils.translation import gettext_lazy\n"
        "lazy_text = gettext_lazy\n"
        "LEVELS = {3: _lazy('Established')}\n"
        "LINE = f\"{_('parent')} 1\"\n",
        encoding="utf-8",
    )
    problems = check_translations.hidden_aliases(tmp_path / "src")
    assert problems == [
        "src/app/levels.py:1: gettext_lazy is used as '_lazy', which the extraction does not see; import it under "
        "its own name or as _",
        "src/app/levels.py:4: gettext_lazy is used as 'lazy_text', which the extraction does not see; import it "
        "under its own name or as _",
        "src/app/levels.py:6: _() inside an f-string, which the extraction does not see; translate outside it",
    ]
    assert check_translations.hidden_aliases(ROOT / "src") == []


def test_when_a_translation_is_empty_or_fuzzy_then_it_counts_as_untranslated(tmp_path):
    fuzzy = polib.POEntry(msgid="Established", msgstr="Etablert", flags=["fuzzy"])
    _catalogue(
        tmp_path / "nb",
        [fuzzy, polib.POEntry(msgid="Leading", msgstr=""), polib.POEntry(msgid="Beginning", msgstr="Begynnende")],
    )
    assert check_translations.untranslated(tmp_path / "nb" / "django.po") == ["Established", "Leading"]


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is needed to extract messages")
def test_when_the_sources_mark_a_message_the_catalogues_lack_then_the_check_fails(tmp_path, settings):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "page.py").write_text(
        "from django.utils.translation import gettext as _\n\nTEXTS = [_('Beginning'), _('Brand new')]\n",
        encoding="utf-8",
    )
    for language in ("nb", "nn"):
        _catalogue(
            tmp_path / "locale" / language / "LC_MESSAGES", [polib.POEntry(msgid="Beginning", msgstr="Begynnende")]
        )
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    settings.BASE_DIR = tmp_path
    assert check_translations.missing_from_catalogues(tmp_path / "locale") == [
        "nb: 'Brand new' is in the sources but not in the catalogue (run make messages)",
        "nn: 'Brand new' is in the sources but not in the catalogue (run make messages)",
    ]
    with pytest.raises(CommandError, match="2 translation problem"):
        call_command("check_translations", stdout=io.StringIO(), stderr=io.StringIO())


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
