"""Search index rows, one per indexed object, kept apart from the domain models so search stays model-agnostic.

`SearchDocument` holds the text each backend indexes: `text_a` (title and need, ranked higher), `text_b`
(description, lessons, effects …), both already tokenised by `text.tokenise`, and `text_c`, the parts of their
compound words (`compounds.split`), ranked lowest, and `tags`, values the indexing app gets back with each hit
(the project library's facet values). PostgreSQL keeps a weighted
`tsvector` in `vector` (filled by `services.index_object`, GIN-indexed by migration); SQLite keeps the stemmed text
in the FTS5 table `core_searchdocument_fts` (rowid = `SearchDocument.id`, created by migration with a trigger that
deletes the FTS row with the document). Neither the GIN index nor the FTS5 table can be expressed as Django model
state that works on both databases, so the migration creates them with vendor-guarded SQL.

`SearchTerm` is the vocabulary of indexed words with their stems. It is what makes typo tolerance identical on both
databases: a misspelt query word is corrected to known words one edit away, looked up by B-tree index.
"""

from __future__ import annotations

from typing import Any

from django.db import models


class TsVectorField(models.Field):
    """A PostgreSQL `tsvector` column that is only ever written and read in SQL.

    Not `django.contrib.postgres`'s `SearchVectorField`: that one requires `django.contrib.postgres` installed, which
    the SQLite default does not need. SQLite accepts any declared column type, so the column simply stays NULL there.
    """

    description = "PostgreSQL tsvector"

    def db_type(self, connection: Any) -> str:
        return "tsvector"


class SearchDocument(models.Model):
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    # Indexed models use the project's BigAutoField keys; an integer here lets searches join on them directly.
    object_id = models.PositiveBigIntegerField()
    title = models.TextField()
    text_a = models.TextField(blank=True)
    text_b = models.TextField(blank=True)
    # The parts of the compounds in text_a and text_b ("velferd piloten"), ranked below whole words.
    text_c = models.TextField(blank=True, default="")
    language = models.CharField(max_length=8, blank=True)
    # PostgreSQL only; stays NULL on SQLite, where the FTS5 table does this job.
    vector = TsVectorField(null=True, editable=False)
    # What the indexing app wants back with every hit, chosen by it (the project library stores its facet values
    # as space-separated tokens), so a search can count its facets from the lookup's own rows. NULL: not stored.
    tags = models.TextField(null=True, blank=True, editable=False)  # noqa: DJ001 - NULL (never stored) differs from ""
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="core_searchdocument_unique_object"),
        ]

    def __str__(self) -> str:
        return self.title


class SearchTerm(models.Model):
    word = models.CharField(max_length=40, primary_key=True)
    stem = models.CharField(max_length=40, db_index=True)

    def __str__(self) -> str:
        return self.word
