"""Pure text processing for Norwegian search: tokens, stems, variant expansion and one-typo neighbourhoods.

No Django imports, so these functions can be tested with hypothesis on their own. Both database backends take
their input from here, which is what keeps them behaving alike:

- `tokenise` decides what a word is for both backends (PostgreSQL is fed the already tokenised text, so its own
  parser never sees e-mail addresses, URLs or hyphenation rules that SQLite would not).
- `parse_query` turns a user's query into `TermGroup`s: every group must match (AND), any variant within a group may
  (OR). Variants come from the bokmål/nynorsk list in `synonyms.py`, looked up by stem so inflected query words
  ("tjenestene") find their group too.
- `edits1`/`typo_stems` give the one-typo neighbourhood used when a longer query word matches nothing.

Stemming is Snowball Norwegian via PyStemmer, the same algorithm PostgreSQL's `norwegian` configuration uses; the
parity test compares the two on a word list when the suite runs on PostgreSQL.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

from .stopwords import STOP_WORDS
from .synonyms import VARIANT_GROUPS, query_stop_words

# Longer "words" are identifiers, hashes or junk; indexing them only bloats the vocabulary.
MAX_TOKEN_LENGTH = 40
# A query longer than this is someone pasting a document; the first words are what they meant.
MAX_QUERY_TOKENS = 24
# Typo tolerance applies to words at least this long: in shorter words one typo often makes another real word.
MIN_FUZZY_LENGTH = 5
# A typo neighbour must keep a stem this long, so "skloe" can reach "skol" but not two-letter stems.
MIN_FUZZY_STEM = 4
# How many query words may be corrected, and into how many known words each: bounds the SQL and the noise.
MAX_FUZZY_WORDS = 4
MAX_FUZZY_VARIANTS = 8
# How many spellings of a compound query word's parts are searched (each part may have variants).
MAX_PART_VARIANTS = 8
# Nouns in -er shorter than this are mostly other words ("over", "etter", "under"); see `plural_variants`.
MIN_ER_NOUN_LENGTH = 6

# Letters and digits of any script; underscore is a "word" character for `\w` but not for us.
_TOKEN = re.compile(r"[^\W_]+")
_ALPHABET = "abcdefghijklmnopqrstuvwxyzæøå"

# PyStemmer's Stemmer objects are not thread-safe; one per thread.
_local = threading.local()


def normalise(text: str) -> str:
    """Unicode-compatible, case-folded form: "Å" and "å" (composed or not) compare equal; æ, ø and å are kept."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFKC", text).casefold())


def tokenise(text: str) -> list[str]:
    """Split on anything that is not a letter or digit; drop over-long tokens."""
    return [token for token in _TOKEN.findall(normalise(text)) if len(token) <= MAX_TOKEN_LENGTH]


def _stemmer() -> Stemmer.Stemmer:
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("norwegian")
    return stemmer


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball Norwegian stem of one (already tokenised) word (remembered: a search stems the same words often)."""
    return str(_stemmer().stemWord(word))


def content_words(text: str) -> list[str]:
    """Tokens without stop words, in order: what both backends index."""
    return [token for token in tokenise(text) if token not in STOP_WORDS]


def index_stems(text: str) -> str:
    """Stemmed content words joined by spaces: the text the SQLite FTS5 table stores."""
    return " ".join(stem(word) for word in content_words(text))


@dataclass(frozen=True, eq=True)
class TermGroup:
    """One word (or phrase) of a query: matches when any of its variants, or all of its compound parts, match.

    `variants` hold surface words (stop words removed); a variant of several words needs all of them. `parts` are
    the query word's compound parts together ("vannledning" → vann + ledning), a weaker match ranked below a whole
    word; `pieces` are single parts (the head "ledning", then "vann"), weaker still. `source` is the query text the
    group came from; `fuzzy` says whether a typo in it may be corrected.
    """

    source: str
    variants: tuple[tuple[str, ...], ...]
    fuzzy: bool = False
    parts: tuple[tuple[str, ...], ...] = ()
    pieces: tuple[tuple[str, ...], ...] = ()

    def stems(self) -> set[str]:
        return {stem(word) for variant in self.variants for word in variant}

    def distinct_variants(self) -> list[tuple[str, ...]]:
        """Variants with distinct stems ("kommune", "kommunen" and "kommuna" are one), first surface form kept."""
        return _distinct(self.variants)

    def with_variants(self, words: Iterable[str]) -> TermGroup:
        extra = tuple((word,) for word in words if (word,) not in self.variants)
        return TermGroup(self.source, self.variants + extra, self.fuzzy, self.parts, self.pieces)

    def whole(self) -> Expression:
        """Any variant as a whole word, in the title and need or the other texts."""
        return tuple(Clause(variant, WHOLE_FIELDS) for variant in self.distinct_variants())

    def title(self) -> Expression:
        """Any variant as a whole word in the title and need."""
        return tuple(Clause(variant, TITLE_FIELDS) for variant in self.distinct_variants())

    def strong(self) -> Expression:
        """Whole words anywhere, including as a part of an indexed compound, or all parts of the query's compound."""
        return tuple(Clause(variant) for variant in self.distinct_variants() + _distinct(self.parts))

    def matching(self) -> Expression:
        """A strong match, or any single part of the query's compound."""
        return self.strong() + tuple(Clause(piece) for piece in _distinct(self.pieces))


