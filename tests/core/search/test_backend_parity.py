"""On PostgreSQL, check that Python's text processing agrees with the server's `norwegian` configuration.

The SQLite backend stems and drops stop words in Python; PostgreSQL does both itself. These checks make sure the
two do the same, so a case passing on one database is not passing for a different reason than on the other.
"""

from __future__ import annotations

import pytest
from django.db import connection

from nyskap.core.search.stopwords import STOP_WORDS
from nyskap.core.search.synonyms import VARIANT_GROUPS
from nyskap.core.search.text import stem, tokenise

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="compares with PostgreSQL's configuration"),
]

WORDS = sorted(
    {word for group in VARIANT_GROUPS for form in group for word in tokenise(form) if word not in STOP_WORDS}
    | set(tokenise("barnehgae digitalisring kommunar innbyggjarane helsetjenestene forsøksordning gevinstrealisering"))
)


def test_the_search_runs_on_postgresql():
    assert connection.vendor == "postgresql"


def test_python_and_postgresql_stem_every_listed_word_alike():
    with connection.cursor() as cursor:
        cursor.execute("SELECT w, (ts_lexize('norwegian_stem', w))[1] FROM unnest(%s::text[]) AS w", [WORDS])
        server = dict(cursor.fetchall())
    assert {word: stem(word) for word in WORDS} == server


def test_python_and_postgresql_drop_the_same_stop_words():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w FROM unnest(%s::text[]) AS w WHERE to_tsvector('norwegian', w) = ''::tsvector",
            [[*sorted(STOP_WORDS), *WORDS]],
        )
        stopped = {row[0] for row in cursor.fetchall()}
    assert stopped == STOP_WORDS
