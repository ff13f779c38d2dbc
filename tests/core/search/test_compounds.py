"""The compound splitter on the real Norwegian lexicon (Debian's hunspell-no, read with spylls), and the system
check that warns when the dictionaries are missing."""

from __future__ import annotations

import pytest

from nyskap.core.checks import norwegian_dictionaries
from nyskap.core.search import compounds


@pytest.fixture(autouse=True)
def lexicon():
    if not compounds.available():
        pytest.fail("The Norwegian Hunspell dictionaries (hunspell-no) are needed: `make install` installs them.")


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("velferdspiloten", ("velferd", "piloten")),  # linking -s-, inflected head
        ("medisindispensere", ("medisin", "dispensere")),
        ("vannledninger", ("vann", "ledninger")),  # a dictionary word, split where the dictionary marks a part
        ("ledningsnett", ("ledning", "nett")),
        ("kommunesammenslåing", ("kommune", "sammenslåing")),
        ("oppstartsselskaper", ("oppstart", "selskaper")),
        ("helseattest", ("hels", "attest")),
        ("elferje", ("el", "ferje")),  # a short first part the lexicon shows to be productive ("elbil" …)
        ("skulemat", ("skule", "mat")),  # nynorsk, a three-letter head
        ("sykehussamhandling", ("sykehus", "samhandling")),  # a head the dictionary forms with a prefix rule
    ],
)
def test_when_a_compound_is_split_then_its_parts_come_from_the_lexicon(word, parts):
    assert compounds.split(word) == parts


@pytest.mark.parametrize(
    "word",
    ["pasienter", "teknologi", "anskaffelse", "undersøkelse", "forbedring", "innbyggere", "velferd", "kommune"],
)
def test_when_a_word_is_no_compound_or_only_looks_like_one_then_it_stays_whole(word):
    assert compounds.split(word) == ()


def test_when_the_lexicon_is_read_again_then_it_comes_from_the_cache_file_with_the_same_words(tmp_path, monkeypatch):
    first = compounds.lexicon()
    assert first is not None
    cache = compounds._cache_dir() / compounds._cache_name(compounds.dictionary_files())
    assert cache.is_file()
    again = compounds.Lexicon(*compounds._read_cache(cache))
    assert again.keys == first.keys and again.modifiers == first.modifiers and len(first.keys) > 400_000
    assert again.compounding == first.compounding and again.short_modifiers == first.short_modifiers
    assert "el" in again.short_modifiers and "for" not in again.short_modifiers  # a prefix is no modifier


def test_when_the_dictionaries_are_missing_then_a_system_check_says_what_to_install(monkeypatch, tmp_path):
    assert norwegian_dictionaries() == []
    monkeypatch.setattr(compounds, "DICTIONARY_DIRS", (str(tmp_path),))
    monkeypatch.delenv("NYSKAP_HUNSPELL_DIR", raising=False)
    [warning] = norwegian_dictionaries()
    assert warning.id == "nyskap.W001" and "hunspell-no" in warning.hint
