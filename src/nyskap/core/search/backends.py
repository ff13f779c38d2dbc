"""The two database backends behind the one search interface: SQL only, no decisions.

Everything that decides *what* matches (tokens, stop words, variants, typo corrections) happens in `text.py` and
`selectors.py` before a backend is called, so both backends receive the same `TermGroup`s. What remains here is how
each database stores and matches stems and ranks the matches:

- PostgreSQL: `vector` = setweight(to_tsvector('norwegian', text_a), 'A') || setweight(…text_b, 'B'); a query is
  built in SQL from `plainto_tsquery('norwegian', variant)` so PostgreSQL stems query and document alike; ranked
  with `ts_rank` weighting A above B.
- SQLite: FTS5 columns `a` and `b` hold text stemmed in Python (PyStemmer, the same Snowball algorithm); ranked with
  `bm25` weighting `a` above `b`.

Both rank only the first `candidates` matches found by the (unranked) index lookup, then sort those: a broad query
on 100,000 documents costs a bounded amount of ranking work. Scores are "higher is better" on both, but only the order
is comparable across databases, never the numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

from .models import SearchDocument
from .text import TermGroup, fts5_match, index_stems

FTS_TABLE = "core_searchdocument_fts"
# Relative weight of title + need against the rest; bm25 and ts_rank scale differently, the order is what matters.
SQLITE_WEIGHTS = (10.0, 3.0)
POSTGRES_WEIGHTS = "{0, 0, 0.3, 1.0}"  # ts_rank's order is D, C, B, A

Hit = tuple[int, float]


def write(connection: BaseDatabaseWrapper, document: SearchDocument) -> None:
    """Bring the backend's index for one saved document up to date (inside the caller's transaction)."""
    table = connection.ops.quote_name(SearchDocument._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} SET vector = "  # noqa: S608 - table name from model metadata, values are parameters
                "setweight(to_tsvector('norwegian', text_a), 'A') || setweight(to_tsvector('norwegian', text_b), 'B') "
                "WHERE id = %s",
                [document.pk],
            )
        else:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [document.pk])  # noqa: S608
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, a, b) VALUES (%s, %s, %s)",  # noqa: S608
                [document.pk, index_stems(document.text_a), index_stems(document.text_b)],
            )


def write_many(connection: BaseDatabaseWrapper, documents: Sequence[SearchDocument]) -> None:
    """`write` for many saved documents in a few statements."""
    if not documents:
        return
    table = connection.ops.quote_name(SearchDocument._meta.db_table)
    ids = [document.pk for document in documents]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} SET vector = "  # noqa: S608 - table name from model metadata, values are parameters
                "setweight(to_tsvector('norwegian', text_a), 'A') || setweight(to_tsvector('norwegian', text_b), 'B') "
                "WHERE id = ANY(%s)",
                [ids],
            )
        else:
            cursor.executemany(
                f"INSERT OR REPLACE INTO {FTS_TABLE} (rowid, a, b) VALUES (%s, %s, %s)",  # noqa: S608
                [(d.pk, index_stems(d.text_a), index_stems(d.text_b)) for d in documents],
            )


def ranked(
    connection: BaseDatabaseWrapper,
    *,
    content_type_id: int,
    groups: Sequence[TermGroup],
    within: tuple[str, Sequence[Any]] | None,
    candidates: int,
    limit: int,
    match_any: bool = False,
) -> list[Hit]:
    """Object ids and scores of the best `limit` among the first `candidates` documents matching every group.

    `within` is the compiled SQL of a subquery of allowed object ids (the caller's visibility filter), applied
    before the candidate cap so invisible objects never take up candidate places.
    """
    documents = connection.ops.quote_name(SearchDocument._meta.db_table)
    restrict, restrict_params = "", list[Any]()
    if within is not None:
        restrict, restrict_params = f" AND d.object_id IN ({within[0]})", list(within[1])
    # Table names come from model metadata and constants; every value is a query parameter.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            query_sql, query_params = _tsquery(groups, match_any=match_any)
            cursor.execute(
                f"SELECT object_id, score FROM ("  # noqa: S608
                f"  SELECT d.object_id, ts_rank('{POSTGRES_WEIGHTS}', d.vector, q.query) AS score"
                f"  FROM {documents} d, (SELECT {query_sql} AS query) q"
                f"  WHERE d.content_type_id = %s AND d.vector @@ q.query{restrict}"
                f"  LIMIT %s"
                f") c ORDER BY score DESC, object_id LIMIT %s",
                [*query_params, content_type_id, *restrict_params, candidates, limit],
            )
        else:
            match = fts5_match(groups, match_any=match_any)
            weights = ", ".join(str(weight) for weight in SQLITE_WEIGHTS)
            # CROSS JOIN makes SQLite drive the join from the FTS5 match; with a plain JOIN it scans every document
            # of the content type and probes the FTS5 table once per document.
            cursor.execute(
                f"SELECT object_id, score FROM ("  # noqa: S608
                f"  SELECT d.object_id AS object_id, -bm25({FTS_TABLE}, {weights}) AS score"
                f"  FROM {FTS_TABLE} CROSS JOIN {documents} d ON d.id = {FTS_TABLE}.rowid"
                f"  WHERE {FTS_TABLE} MATCH %s AND d.content_type_id = %s{restrict}"
                f"  LIMIT %s"
                f") ORDER BY score DESC, object_id LIMIT %s",
                [match, content_type_id, *restrict_params, candidates, limit],
            )
        return [(int(object_id), float(score)) for object_id, score in cursor.fetchall()]


def _tsquery(groups: Sequence[TermGroup], *, match_any: bool = False) -> tuple[str, list[str]]:
    """`(plainto_tsquery(v1) || plainto_tsquery(v2)) && (…)`: variants OR-ed, groups AND-ed, words as parameters."""
    parts: list[str] = []
    params: list[str] = []
    for group in groups:
        variants = group.distinct_variants()
        parts.append("(" + " || ".join("plainto_tsquery('norwegian', %s)" for _ in variants) + ")")
        params.extend(" ".join(variant) for variant in variants)
    return (" || " if match_any else " && ").join(parts), params
