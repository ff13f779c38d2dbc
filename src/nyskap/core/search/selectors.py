"""Reads from the search index: ranked hits for a query, the objects of a page of them, or a caller's QuerySet
narrowed and ordered by them.

How a query is answered, identically on both databases:

1. Its words are parsed (`text.parse_query`): stop and question words dropped, each word expanded with its
   bokmål/nynorsk forms and synonyms (`data/synonyms.txt`) and, for a compound, its parts (`compounds.split`).
2. One statement counts, per word, how many documents it matches (up to `DF_CAP`): its document frequency. These
   are index statistics, kept in the shared cache until the index changes (`document_frequencies`).
3. A word that matches nothing and looks misspelt (five letters or more) is corrected to known words one typo away
   (the vocabulary table), which also gives the "did you mean" suggestion; "helse" is never corrected into "helst",
   since it matches.
4. The documents with all words are looked up (at most `candidates`) and, in the same statement and only when they
   are fewer than `complete_below` (a page), documents with only some of the words: up to `candidates` with any
   word and up to as many more with a rarer word, so common words cannot crowd the rarer ones out. Each comes with
   flags per word: as a whole word; strong (a word, also as a part of an indexed compound, or all parts of the
   query's compound); at all (also a single part); and in the title and need (each distinct expression is asked
   for once).
5. Hits are ordered by: all words before some words; then the sum over matched words of their IDF weight
   (`log(1 + DF_CAP / df)`), a compound-part match counting `PART_WEIGHT`, a single part `PIECE_WEIGHT`; then
   how many of the words are in the title and need; then the object id. All of it is computed here from the
   same flags and counts, so the order is the same on PostgreSQL and SQLite.

At most four statements whatever the number of hits: a count, a lookup, and for a misspelt word a vocabulary lookup
and a recount. Most queries take two.

Pass a QuerySet rather than a model to search only what the caller may see: its SQL becomes a subquery inside each
lookup, so visibility is applied in the database before the candidate cap, never after.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.core.cache import cache
from django.db import connections, models, router
from django.db.models import FloatField, IntegerField

from . import backends, compounds
from .corrections import compound_corrections, typo_corrections
from .ordering import ValueByKey
from .services import content_type_of
from .text import (
    Clause,
    Expression,
    TermGroup,
    parse_query,
    tokenise,
)

# Look up at most this many matches; enough that the best few of any realistic query are among them.
DEFAULT_CANDIDATES = 1000
MAX_CANDIDATES = 10_000
DEFAULT_LIMIT = 50
# A "similar to this text" search uses at most this many distinct words of the text.
MAX_ANY_WORDS = 30
# All-words hits fewer than this (a page of results) are completed with some-words hits.
COMPLETE_BELOW = 20
# Document frequencies are counted up to this; a word in more documents than this counts as common. Counting costs
# one index lookup per word and a visit to at most this many rows, so it is kept well below the candidate cap.
DF_CAP = 300
# A word found only as a part of a compound, or as all parts of the query's compound, counts this much of a
# whole-word match; a single part of the query's compound counts PIECE_WEIGHT.
PART_WEIGHT = 0.5
PIECE_WEIGHT = 0.25

ALL = "all"
SOME = "some"


class SearchHit(NamedTuple):
    """One hit (a named tuple: a search makes up to a thousand of them per request)."""

    object_id: int
    score: float
    # ALL when every word of the query matched, SOME when only some did (then `missing` names the others).
    match: str = ALL
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchResult:
    hits: list[SearchHit]
    # The query's words as searched (after dropping stop and question words), and a corrected query to offer when a
    # misspelt word was corrected ("" otherwise).
    words: tuple[str, ...] = ()
    suggestion: str = ""
    corrections: dict[str, str] = field(default_factory=dict)
    # The stored tags of each hit ({object id: tags}; None where the indexing app stored none).
    tags: dict[int, str | None] = field(default_factory=dict)


def idf(document_frequency: int) -> float:
    """The weight of a word in `document_frequency` documents (counted up to `DF_CAP`): rarer words weigh more."""
    if document_frequency <= 0:
        return 0.0
    return math.log(1 + DF_CAP / min(document_frequency, DF_CAP))


@dataclass(frozen=True)
class FlagPlan:
    """Which flag expressions a lookup asks for, each once, and where each word's flags are among them: per word
    whole, strong, any, and in the title and need."""

    expressions: tuple[Expression, ...]
    words: tuple[tuple[int, int, int, int], ...]


def flag_plan(groups: Sequence[TermGroup]) -> FlagPlan:
    expressions: dict[Expression, int] = {}

    def index(expression: Expression) -> int:
        return expressions.setdefault(expression, len(expressions))

    words = tuple((index(g.whole()), index(g.strong()), index(g.matching()), index(g.title())) for g in groups)
    return FlagPlan(tuple(expressions), words)


def order_hits(
    rows: Sequence[backends.Row],
    plan: FlagPlan,
    weights: Sequence[float],
    sources: Sequence[str],
    *,
    every_word: bool,
    require_strong: bool = False,
) -> list[SearchHit]:
    """Hits from lookup rows (flags as in `plan`): all-words first, then by the IDF-weighted matches, then by how
    many of the words are in the title and need, then by object id — the same order on every database.
    `every_word` is False when some query word matched nothing at all. A word counts as found for "all words" when
    it matched strongly (as a word, or by all its compound parts). With `require_strong`, documents that share only
    single parts of compounds with the query are left out ("similar to this text" should not offer a project for
    "hjemme" alone because the text said "hjemmetjenesten")."""
    # Many documents share the same pattern of flags: each pattern is scored once.
    scored: dict[tuple[bool, ...], tuple[bool, float, int, tuple[str, ...], bool]] = {}
    hits = []
    for object_id, flags, _tags in rows:
        known = scored.get(flags)
        if known is None:
            score, complete, missing, in_title = 0.0, every_word, [], 0
            for weight, source, (whole, strong, found, title) in zip(weights, sources, plan.words, strict=True):
                in_title += flags[title]
                if flags[whole]:
                    score += weight
                elif flags[strong]:
                    score += weight * PART_WEIGHT
                elif flags[found]:
                    score += weight * PIECE_WEIGHT
                if not flags[strong]:
                    complete = False
                    missing.append(source)
            weak = require_strong and len(missing) == len(sources)
            known = scored[flags] = (not complete, -round(score, 9), -in_title, tuple(missing), weak)
        partial, negative_score, fewer_in_title, missing_words, weak = known
        if not weak:
            hits.append((partial, negative_score, fewer_in_title, object_id, missing_words))
    hits.sort()
    return [
        SearchHit(object_id, -negative_score, SOME if partial else ALL, missing_words)
        for partial, negative_score, _title, object_id, missing_words in hits
    ]


# Document frequencies are index statistics: kept in the shared cache per expression until the index changes, so a
# common word is counted once, not in every search that contains it. The query's own results are never cached here.
FREQUENCY_SECONDS = 3600


def document_frequencies(connection: Any, content_type_id: int, expressions: Sequence[Expression]) -> list[int]:
    """How many documents match each expression (up to `DF_CAP`): from the cache where the index has not changed
    since they were counted, the rest counted in one statement."""
    from .services import index_version

    version = index_version()
    keys = [
        "search:df:"
        + hashlib.sha256(f"{connection.alias}|{content_type_id}|{version}|{expression!r}".encode()).hexdigest()
        for expression in expressions
    ]
    known = cache.get_many(keys)
    missing = [index for index, key in enumerate(keys) if key not in known]
    if missing:
        counted = backends.frequencies(
            connection,
            content_type_id=content_type_id,
            expressions=[expressions[index] for index in missing],
            cap=DF_CAP,
        )
        fresh = {keys[index]: number for index, number in zip(missing, counted, strict=True)}
        cache.set_many(fresh, FREQUENCY_SECONDS)
        known.update(fresh)
    return [int(known[key]) for key in keys]


def run_search(
    source: type[models.Model] | models.QuerySet,
    query: str,
    *,
    limit: int = DEFAULT_LIMIT,
    candidates: int = DEFAULT_CANDIDATES,
    match_any: bool = False,
    complete_below: int = COMPLETE_BELOW,
    tag: str | None = None,
) -> SearchResult:
    """The best `limit` hits for `query` among objects of `source` (a model, or a QuerySet to search within).

    With `tag`, only documents whose stored tags hold it are searched: an indexing app that stores a condition
    among its tags (the projects app stores each project's visibility) can scope a search by it without the cost
    of a subquery over its own table.

    With `match_any`, every document sharing a word is a candidate and documents sharing more (and rarer) words
    rank higher: that is how "similar to this text" works. Typo correction is then left out, as it would only add
    noise.
    """
    if not 1 <= candidates <= MAX_CANDIDATES:
        raise ValueError(f"candidates must be between 1 and {MAX_CANDIDATES}")
    if limit < 1:
        raise ValueError("limit must be positive")
    groups = parse_query(query, split=compounds.split)
    if not groups:
        return SearchResult(hits=[])
    if isinstance(source, models.QuerySet):
        model, database = source.model, source.db
        pks = source.order_by().values("pk")
        within: tuple[str, Sequence[Any]] | None = pks.query.get_compiler(using=database).as_sql()
    else:
        model, database, within = source, router.db_for_read(source), None
    if match_any:
        groups = groups[:MAX_ANY_WORDS]
    connection = connections[database]
    content_type_id = content_type_of(model).pk

    # Per word: documents matching it strongly (as a word, or by all its parts) and, for compound words, at all
    # (a single part). The strong count decides typo correction: "helsefelleskap" has a typo even though "helse"
    # is everywhere.
    with_pieces = [index for index, group in enumerate(groups) if group.pieces]
    expressions = [group.strong() for group in groups] + [groups[index].matching() for index in with_pieces]
    found_counts = document_frequencies(connection, content_type_id, expressions)
    strong_counts = found_counts[: len(groups)]
    counts = list(strong_counts)
    for index, number in zip(with_pieces, found_counts[len(groups) :], strict=True):
        counts[index] = number
    suggestion, chosen = "", {}
    if not match_any and 0 in strong_counts:
        groups, found = typo_corrections(groups, strong_counts, database)
        if found:
            candidates_words = [word for words in found.values() for word in words]
            changed = [group for group in groups if group.source in found]
            # Counted among what the caller may see: the correction offered ("Did you mean …") must never name a
            # word that only a hidden project holds.
            recount = backends.frequencies(
                connection,
                content_type_id=content_type_id,
                expressions=[group.matching() for group in changed] + [(Clause((w,)),) for w in candidates_words],
                cap=DF_CAP,
                within=within,
                tag=tag,
            )
            new_counts = dict(zip([group.source for group in changed], recount, strict=False))
            counts = [new_counts.get(group.source, old) for group, old in zip(groups, counts, strict=True)]
            strong_counts = [
                new_counts.get(group.source, old) for group, old in zip(groups, strong_counts, strict=True)
            ]
            word_counts = dict(zip(candidates_words, recount[len(changed) :], strict=True))
            for typed, words in found.items():
                best = max(words, key=lambda word: (word_counts.get(word, 0), [-ord(c) for c in word]))
                if word_counts.get(best, 0) > 0:
                    chosen[typed] = best
            if chosen:
                suggestion = " ".join(chosen.get(token, token) for token in tokenise(query))
    if not match_any and 0 in counts:
        # A misspelt part of a compound ("riksveiutbyging"): the reading whose parts occur together most often
        # among what the caller may see.
        readings = compound_corrections(groups, counts, database)
        if readings:
            options = [(typed, reading) for typed, listed in readings.items() for reading in listed]
            together = backends.frequencies(
                connection,
                content_type_id=content_type_id,
                expressions=[(Clause(reading[:2]),) for _typed, reading in options],
                cap=DF_CAP,
                within=within,
                tag=tag,
            )
            best_reading: dict[str, tuple[int, tuple[str, str, str]]] = {}
            for (typed, reading), hits_together in zip(options, together, strict=True):
                if hits_together > best_reading.get(typed, (0, reading))[0]:
                    best_reading[typed] = (hits_together, reading)
            for index, group in enumerate(groups):
                if group.source in best_reading:
                    hits_together, (left, right, corrected) = best_reading[group.source]
                    groups[index] = TermGroup(
                        group.source, group.variants, group.fuzzy, (*group.parts, (left, right)), group.pieces
                    )
                    counts[index] = strong_counts[index] = hits_together
                    chosen[group.source] = corrected
            if best_reading:
                suggestion = " ".join(chosen.get(token, token) for token in tokenise(query))
    searched = tuple(group.source for group in groups)
    live = [(group, number) for group, number in zip(groups, counts, strict=True) if number > 0]
    if not live:
        return SearchResult(hits=[], words=searched, suggestion=suggestion, corrections=chosen)
    live_groups = [group for group, _ in live]
    weights = [idf(number) for _, number in live]
    sources = [group.source for group in live_groups]
    plan = flag_plan(live_groups)
    every_word = len(live) == len(groups)
    dead = tuple(group.source for group, number in zip(groups, counts, strict=True) if number == 0)
    # With every word found somewhere, the documents with all of them; when those are fewer than a page (or some
    # word is found nowhere, or "any word" is asked for), the documents with some of them, looked up among those
    # with the rarer words so a common word ("kommune") cannot fill the lookup. One statement either way.
    every = [group.matching() for group in live_groups] if every_word and not match_any else None
    some: list[list[Expression]] = []
    if match_any or len(live_groups) > 1 or not every_word:
        # Candidates: documents with any word; and, so that common words cannot fill that lookup on a large
        # library, also those with a rarer word, as a word or by all its parts ("sosialhjelp", not any "hjelp").
        some.append([group.matching() for group in live_groups])
        strong_of = dict(zip([group.source for group in groups], strong_counts, strict=True))
        rare = [group.strong() for group in live_groups if 0 < strong_of[group.source] < DF_CAP]
        if rare and len(rare) < len(live_groups):
            some.append(rare)
    rows = backends.lookup(
        connection,
        content_type_id=content_type_id,
        every=every,
        some=some,
        complete_below=complete_below,
        flags=plan.expressions,
        within=within,
        limit=candidates,
        tag=tag,
    )
    hits = order_hits(rows, plan, weights, sources, every_word=every_word, require_strong=match_any)
    if dead:  # words found nowhere are missing from every hit, named in the order they were typed
        position = {source: index for index, source in enumerate(searched)}
        hits = [
            SearchHit(hit.object_id, hit.score, hit.match, tuple(sorted(hit.missing + dead, key=position.__getitem__)))
            for hit in hits
        ]
    hits = hits[:limit]
    stored = {row[0]: row[2] for row in rows}
    tags = {hit.object_id: stored[hit.object_id] for hit in hits}
    return SearchResult(hits=hits, words=searched, suggestion=suggestion, corrections=chosen, tags=tags)


def search(
    source: type[models.Model] | models.QuerySet,
    query: str,
    *,
    limit: int = DEFAULT_LIMIT,
    candidates: int = DEFAULT_CANDIDATES,
    match_any: bool = False,
) -> list[SearchHit]:
    """The hits of `run_search`, best first."""
    return run_search(source, query, limit=limit, candidates=candidates, match_any=match_any).hits


class RankedObjects:
    """A QuerySet's objects in the order of search hits, fetched a slice at a time: a page of 20 out of 1,000 hits
    costs one query for 20 rows, whatever the number of hits. Each object gets `search_rank`, `search_match`
    (ALL or SOME) and `search_missing` (the query words it lacks). Enough of a QuerySet for paginators."""

    def __init__(self, queryset: models.QuerySet, hits: Sequence[SearchHit]) -> None:
        self._queryset = queryset
        self.hits = list(hits)

    def all(self) -> RankedObjects:
        return self

    def count(self) -> int:
        return len(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    def __bool__(self) -> bool:
        return bool(self.hits)

    def ids(self) -> list[int]:
        return [hit.object_id for hit in self.hits]

    def select_related(self, *fields: str) -> RankedObjects:
        return RankedObjects(self._queryset.select_related(*fields), self.hits)

    def prefetch_related(self, *lookups: Any) -> RankedObjects:
        return RankedObjects(self._queryset.prefetch_related(*lookups), self.hits)

    def only(self, *fields: str) -> RankedObjects:
        return RankedObjects(self._queryset.only(*fields), self.hits)

    def queryset(self) -> models.QuerySet:
        """The same objects as a QuerySet (unordered), for callers that need one (exports)."""
        return self._queryset.filter(pk__in=self.ids())

    def _fetch(self, hits: Sequence[SearchHit]) -> list[Any]:
        if not hits:
            return []
        objects = self._queryset.in_bulk([hit.object_id for hit in hits])
        result = []
        for hit in hits:
            obj = objects.get(hit.object_id)
            if obj is not None:  # gone since the search: skipped rather than failing the page
                obj.search_rank = hit.score
                obj.search_match = hit.match
                obj.search_missing = hit.missing
                result.append(obj)
        return result

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return self._fetch(self.hits[index])
        found = self._fetch([self.hits[index]])
        if not found:
            raise IndexError(index)
        return found[0]

    def __iter__(self) -> Iterator[Any]:
        for start in range(0, len(self.hits), 100):
            yield from self._fetch(self.hits[start : start + 100])


def search_ids(
    source: type[models.Model] | models.QuerySet,
    query: str,
    *,
    limit: int = DEFAULT_LIMIT,
    candidates: int = DEFAULT_CANDIDATES,
    match_any: bool = False,
) -> list[int]:
    """Object ids of the best hits, best first."""
    hits = search(source, query, limit=limit, candidates=candidates, match_any=match_any)
    return [hit.object_id for hit in hits]


def filter_queryset(
    queryset: models.QuerySet,
    query: str,
    *,
    limit: int = DEFAULT_LIMIT,
    candidates: int = DEFAULT_CANDIDATES,
    complete_below: int = COMPLETE_BELOW,
) -> models.QuerySet:
    """`queryset` narrowed to the hits for `query`, best first, each annotated with `search_rank` (higher is better).

    The caller's filters (visibility, facets) are applied inside the search, so the hits are the best visible ones.
    With `complete_below=0` only documents with all words are returned (saved searches use that).
    """
    hits = run_search(queryset, query, limit=limit, candidates=candidates, complete_below=complete_below).hits
    if not hits:
        return queryset.none()
    return (
        queryset.filter(pk__in=[hit.object_id for hit in hits])
        .annotate(
            search_rank=ValueByKey([(hit.object_id, hit.score) for hit in hits], output_field=FloatField()),
            search_position=ValueByKey(
                [(hit.object_id, position) for position, hit in enumerate(hits)], output_field=IntegerField()
            ),
        )
        .order_by("search_position")
    )
