"""The two database backends behind the one search interface: SQL only, no decisions.

Everything that decides *what* matches (tokens, stop words, variants, compound parts, typo corrections) and how hits
are ordered happens in `text.py` and `selectors.py`; both backends receive the same `Expression`s and answer the
same two questions: how many documents match each expression (`frequencies`), and which documents match, with a
flag per expression (`lookup`). How each database stores and matches stems:

- PostgreSQL: `vector` = title and need (weight A) || other texts (B) || compound parts (C), each
  `to_tsvector('norwegian', …)`; a query is `to_tsquery('norwegian', …)` over the same words with weight labels, so
  PostgreSQL stems query and document alike.
- SQLite: FTS5 columns `a`, `b` and `c` hold the same texts stemmed in Python (PyStemmer, the same Snowball
  algorithm); weights are column filters.

A lookup returns at most `limit` matches of each kind, unordered: a broad query on 100,000 documents costs a bounded
amount of work, in one statement whatever the number of hits.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

from .models import SearchDocument
from .text import Expression, fts5_expression, index_stems, tsquery_text

FTS_TABLE = "core_searchdocument_fts"

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


def optimise(connection: BaseDatabaseWrapper) -> None:
    """After a bulk load: merge SQLite's FTS5 segments into one b-tree and refresh the planner's statistics on both
    databases (PostgreSQL's `ANALYZE` of the index table)."""
    table = connection.ops.quote_name(SearchDocument._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {table}")
        else:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")  # noqa: S608
            cursor.execute("ANALYZE")


def _stemmed(document: SearchDocument) -> tuple[str, str, str]:
    return index_stems(document.text_a), index_stems(document.text_b), index_stems(document.text_c)


def _tagged(connection: BaseDatabaseWrapper, tag: str | None) -> tuple[str, list[Any]]:
    """A condition on the document row: its stored tags hold `tag` as a whole token (tags are space-separated)."""
    if tag is None:
        return "", []
    if connection.vendor == "postgresql":
        return " AND position(%s in ' ' || d.tags || ' ') > 0", [f" {tag} "]
    return " AND instr(' ' || d.tags || ' ', %s) > 0", [f" {tag} "]


def frequencies(
    connection: BaseDatabaseWrapper,
    *,
    content_type_id: int,
    expressions: Sequence[Expression],
    cap: int,
    within: tuple[str, Sequence[Any]] | None = None,
    tag: str | None = None,
) -> list[int]:
    """How many documents of the content type (among the allowed object ids of `within`, and those whose tags hold
    `tag`, when given) match each expression, counted up to `cap`: one statement."""
    if not expressions:
        return []
    documents = connection.ops.quote_name(SearchDocument._meta.db_table)
    restrict, restrict_params = "", list[Any]()
    join, join_params = "", list[Any]()
    if within is not None and connection.vendor == "postgresql":
        restrict, restrict_params = f" AND d.object_id IN ({within[0]})", list(within[1])
    elif within is not None:
        join, join_params = _sqlite_within(within)
    distinct = "DISTINCT " if join else ""
    tagged, tag_params = _tagged(connection, tag)
    restrict, restrict_params = tagged + restrict, tag_params + restrict_params
    params: list[Any] = []
    counts = []
    # Table names come from model metadata and constants; every value is a query parameter.
    for expression in expressions:
        if connection.vendor == "postgresql":
            counts.append(
                f"(SELECT count(*) FROM (SELECT 1 FROM {documents} d WHERE d.content_type_id = %s"  # noqa: S608
                f" AND d.vector @@ to_tsquery('norwegian', %s){restrict} LIMIT %s) s)"
            )
            params += [content_type_id, tsquery_text([expression]), *restrict_params, cap]
        else:
            counts.append(
                f"(SELECT count(*) FROM (SELECT {distinct}d.id FROM {FTS_TABLE} CROSS JOIN {documents} d"  # noqa: S608
                f" ON d.id = {FTS_TABLE}.rowid{join} WHERE {FTS_TABLE} MATCH %s AND d.content_type_id = %s{restrict}"
                " LIMIT %s))"
            )
            params += [*join_params, fts5_expression([expression]), content_type_id, *restrict_params, cap]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(counts), params)
        row = cursor.fetchone()
    return [int(value) for value in row]


# One row of a lookup: object id, whether the document matches each flag expression, and its stored tags.
Row = tuple[int, tuple[bool, ...], str | None]


def _sqlite_within(within: tuple[str, Sequence[Any]]) -> tuple[str, list[Any]]:
    """SQLite: the allowed ids as a join that follows each match (`within` selects them as ``pk``). SQLite flattens
    a plain subquery into the join and looks each match up by primary key; ``d.object_id IN (subquery)`` made it
    build a temporary index of every allowed id first — 40 ms at 100,000 projects, on every search. A subquery
    that yields an id twice is harmless: the candidates are DISTINCT."""
    return f" CROSS JOIN ({within[0]}) w ON w.pk = d.object_id", list(within[1])


def lookup(
    connection: BaseDatabaseWrapper,
    *,
    content_type_id: int,
    every: Sequence[Expression] | None,
    some: Sequence[Sequence[Expression]] = (),
    complete_below: int,
    flags: Sequence[Expression],
    within: tuple[str, Sequence[Any]] | None,
    limit: int,
    tag: str | None = None,
) -> list[Row]:
    """Documents with every expression of `every` (at most `limit`) and, only when those are fewer than
    `complete_below`, documents with any expression of each list in `some` (at most `limit` more for each): one
    statement, whatever the number of hits. Unordered; each with one flag per expression in `flags` and the
    document's tags (what the indexing app stored to get back with its hits).

    `within` is the compiled SQL of a subquery of allowed object ids (the caller's visibility filter), applied
    before the limit so invisible objects never take up candidate places. `tag` keeps only documents whose stored
    tags hold it (a condition on the document row itself, so no other table is read for it).
    """
    documents = connection.ops.quote_name(SearchDocument._meta.db_table)
    postgres = connection.vendor == "postgresql"
    restrict, restrict_params = "", list[Any]()
    join, join_params = "", list[Any]()
    if within is not None and postgres:
        restrict, restrict_params = f" AND d.object_id IN ({within[0]})", list(within[1])
    elif within is not None:
        join, join_params = _sqlite_within(within)
    distinct = "DISTINCT " if join else ""
    tagged, tag_params = _tagged(connection, tag)
    restrict, restrict_params = tagged + restrict, tag_params + restrict_params

    if postgres:
        # Each candidate row carries its flags and tags from the scan that found it: no second read of the
        # document (its vector is the widest column) to compute them.
        flag_sql = "".join(", d.vector @@ to_tsquery('norwegian', %s)" for _ in flags)
        flag_params = [tsquery_text([flag]) for flag in flags]
        columns = f"d.id, d.object_id, d.tags{flag_sql}"
    else:
        columns, flag_params = "d.id", []

    def match(expressions: Sequence[Expression], require_all: bool) -> tuple[str, list[Any]]:
        """A candidate subquery of SearchDocument rows (table names from model metadata; values are parameters)."""
        if postgres:
            sql = (
                f"SELECT {columns} FROM {documents} d WHERE d.content_type_id = %s"  # noqa: S608
                f" AND d.vector @@ to_tsquery('norwegian', %s){restrict} LIMIT %s"
            )
            text = tsquery_text(expressions, require_all=require_all)
            return sql, [*flag_params, content_type_id, text, *restrict_params, limit]
        # CROSS JOIN makes SQLite drive the join from the FTS5 match; with a plain JOIN it scans every document of
        # the content type and probes the FTS5 table once per document.
        sql = (
            f"SELECT {distinct}d.id FROM {FTS_TABLE} CROSS JOIN {documents} d ON d.id = {FTS_TABLE}.rowid{join}"  # noqa: S608
            f" WHERE {FTS_TABLE} MATCH %s AND d.content_type_id = %s{restrict} LIMIT %s"
        )
        text = fts5_expression(expressions, require_all=require_all)
        return sql, [*join_params, text, content_type_id, *restrict_params, limit]

    parts, names, params = [], [], list[Any]()
    if every:
        sql, values = match(every, True)
        parts.append(f"every AS ({sql})")
        names.append("every")
        params += values
    for number, alternatives in enumerate(some):
        sql, values = match(alternatives, False)
        if every:
            # Only when the documents with every word are too few to fill a page; the database evaluates the
            # count once, and skips the lookup altogether when it is enough.
            sql = f"SELECT * FROM ({sql}) s WHERE (SELECT count(*) FROM every) < %s"  # noqa: S608
            values = [*values, complete_below]
        parts.append(f"anyof{number} AS ({sql})")
        names.append(f"anyof{number}")
        params += values
    if not parts:
        return []
    if postgres:
        # UNION drops a document found by two lookups (its rows are identical).
        union = " UNION ".join(f"SELECT * FROM {name}" for name in names)  # noqa: S608 - fixed CTE names
        statement = f"WITH {', '.join(parts)} {union}"
    else:
        union = " UNION ".join(f"SELECT id FROM {name}" for name in names)  # noqa: S608 - fixed CTE names
        flag_sql = "".join(
            f", d.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"  # noqa: S608
            for _ in flags
        )
        statement = (
            f"WITH {', '.join(parts)} SELECT d.id, d.object_id, d.tags{flag_sql} FROM {documents} d"  # noqa: S608
            f" WHERE d.id IN ({union})"
        )
        params += [fts5_expression([flag]) for flag in flags]
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        if postgres:
            return [(row[1], row[3:], row[2]) for row in cursor.fetchall()]
        return [(row[1], tuple(flag == 1 for flag in row[3:]), row[2]) for row in cursor.fetchall()]
