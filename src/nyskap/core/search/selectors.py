"""Reads from the search index: ranked object ids for a query, or a caller's QuerySet narrowed and ordered by them.

A search is one ranked lookup. Only when the query as typed finds nothing does it look up the vocabulary — which
longer words have no indexed form, and which known words lie one typo away from them — and rank once more with a
word without hits OR-ed with up to `MAX_FUZZY_VARIANTS` of those known words, so "barnehgae" finds "barnehagen".
Words with hits are never corrected: "helse" must not also find "helst". At most three queries.

Pass a QuerySet rather than a model to search only what the caller may see: its SQL becomes a subquery inside the
ranked lookup, so visibility is applied in the database before the candidate cap, never after.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, models, router
from django.db.models import Case, FloatField, IntegerField, Min, Value, When

from . import backends
from .models import SearchTerm
from .services import content_type_of
from .text import MAX_FUZZY_VARIANTS, MAX_FUZZY_WORDS, TermGroup, parse_query, typo_stems

# Rank at most this many matches; enough that the best few of any realistic query are among them.
DEFAULT_CANDIDATES = 1000
MAX_CANDIDATES = 10_000
DEFAULT_LIMIT = 50
# A "similar to this text" search uses at most this many distinct words of the text.
MAX_ANY_WORDS = 30


@dataclass(frozen=True)
class SearchHit:
    object_id: int
    score: float


def _with_typo_corrections(groups: list[TermGroup], database: str) -> list[TermGroup]:
    fuzzy = [group for group in groups if group.fuzzy][:MAX_FUZZY_WORDS]
    if not fuzzy:
        return groups
    neighbours = {group.source: typo_stems(group.source) for group in fuzzy}
    wanted = set().union(*(group.stems() for group in fuzzy), *neighbours.values())
    known = dict(
        SearchTerm.objects.using(database)
        .filter(stem__in=sorted(wanted))
        .values("stem")
        .annotate(word=Min("word"))
        .values_list("stem", "word")
    )
    corrected = []
    for group in groups:
        if group in fuzzy and not group.stems() & known.keys():
            words = [known[s] for s in sorted(neighbours[group.source] & known.keys())]
            group = group.with_variants(words[:MAX_FUZZY_VARIANTS])
        corrected.append(group)
    return corrected


def search(
    source: type[models.Model] | models.QuerySet,
    query: str,
    *,
    limit: int = DEFAULT_LIMIT,
    candidates: int = DEFAULT_CANDIDATES,
    match_any: bool = False,
) -> list[SearchHit]:
    """The best `limit` hits for `query` among objects of `source` (a model, or a QuerySet to search within).

    With `match_any`, a document matches when any query word does, and documents sharing more (and rarer) words rank
    higher: that is how "similar to this text" works. Typo correction is then left out, as it would only add noise.
    """
    if not 1 <= candidates <= MAX_CANDIDATES:
        raise ValueError(f"candidates must be between 1 and {MAX_CANDIDATES}")
    if limit < 1:
        raise ValueError("limit must be positive")
    groups = parse_query(query)
    if not groups:
        return []
    if isinstance(source, models.QuerySet):
        model, database = source.model, source.db
        pks = source.order_by().values("pk")
        within: tuple[str, Sequence[Any]] | None = pks.query.get_compiler(using=database).as_sql()
    else:
        model, database, within = source, router.db_for_read(source), None
    if match_any:
        groups = groups[:MAX_ANY_WORDS]

    def ranked(term_groups: list[TermGroup]) -> list[tuple[int, float]]:
        return backends.ranked(
            connections[database],
            content_type_id=content_type_of(model).pk,
            groups=term_groups,
            within=within,
            candidates=candidates,
            limit=min(limit, candidates),
            match_any=match_any,
        )

    hits = ranked(groups)
    # Every group must match, so a query with hits has no word without hits: typo correction is only needed, and
    # only tried, when the query as typed finds nothing. Most searches thus cost one query.
    if not hits and not match_any and any(group.fuzzy for group in groups):
        corrected = _with_typo_corrections(groups, database)
        if corrected != groups:
            hits = ranked(corrected)
    return [SearchHit(object_id, score) for object_id, score in hits]


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
) -> models.QuerySet:
    """`queryset` narrowed to the hits for `query`, best first, each annotated with `search_rank` (higher is better).

    The caller's filters (visibility, facets) are applied inside the search, so the hits are the best visible ones.
    """
    hits = search(queryset, query, limit=limit, candidates=candidates)
    if not hits:
        return queryset.none()
    return (
        queryset.filter(pk__in=[hit.object_id for hit in hits])
        .annotate(
            search_rank=Case(
                *(When(pk=hit.object_id, then=Value(hit.score)) for hit in hits), output_field=FloatField()
            ),
            search_position=Case(
                *(When(pk=hit.object_id, then=Value(position)) for position, hit in enumerate(hits)),
                output_field=IntegerField(),
            ),
        )
        .order_by("search_position")
    )