def _distinct(variants: Iterable[tuple[str, ...]]) -> list[tuple[str, ...]]:
    seen: dict[tuple[str, ...], tuple[str, ...]] = {}
    for variant in variants:
        if variant:
            seen.setdefault(_key(variant), variant)
    return list(seen.values())


# Indexed text is in three fields: a = title and need, b = the other texts, c = the parts of compounds in both.
WHOLE_FIELDS = "ab"
TITLE_FIELDS = "a"


@dataclass(frozen=True)
class Clause:
    """All `words` in one of `fields` ("" = any field, including compound parts)."""

    words: tuple[str, ...]
    fields: str = ""


# Clauses OR-ed together.
Expression = tuple[Clause, ...]

_WEIGHTS = {"a": "A", "b": "B", "c": "C"}


def tsquery_text(expressions: Iterable[Expression], *, require_all: bool = True) -> str:
    """Text for PostgreSQL's `to_tsquery('norwegian', …)`: expressions AND-ed (or OR-ed), clauses OR-ed, the words
    of a clause AND-ed, each word quoted and limited to its clause's weights. Tokens are letters and digits only, so
    the quoting is a formality; PostgreSQL still stems every word with the `norwegian` configuration."""
    parts = []
    for expression in expressions:
        clauses = []
        for clause in expression:
            weights = "".join(_WEIGHTS[field] for field in clause.fields)
            suffix = f":{weights}" if weights else ""
            words = [f"'{word.replace(chr(39), '')}'{suffix}" for word in clause.words]
            if words:
                clauses.append("(" + " & ".join(words) + ")")
        if clauses:
            parts.append("(" + " | ".join(clauses) + ")")
    return (" & " if require_all else " | ").join(parts)


def fts5_expression(expressions: Iterable[Expression], *, require_all: bool = True) -> str:
    """The same as an FTS5 MATCH expression over the columns a, b and c, every stem quoted (a quoted string is
    always a plain term to FTS5, never an operator or column filter)."""
    parts = []
    for expression in expressions:
        clauses = []
        for clause in expression:
            prefix = "{" + " ".join(clause.fields) + "} : " if clause.fields else ""
            words = [prefix + '"' + stem(word).replace('"', '""') + '"' for word in clause.words]
            if words:
                clauses.append("(" + " AND ".join(words) + ")")
        if clauses:
            parts.append("(" + " OR ".join(clauses) + ")")
    return (" AND " if require_all else " OR ").join(parts)


