"""Compound parts as a third, lowest-ranked field of the search index.

Adds `SearchDocument.text_c`; on SQLite the FTS5 table gets a third column `c` (FTS5 tables cannot be altered, so it
is rebuilt); every indexed document is then re-indexed with its compound parts, which on PostgreSQL also rewrites the
stored vector with the new weight C. A fresh database has no documents, so this is instant there.
"""

from django.db import migrations, models

FTS_TABLE = "core_searchdocument_fts"


def rebuild(apps, schema_editor):
    # The re-index uses the search package's own code (the decompounder and the backends' writers), so that a
    # migrated index is exactly what a fresh index of the same texts would be.
    from nyskap.core.search import backends
    from nyskap.core.search.services import bump_index_version, compound_parts

    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        _recreate(schema_editor, "a, b, c")
    SearchDocument = apps.get_model("core", "SearchDocument")
    documents = list(SearchDocument.objects.using(connection.alias).order_by("pk"))
    for document in documents:
        document.text_c = compound_parts(document.text_a, document.text_b)
    SearchDocument.objects.using(connection.alias).bulk_update(documents, ["text_c"], batch_size=1000)
    for start in range(0, len(documents), 1000):
        backends.write_many(connection, documents[start : start + 1000])
    bump_index_version()  # statistics counted on the index without compound parts are stale


def _recreate(schema_editor, columns):
    # Adding a column on SQLite rebuilds core_searchdocument, which drops its triggers: the one that removes a
    # document's FTS5 row with the document is made again here.
    schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({columns}, tokenize = 'unicode61 remove_diacritics 0')"
    )
    schema_editor.execute("DROP TRIGGER IF EXISTS core_searchdocument_fts_delete")
    schema_editor.execute(
        "CREATE TRIGGER core_searchdocument_fts_delete AFTER DELETE ON core_searchdocument "
        f"BEGIN DELETE FROM {FTS_TABLE} WHERE rowid = old.id; END"
    )


def unbuild(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        _recreate(schema_editor, "a, b")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="text_c",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(rebuild, unbuild),
    ]
