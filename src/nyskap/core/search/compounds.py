"""Splitting Norwegian compounds into their parts with a real lexicon: "velferdspiloten" → velferd + piloten.

Norwegian writes compounds as one word, so "velferd" does not find "Velferdspiloten" and "elferje" does not find
"elektrisk ferje" unless the words are split. The split is a dictionary decompounder (the method of Elasticsearch's
`dictionary_decompounder`): a word is cut into parts that are all words of the lexicon, with the linking letters
Norwegian puts between parts (-s-, -e-), and the last part (the head) may be inflected.

The lexicon is the Norwegian Hunspell dictionaries (bokmål `nb_NO` and nynorsk `nn_NO`, Debian package
`hunspell-no`), read with `spylls`, a Python implementation of Hunspell. Reading them takes seconds, so the word list
is extracted once, as sorted arrays of 64-bit word hashes (`WordSet`), into a cache file (`NYSKAP_CACHE_DIR`, by
default `~/.cache/nyskap`) named by the dictionaries' size and time so a new dictionary is read again; a process
then loads it in a fraction of a second and holds it in about 10 MB.

Rules, all from the dictionary rather than from a list of our own:
- parts are at least the dictionary's own `COMPOUNDMIN` letters (4 in `nb_NO`), except a last part of three letters
  that is a dictionary word as it stands ("skole" + "mat");
- a first part is a dictionary word, but not one of the dictionary's prefixes (its `PFX` rules: "for", "sam",
  "under" …) nor a stop word: "undersøkelse" is no "under" + "søkelse";
- a word that is itself a dictionary word ("pasienter", "anskaffelse") is split only in two and only where the split
  is plain: a linking letter ("ledning-s-nett"), a first part the dictionary marks as a compound part (its
  `COMPOUNDFLAG`: "vann" in "vannledning"), or two parts of 5 letters or more ("helse" + "fellesskap"); the parts
  are indexed apart from the words themselves, so a rare odd split only ever gives a low-ranked part match;
- a first part shorter than `COMPOUNDMIN` is accepted only when the lexicon itself shows it is a productive compound
  modifier: at least `MIN_SHORT_MODIFIER_COMPOUNDS` dictionary entries are that part followed by another dictionary
  word ("el" in "elbil", "elsykkel" …; "bil" in "bilferje" …), again neither a prefix nor a stop word;
- the split with the fewest parts wins.

Without the dictionaries (not installed) nothing is split; `available()` tells, and a system check warns.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from .stopwords import STOP_WORDS
from .text import stem

logger = logging.getLogger(__name__)

DICTIONARY_DIRS = ("/usr/share/hunspell", "/usr/share/myspell/dicts", "/usr/share/myspell")
DICTIONARIES = ("nb_NO", "nn_NO")
# Words shorter than this are never split: short words are rarely compounds, and splitting them is mostly noise.
MIN_COMPOUND_LENGTH = 6
# When the dictionary does not say (no COMPOUNDMIN), Hunspell's own default.
DEFAULT_COMPOUNDMIN = 3
# A part shorter than COMPOUNDMIN is a modifier only when the dictionary has this many compounds beginning with it.
MIN_SHORT_MODIFIER_COMPOUNDS = 25
SHORT_MODIFIER_LENGTHS = (2, 3)
# A head this short is accepted only as an exact dictionary word after a compound part ("skole" + "mat").
MIN_SHORT_HEAD = 3
# Two parts at least this long make a plain split of a dictionary word ("helse" + "fellesskap").
MIN_PLAIN_PART = 5
# Linking letters between the parts of a Norwegian compound (velferd-s-pilot, barn-e-hage).
LINKS = ("", "s", "e")
_FORMAT = "8"

_lock = threading.Lock()


def word_hash(word: str) -> int:
    """A stable 64-bit hash of a word (the same in every process, unlike Python's `hash`)."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


class WordSet:
    """A set of words held as a sorted array of their 64-bit hashes: 8 bytes a word instead of a Python string and
    a hash-table slot (about 10 MB for the whole lexicon instead of over 100 MB per process). A false "yes" needs a
    64-bit hash collision among half a million words: about one chance in 10^8."""

    def __init__(self, hashes: Any) -> None:
        import numpy as np

        self.hashes = np.unique(np.asarray(hashes, dtype=np.int64))

    @classmethod
    def of(cls, words: Iterable[str]) -> WordSet:
        return cls([word_hash(word) for word in words])

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        value = word_hash(word)
        index = int(self.hashes.searchsorted(value))
        return index < len(self.hashes) and int(self.hashes[index]) == value

    def __len__(self) -> int:
        return len(self.hashes)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WordSet) or len(self) != len(other):
            return False
        return bool((self.hashes == other.hashes).all())

    __hash__ = None  # type: ignore[assignment]


