"""Writes to the search index: callers (a project service, say) tell what an object's searchable text is; this module
owns how it is stored.

Each write runs in one transaction with the caller's change, so the index never shows text the object no longer
has. Texts are split into two weights: `title` and `a_texts` (the need) rank above `b_texts` (description,
lessons, effects …).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, router, transaction

from nyskap.core import versions

from . import backends, compounds
from .models import SearchDocument, SearchTerm
from .text import content_words, stem, tokenise

# Words this short are never typo-corrected into, nor checked for hits; leaving them out keeps the vocabulary lean.
_MIN_VOCABULARY_LENGTH = 3


_VERSION_KEY = versions.register("search:index-version")


def index_version() -> str:
    """Changes whenever an indexed text is written or removed: statistics cached under it are then stale."""
    return versions.current(_VERSION_KEY)


def bump_index_version() -> None:
    versions.bump(_VERSION_KEY)
    # And once more when the writing transaction commits, so no statistics counted before the commit survive it.
    transaction.on_commit(lambda: versions.bump(_VERSION_KEY))


def compound_parts(*texts: str) -> str:
    """The parts of every compound in the texts ("velferdspiloten" → "velferd piloten"), each compound once: what
    the third, lowest-ranked field of the index holds, so "velferd" finds "Velferdspiloten"."""
    parts: dict[str, None] = {}
    for word in dict.fromkeys(word for text in texts for word in content_words(text)):
        parts.update(dict.fromkeys(part for part in compounds.split(word) if part not in parts))
    return " ".join(parts)


def content_type_of(model: type[models.Model] | models.Model) -> ContentType:
    return ContentType.objects.get_for_model(model, for_concrete_model=True)


def index_object(
    obj: models.Model,
    *,
    title: str,
    a_texts: Iterable[str] = (),
    b_texts: Iterable[str] = (),
    language: str = "",
    tags: str | None = None,
) -> SearchDocument:
    """Index (or re-index) `obj` with the given texts (and `tags`, returned with its hits), replacing whatever was
    indexed for it before."""
    if obj.pk is None:
        raise ValueError("Only saved objects can be indexed.")
    text_a = " ".join(tokenise("\n".join([title, *a_texts])))
    text_b = " ".join(tokenise("\n".join(b_texts)))
    text_c = compound_parts(text_a, text_b)
    database = router.db_for_write(SearchDocument)
    with transaction.atomic(using=database):
        document, _ = SearchDocument.objects.using(database).update_or_create(
            content_type=content_type_of(obj),
            object_id=obj.pk,
            defaults={
                "title": title,
                "text_a": text_a,
                "text_b": text_b,
                "text_c": text_c,
                "language": language,
                "tags": tags,
            },
        )
        backends.write(connections[database], document)
        bump_index_version()
        words = {word for word in content_words(f"{text_a} {text_b}") if len(word) >= _MIN_VOCABULARY_LENGTH}
        SearchTerm.objects.using(database).bulk_create(
            [SearchTerm(word=word, stem=stem(word)) for word in sorted(words) if not word.isdigit()],
            ignore_conflicts=True,
            batch_size=500,
        )
    return document


def index_many(
    model: type[models.Model],
    items: Iterable[tuple[int, str, Iterable[str], Iterable[str], str | None]],
    *,
    batch_size: int = 1000,
) -> int:
    """Index many objects of one model at once: `items` yields (object id, title, a_texts, b_texts, tags).

    The same result as `index_object` per object, in a handful of statements per batch: for imports, demo content
    and benchmarks. Existing documents of those objects are replaced.
    """
    content_type = content_type_of(model)
    database = router.db_for_write(SearchDocument)
    connection = connections[database]
    total = 0
    batch: list[SearchDocument] = []
    words: set[str] = set()

    def flush() -> None:
        nonlocal total
        if not batch:
            return
        ids = [document.object_id for document in batch]
        SearchDocument.objects.using(database).filter(content_type=content_type, object_id__in=ids).delete()
        created = SearchDocument.objects.using(database).bulk_create(batch, batch_size=batch_size)
        if connection.features.can_return_rows_from_bulk_insert is False or any(d.pk is None for d in created):
            created = list(SearchDocument.objects.using(database).filter(content_type=content_type, object_id__in=ids))
        backends.write_many(connection, created)
        bump_index_version()
        SearchTerm.objects.using(database).bulk_create(
            [SearchTerm(word=word, stem=stem(word)) for word in sorted(words)],
            ignore_conflicts=True,
            batch_size=batch_size,
        )
        total += len(batch)
        batch.clear()
        words.clear()

    with transaction.atomic(using=database):
        for object_id, title, a_texts, b_texts, tags in items:
            text_a = " ".join(tokenise("\n".join([title, *a_texts])))
            text_b = " ".join(tokenise("\n".join(b_texts)))
            batch.append(
                SearchDocument(
                    content_type=content_type,
                    object_id=object_id,
                    title=title,
                    text_a=text_a,
                    text_b=text_b,
                    text_c=compound_parts(text_a, text_b),
                    tags=tags,
                )
            )
            words.update(
                word
                for word in content_words(f"{text_a} {text_b}")
                if len(word) >= _MIN_VOCABULARY_LENGTH and not word.isdigit()
            )
            if len(batch) >= batch_size:
                flush()
        flush()
    return total


def set_tags(model: type[models.Model], tags: Mapping[int, str | None]) -> int:
    """Replace the stored tags of indexed objects of `model` ({object id: tags}) without touching their text: for
    changes that alter what a hit carries (a facet value) but not what it matches. Returns how many were indexed.

    The text, its statistics and the index version stay as they are: no search matches differently afterwards."""
    if not tags:
        return 0
    content_type = content_type_of(model)
    database = router.db_for_write(SearchDocument)
    documents = list(
        SearchDocument.objects.using(database)
        .filter(content_type=content_type, object_id__in=list(tags))
        .only("pk", "object_id")
    )
    for document in documents:
        document.tags = tags[document.object_id]
    SearchDocument.objects.using(database).bulk_update(documents, ["tags"], batch_size=500)
    return len(documents)


def remove_object(obj: models.Model) -> None:
    """Take `obj` out of the index (a no-op when it was never indexed)."""
    remove_objects(type(obj), [obj.pk])


def remove_objects(model: type[models.Model], object_ids: Iterable[int]) -> int:
    """Take several objects of one model out of the index; returns how many were indexed.

    On SQLite a trigger removes the FTS5 rows with the documents, so bulk and cascading deletes stay consistent.
    The vocabulary is not pruned: a stale word can at worst suggest a correction that then matches nothing.
    """
    deleted, _ = SearchDocument.objects.filter(
        content_type=content_type_of(model), object_id__in=list(object_ids)
    ).delete()
    if deleted:
        bump_index_version()
    return deleted
