"""Bokmål/nynorsk variants, spelling variants and everyday synonyms, and the words dropped from queries.

Both lists are data files in `data/`, each with its sources and rules at the top:
- `synonyms.txt`: groups of forms a search treats as the same word ("skule" finds "skole", "eldreomsorg" finds
  "omsorg for eldre", "sjukeheim" finds "omsorgsinstitusjon"). Snowball's Norwegian stemmer strips endings but cannot
  know that two different words mean the same.
- `query_stopwords.txt`: question words, modal verbs, pronouns, quantifiers, prepositions and the like
  ("hvordan", "korleis", "kan", "vi", "må", "fleire", "gjennom" …). They say how a question is asked, not what it
  is about, so they never decide recall.

Read once per process; the expansion happens in Python before a database is asked, so both backends use them alike.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def _lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@lru_cache(maxsize=1)
def variant_groups() -> tuple[tuple[str, ...], ...]:
    """The groups of `synonyms.txt`, forms in file order, each form stripped and case-folded."""
    return tuple(
        tuple(form.strip().casefold() for form in line.split(",") if form.strip()) for line in _lines("synonyms.txt")
    )


@lru_cache(maxsize=1)
def query_stop_words() -> frozenset[str]:
    return frozenset(line.casefold() for line in _lines("query_stopwords.txt"))


VARIANT_GROUPS = variant_groups()