class Lexicon:
    """Dictionary words that may begin a compound, every word and stem a compound may end with, the words the
    dictionary marks as compound parts, the short productive modifiers and the minimum part length."""

    def __init__(
        self,
        modifiers: WordSet,
        keys: WordSet,
        short_modifiers: frozenset[str],
        min_part: int,
        compounding: WordSet,
    ) -> None:
        self.modifiers = modifiers
        self.compounding = compounding
        self.keys = keys
        self.short_modifiers = short_modifiers
        self.min_part = min_part

    def knows(self, word: str) -> bool:
        """A dictionary word, or an inflected form whose stem (of at least `min_part` letters) is one."""
        if word in self.keys:
            return True
        root = stem(word)
        return len(root) >= self.min_part and root in self.keys


def dictionary_files(dirs: Iterable[str] | None = None) -> list[Path]:
    """The `.dic` files of the Norwegian dictionaries found (bokmål first); empty when none is installed."""
    search = [d for d in (os.environ.get("NYSKAP_HUNSPELL_DIR", ""),) if d] + list(dirs or DICTIONARY_DIRS)
    found = []
    for name in DICTIONARIES:
        for directory in search:
            path = Path(directory) / f"{name}.dic"
            if path.is_file() and path.with_suffix(".aff").is_file():
                found.append(path)
                break
    return found


def _cache_dir() -> Path:
    configured = os.environ.get("NYSKAP_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "nyskap"


def _cache_name(files: list[Path]) -> str:
    fingerprint = "|".join(f"{path}:{path.stat().st_size}:{path.stat().st_mtime_ns}" for path in files)
    return f"lexicon-{_FORMAT}-{hashlib.sha256(fingerprint.encode()).hexdigest()[:16]}.npz"


def _read_dictionaries(files: list[Path]) -> tuple[set[str], set[str], set[str], int]:
    """Lower-case dictionary words (proper nouns, abbreviations with capitals and hyphenated entries left out), those
    the dictionary marks as compound parts (its `COMPOUNDFLAG`), its prefixes and its minimum compound part."""
    from spylls.hunspell import Dictionary

    words: set[str] = set()
    compounding: set[str] = set()
    prefixes: set[str] = set()
    min_part = 0
    for path in files:
        dictionary = Dictionary.from_files(str(path.with_suffix("")))
        min_part = max(min_part, dictionary.aff.COMPOUNDMIN or DEFAULT_COMPOUNDMIN)
        prefixes.update(rule.add for rules in dictionary.aff.PFX.values() for rule in rules if rule.add)
        flag = dictionary.aff.COMPOUNDFLAG
        prefix_rules = dictionary.aff.PFX
        for entry in dictionary.dic.words:
            word = entry.stem
            if word.isalpha() and word == word.lower() and len(word) >= 2:
                words.add(word)
                if flag and flag in entry.flags:
                    compounding.add(word)
                # Words the dictionary forms with a prefix rule ("sam" + "handling") are words too.
                for rule_flag in entry.flags & prefix_rules.keys():
                    words.update(rule.add + word for rule in prefix_rules[rule_flag] if rule.add)
    return words, compounding, prefixes, min_part or DEFAULT_COMPOUNDMIN


Built = tuple[WordSet, WordSet, frozenset[str], int, WordSet]


def _build(files: list[Path]) -> Built:
    words, compounding, prefixes, min_part = _read_dictionaries(files)
    keys = words | {stem(word) for word in words}
    productive: Counter[str] = Counter()
    for word in words:
        for length in SHORT_MODIFIER_LENGTHS:
            rest = word[length:]
            if len(rest) >= min_part and (rest in keys or stem(rest) in keys) and word[:length] in words:
                productive[word[:length]] += 1
    short = {
        modifier
        for modifier, count in productive.items()
        if count >= MIN_SHORT_MODIFIER_COMPOUNDS and modifier not in prefixes and modifier not in STOP_WORDS
    }
    modifiers = {word for word in words if word not in prefixes and word not in STOP_WORDS}
    return (
        WordSet.of(modifiers),
        WordSet.of(keys),
        frozenset(short),
        min_part,
        WordSet.of(compounding & modifiers),
    )


def _write_cache(path: Path, built: Built) -> None:
    """The three hash arrays and the small facts, in one NumPy archive (loaded without building Python strings)."""
    import numpy as np

    modifiers, keys, short, min_part, compounding = built
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".npz", delete=False) as handle:
        np.savez(
            handle,
            modifiers=modifiers.hashes,
            keys=keys.hashes,
            compounding=compounding.hashes,
            short=np.array(sorted(short), dtype=str),
            min_part=np.array([min_part]),
        )
        temporary = handle.name
    os.replace(temporary, path)


def _read_cache(path: Path) -> Built:
    import numpy as np

    with np.load(path, allow_pickle=False) as data:
        return (
            WordSet(data["modifiers"]),
            WordSet(data["keys"]),
            frozenset(str(word) for word in data["short"]),
            int(data["min_part"][0]),
            WordSet(data["compounding"]),
        )


