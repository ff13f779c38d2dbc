"""The two database backends behind the one search interface: SQL only, no decisions.

Everything that decides *what* matches (tokens, stop words, variants, compound parts, typo corrections) and how hits
are ordered happens in `text.py` and `selectors.py`; both backends receive the same `Expression`s and answer the
same two questions: how many documents match each expression (`frequencies`), and which documents match, with a
flag per expression (`lookup`). How each database stores and matches stems:

- PostgreSQL: `vector` = title and need (weight A) || other texts (B) || compound parts (C), each
  `to_tsvector('norwegian', …)`; a query is `to_tsquery('norwegian', …)` over the same words with weight labels, so
  PostgreSQL stems query and document alike; its own score is `ts_rank` weighting A above B above C.
- SQLite: FTS5 columns `a`, `b` and `c` hold the same texts stemmed in Python (PyStemmer, the same Snowball
  algorithm); weights are column filters; its own score is `bm25` weighting `a` above `b` above `c`.

A lookup returns at most `limit` matches, unordered: a broad query on 100,000 documents costs a bounded amount of
work. The backend scores only break ties in the order `selectors.py` computes from the flags, the same on both
databases; the numbers themselves are never compared across databases.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

from .models import SearchDocument
from .text import Expression, fts5_expression, index_stems, tsquery_text

FTS_TABLE = "core_searchdocument_fts"
# Relative weight of title + need against the rest; bm25 and ts_rank scale differently, the order is what matters.
SQLITE_WEIGHTS = (10.0, 3.0, 1.0)
POSTGRES_WEIGHTS = "{0, 0.1, 0.3, 1.0}"  # ts_rank's order is D, C, B, A

Hit = tuple[int, float]
# The stored vector: title and need (A), other texts (B), parts of compounds (C).
VECTOR = (
    "SET vector = setweight(to_tsvector('norwegian', text_a), 'A') || setweight(to_tsvector('norwegian', text_b), 'B')"
    " || setweight(to_tsvector('norwegian', text_c), 'C')"
)


def write(connection: BaseDatabaseWrapper, document: SearchDocument) -> None:
    """Bring the backend's index for one saved document up to date (inside the caller's transaction)."""
    table = connection.ops.quote_name(SearchDocument._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} {VECTOR} WHERE id = %s",
                [document.pk],
            )
        else:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [document.pk])  # noqa: S608
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, a, b, c) VALUES (%s, %s, %s, %s)",  # noqa: S608
                [document.pk, *_stemmed(document)],
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
                f"UPDATE {table} {VECTOR} WHERE id = ANY(%s)",
                [ids],
            )
        else:
            cursor.executemany(
                f"INSERT OR REPLACE INTO {FTS_TABLE} (rowid, a, b, c) VALUES (%s, %s, %s, %s)",  # noqa: S608
                [(d.pk, *_stemmed(d)) for d in documents],
            )


def _stemmed(document: SearchDocument) -> tuple[str, str, str]:
    return index_stems(document.text_a), index_stems(document.text_b), index_stems(document.text_c)


def frequencies(
    connection: BaseDatabaseWrapper, *, content_type_id: int, expressions: Sequence[Expression], cap: int
) -> list[int]:
    """How many documents of the content type match each expression, counted up to `cap`: one statement."""
    if not expressions:
        return []
    documents = connection.ops.quote_name(SearchDocument._meta.db_table)
    params: list[Any] = []
    counts = []
    # Table names come from model metadata and constants; every value is a query parameter.
    for expression in expressions:
        if connection.vendor == "postgresql":
            counts.append(
                f"(SELECT count(*) FROM (SELECT 1 FROM {documents} d WHERE d.content_type_id = %s"  # noqa: S608
                f" AND d.vector @@ to_tsquery('norwegian', %s) LIMIT %s) s)"
            )
            params += [content_type_id, tsquery_text([expression]), cap]
        else:
            counts.append(
                f"(SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE} CROSS JOIN {documents} d"  # noqa: S608
                f" ON d.id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH %s AND d.content_type_id = %s LIMIT %s))"
            )
            params += [fts5_expression([expression]), content_type_id, cap]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(counts), params)
        row = cursor.fetchone()
    return [int(value) for value in row]


# One row of a lookup: object id, the database's own relevance score (higher is better; only its order means
# anything), and whether the document matches each flag expression.
Row = tuple[int, float, tuple[bool, ...]]


def lookup(
    connection: BaseDatabaseWrapper,
    *,
    content_type_id: int,
    expressions: Sequence[Expression],
    require_all: bool,
    flags: Sequence[Expression],
    within: tuple[str, Sequence[Any]] | None,
    limit: int,
) -> list[Row]:
    """The first `limit` documents matching every expression (or any, when not `require_all`), unordered, each with
    its backend score and one flag per expression in `flags`.

    `within` is the compiled SQL of a subquery of allowed object ids (the caller's visibility filter), applied
    before the limit so invisible objects never take up candidate places.
    """
    documents = connection.ops.quote_name(SearchDocument._meta.db_table)
    restrict, restrict_params = "", list[Any]()
    if within is not None:
        restrict, restrict_params = f" AND d.object_id IN ({within[0]})", list(within[1])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            flag_sql = "".join(", d.vector @@ to_tsquery('norwegian', %s)" for _ in flags)
            cursor.execute(
                f"SELECT d.object_id, ts_rank('{POSTGRES_WEIGHTS}', d.vector, q.query){flag_sql}"  # noqa: S608
                f" FROM {documents} d, (SELECT to_tsquery('norwegian', %s) AS query) q"
                f" WHERE d.content_type_id = %s AND d.vector @@ q.query{restrict} LIMIT %s",
                [
                    *(tsquery_text([flag]) for flag in flags),
                    tsquery_text(expressions, require_all=require_all),
                    content_type_id,
                    *restrict_params,
                    limit,
                ],
            )
        else:
            weights = ", ".join(str(weight) for weight in SQLITE_WEIGHTS)
            flag_sql = "".join(
                f", {FTS_TABLE}.rowid IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"  # noqa: S608
                for _ in flags
            )
            # CROSS JOIN makes SQLite drive the join from the FTS5 match; with a plain JOIN it scans every document
            # of the content type and probes the FTS5 table once per document.
            cursor.execute(
                f"SELECT d.object_id, -bm25({FTS_TABLE}, {weights}){flag_sql}"  # noqa: S608
                f" FROM {FTS_TABLE} CROSS JOIN {documents} d ON d.id = {FTS_TABLE}.rowid"
                f" WHERE {FTS_TABLE} MATCH %s AND d.content_type_id = %s{restrict} LIMIT %s",
                [
                    *(fts5_expression([flag]) for flag in flags),
                    fts5_expression(expressions, require_all=require_all),
                    content_type_id,
                    *restrict_params,
                    limit,
                ],
            )
        return [(int(row[0]), float(row[1]), tuple(bool(flag) for flag in row[2:])) for row in cursor.fetchall()]