def _key(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(stem(word) for word in words)


@lru_cache(maxsize=1)
def _variant_index() -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Map the stems of every listed form to all forms of its group (groups sharing a form are merged)."""
    merged: list[tuple[set[tuple[str, ...]], dict[tuple[str, ...], None]]] = []
    for group in VARIANT_GROUPS:
        keys = {_key(tokenise(form)) for form in group}
        forms = dict.fromkeys(tuple(content_words(form)) for form in group if content_words(form))
        for other_keys, other_forms in [entry for entry in merged if entry[0] & keys]:
            keys |= other_keys
            forms = {**other_forms, **forms}
            merged.remove((other_keys, other_forms))
        merged.append((keys, forms))
    index = {key: tuple(forms) for keys, forms in merged for key in keys}
    return index


def plural_variants(word: str) -> tuple[tuple[str, ...], ...]:
    """The other number of an agent noun in -er, whose two forms Snowball Norwegian stems apart.

    Snowball strips "-er" from the singular but only "-e" from the plural: "medisindispenser" → "medisindispens",
    "medisindispensere" → "medisindispenser" (so also "lærer"/"lærere", "leder"/"ledere"). Without help a search for
    the singular misses every text that has the plural, and the other way round. The other form is added as a
    variant; where the word is no such noun, the extra form matches nothing and costs one more term in the lookup.
    """
    if len(word) < MIN_ER_NOUN_LENGTH or word.isdigit():
        return ()
    if word.endswith("ere"):
        return ((word[:-1],),)
    if word.endswith("er"):
        return ((word + "e",),)
    return ()


def query_tokens(query: str) -> list[str]:
    """The query's words without the words that only say how a question is asked ("hvordan kan vi …"); when that
    leaves nothing ("eksempel"), the words themselves."""
    tokens = tokenise(query)
    asking = query_stop_words()
    content = [token for token in tokens if token not in asking]
    return (content or tokens)[:MAX_QUERY_TOKENS]


def parse_query(query: str, *, split: Callable[[str], tuple[str, ...]] | None = None) -> list[TermGroup]:
    """Turn a user's query into groups of OR-ed variants; stop words, question words and duplicates are dropped.

    `split` gives a word's compound parts (see `compounds.split`); each part is expanded with its variants too, so
    "elferje" → el + ferje also matches "elektrisk ferge"."""
    index = _variant_index()
    longest = max((len(key) for key in index), default=1)
    tokens = query_tokens(query)
    keys = _key(tokens)
    groups: list[TermGroup] = []
    position = 0
    while position < len(tokens):
        for length in range(min(longest, len(tokens) - position), 1, -1):
            variants = index.get(keys[position : position + length])
            if variants:
                words = tokens[position : position + length]
                own = tuple(word for word in words if word not in STOP_WORDS)
                groups.append(TermGroup(" ".join(words), tuple(dict.fromkeys((own, *variants)))))
                position += length
                break
        else:
            word = tokens[position]
            if word not in STOP_WORDS:
                variants = index.get((keys[position],), ())
                fuzzy = len(word) >= MIN_FUZZY_LENGTH and not word.isdigit()
                forms = ((word,), *variants, *plural_variants(word))
                parts, pieces = _part_variants(word, split) if split else ((), ())
                groups.append(TermGroup(word, tuple(dict.fromkeys(forms)), fuzzy, parts, pieces))
            position += 1
    unique: dict[frozenset[str], TermGroup] = {}
    for group in groups:
        unique.setdefault(frozenset(group.stems()), group)
    return list(unique.values())


def _part_variants(
    word: str, split: Callable[[str], tuple[str, ...]]
) -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]:
    """The parts of a compound query word together, each by any of its listed forms ("elferje" → ("el", "ferje"),
    ("elektrisk", "ferje"), ("el", "ferge") …, at most `MAX_PART_VARIANTS`), and its single parts, head first
    (("ferje",), ("ferge",), ("el",), ("elektrisk",)). Norwegian compounds are right-headed ("legemiddeldispenser"
    is a kind of "dispenser"), so a text with only the head is the better of the weak matches."""
    parts = [part for part in split(word) if part not in STOP_WORDS]
    if len(parts) < 2:
        return (), ()
    index = _variant_index()

    def forms(part: str) -> list[tuple[str, ...]]:
        listed = [variant for variant in index.get((stem(part),), ()) if variant != (part,)]
        return list(dict.fromkeys([(part,), *listed, *plural_variants(part)]))

    combinations: list[tuple[str, ...]] = [()]
    for part in parts:
        combinations = [done + variant for done in combinations for variant in forms(part)][:MAX_PART_VARIANTS]
    pieces = [variant for part in reversed(parts) for variant in forms(part)]
    return tuple(dict.fromkeys(combinations)), tuple(dict.fromkeys(pieces))[:MAX_PART_VARIANTS]


def edits1(word: str) -> set[str]:
    """Every string one Damerau-Levenshtein edit from `word` (delete, transpose, substitute or insert one letter)."""
    letters = set(_ALPHABET) | set(word)
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {left + right[1:] for left, right in splits if right}
    transposes = {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    replaces = {left + letter + right[1:] for left, right in splits if right for letter in letters}
    inserts = {left + letter + right for left, right in splits for letter in letters}
    return (deletes | transposes | replaces | inserts) - {word}


def typo_stems(word: str) -> set[str]:
    """Stems of all one-typo neighbours of `word`, and the neighbours as they stand, except its own stem and those
    too short to be telling. The neighbours as they stand are kept because the stemmer does not always give an
    inflected form and its base form one stem ("samskapingsarena" → "samskapingsaren", but "samskapingsarenaer" →
    "samskapingsarena"): a query one typo from the base form still meets the index's stem of the inflected form."""
    own = stem(word)
    neighbours = sorted(edits1(word))
    found = set(_stemmer().stemWords(neighbours)) | set(neighbours)
    return {s for s in found if len(s) >= MIN_FUZZY_STEM and s != own and s != word}
