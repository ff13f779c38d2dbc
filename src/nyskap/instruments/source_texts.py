"""The catalogue's source notes in the reader's language. The shipped notes (the free text of ``instruments.csv`` and
the notes of the reviewed mapping) are stored in English, as the source and the API give them; their bokmål and
nynorsk text is shipped beside them (``nyskap/data/instruments_source_texts.json``, keyed by the English text word
for word). A note an instrument owner has written is shown as they wrote it."""

from __future__ import annotations

import functools
import json

from django.utils.translation import get_language

from nyskap.organisations.reference_data import DEFAULT_DATA_DIR

TRANSLATIONS_FILE = "instruments_source_texts.json"
NORWEGIAN = ("nb", "nn")


@functools.cache
def shipped_texts() -> dict[str, dict[str, str]]:
    """English note → {"nb": …, "nn": …}."""
    with (DEFAULT_DATA_DIR / TRANSLATIONS_FILE).open(encoding="utf-8") as file:
        texts: dict[str, dict[str, str]] = json.load(file)["texts"]
    return texts


def in_language(text: str, language: str | None = None) -> str:
    """The note in ``language`` (the active language when not given): its Norwegian text when it is a shipped
    note, else as stored. An empty translation means the note only pointed into working documents: nothing is
    shown."""
    if not text:
        return text
    code = (language or get_language() or "nb")[:2]
    if code not in NORWEGIAN:
        return text
    entry = shipped_texts().get(text)
    return entry[code] if entry is not None else text
