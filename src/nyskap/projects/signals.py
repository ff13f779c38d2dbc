"""Cache invalidation only: any change to a project, its links or an adoption gives the library a new version, so
cached facet counts and spread statistics are never served for data that has changed; a deleted project leaves the
search index (itself a derived cache of the project's text), however it was deleted (admin, cascade, shell)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from . import models
from .search import bump_library_version, remove_project_from_index


@receiver([post_save, post_delete], sender=models.Project)
@receiver([post_save, post_delete], sender=models.Adoption)
@receiver([post_save, post_delete], sender=models.PhaseChange)
def _project_changed(sender: Any, **kwargs: Any) -> None:
    bump_library_version()


for _relation in ("owners", "innovation_types", "sdgs", "life_events", "authors"):
    m2m_changed.connect(
        lambda sender, **kwargs: bump_library_version(),
        sender=getattr(models.Project, _relation).through,
        weak=False,
        dispatch_uid=f"projects-library-version-{_relation}",
    )


@receiver(post_delete, sender=models.Project)
def _project_deleted(sender: Any, instance: models.Project, **kwargs: Any) -> None:
    remove_project_from_index(instance)