@lru_cache(maxsize=1)
def lexicon() -> Lexicon | None:
    """The lexicon, read once per process (from the cache file when there is one); None without dictionaries."""
    with _lock:
        files = dictionary_files()
        if not files:
            logger.warning("No Norwegian Hunspell dictionary (package hunspell-no): compounds are not split.")
            return None
        cache = _cache_dir() / _cache_name(files)
        try:
            built = _read_cache(cache)
        except (OSError, ValueError, IndexError, KeyError):
            built = _build(files)
            try:
                _write_cache(cache, built)
            except OSError:
                logger.warning("Could not write the lexicon cache %s; it is rebuilt in each process.", cache)
        return Lexicon(*built)


def available() -> bool:
    return lexicon() is not None


def is_word(word: str) -> bool:
    """Whether the dictionary knows `word` (or its stem); False without dictionaries."""
    known = lexicon()
    return known is not None and known.knows(word)


def split(word: str) -> tuple[str, ...]:
    """The parts of a compound ("vannledninger" → ("vann", "ledninger")), or () when it is no compound we know."""
    if len(word) < MIN_COMPOUND_LENGTH or not word.isalpha():
        return ()
    return _split(word)


@lru_cache(maxsize=100_000)
def _split(word: str) -> tuple[str, ...]:
    known = lexicon()
    if known is None:
        return ()
    if not known.knows(word):
        parts = _segment(known, word, known.min_part, known.min_part, short=True, first=True)
        return parts if parts is not None and len(parts) > 1 else ()
    # A dictionary word ("pasienter", "teknologi") is split only in two, and only where the split is plain: a
    # linking letter between the parts, a first part the dictionary marks as a compound part, or two long parts.
    for end in range(known.min_part, len(word) - MIN_SHORT_HEAD + 1):
        modifier = word[:end]
        if modifier not in known.modifiers:
            continue
        for link in LINKS:
            if link and word[end : end + len(link)] != link:
                continue
            head = word[end + len(link) :]
            if not _head(known, head, short=modifier in known.compounding):
                continue
            long_parts = min(len(modifier), len(head)) >= MIN_PLAIN_PART
            if link or modifier in known.compounding or long_parts:
                return (modifier, head)
    return ()


def _head(known: Lexicon, word: str, *, short: bool) -> bool:
    """Whether `word` can end a compound: a dictionary word or an inflected form of one, of `COMPOUNDMIN` letters
    or more, or (where `short`) a three-letter dictionary word as it stands ("skole" + "mat")."""
    if word in STOP_WORDS:
        return False
    if len(word) >= known.min_part:
        return known.knows(word)
    return short and len(word) >= MIN_SHORT_HEAD and word in known.modifiers


def _segment(
    known: Lexicon, word: str, min_part: int, min_head: int, *, short: bool, first: bool
) -> tuple[str, ...] | None:
    """Fewest parts that cover `word`: modifiers that are dictionary words, then a head that may be inflected."""
    if not first and _head(known, word, short=True):
        return (word,)
    best: tuple[str, ...] | None = None
    shortest = min(SHORT_MODIFIER_LENGTHS) if short and first else min_part
    for end in range(shortest, len(word) - MIN_SHORT_HEAD + 1):
        modifier = word[:end]
        if len(modifier) < min_part and not (first and short and modifier in known.short_modifiers):
            continue
        if len(modifier) >= min_part and modifier not in known.modifiers:
            continue
        for link in LINKS:
            if link and word[end : end + len(link)] != link:
                continue
            rest = word[end + len(link) :]
            if len(rest) < MIN_SHORT_HEAD:
                continue
            tail = _segment(known, rest, min_part, min_head, short=short, first=False)
            if tail is not None and (best is None or len(tail) + 1 < len(best)):
                best = (modifier, *tail)
    return best


# A part read as misspelt has at least this many letters: shorter ones have too many one-typo neighbours.
MIN_TYPO_PART = 5


def typo_readings(word: str) -> list[tuple[str, str, str, bool]]:
    """Ways to read a word that matched nothing as a compound of two parts, one a dictionary word and the other
    perhaps misspelt ("riksveiutbyging" → "riksvei" + "utbyging"): (left, link, right, left_known). The caller
    corrects the other part against the library's vocabulary. Empty without the dictionaries."""
    known = lexicon()
    if known is None or len(word) < 2 * MIN_TYPO_PART or not word.isalpha():
        return []
    readings = []
    for end in range(known.min_part, len(word) - known.min_part + 1):
        for link in LINKS:
            if link and word[end : end + len(link)] != link:
                continue
            left, right = word[:end], word[end + len(link) :]
            if len(right) < known.min_part:
                continue
            left_known = left in known.modifiers or known.knows(left)
            right_known = _head(known, right, short=False)
            if left_known and not right_known and len(right) >= MIN_TYPO_PART:
                readings.append((left, link, right, True))
            elif right_known and not left_known and len(left) >= MIN_TYPO_PART:
                readings.append((left, link, right, False))
    return readings
