"""Derived data only: any change to a project, its links or an adoption gives the library a new version, so
cached facet counts and spread statistics are never served for data that has changed; the facet tags stored with
each project's search document follow its phase, types, goals, life events, owners (and their county, kind, size
and centrality) and adoptions; a deleted project leaves the search index (itself a derived cache of the project's
text), however it was deleted (admin, cascade, shell)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from nyskap.organisations.models import County, Organisation

from . import models
from .search import bump_library_version, refresh_facet_tags, remove_project_from_index


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


@receiver(post_save, sender=models.Project)
def _project_saved(sender: Any, instance: models.Project, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        refresh_facet_tags([instance.pk])


@receiver([post_save, post_delete], sender=models.Adoption)
def _adoption_changed(sender: Any, instance: models.Adoption, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        refresh_facet_tags([instance.source_project_id])


def _links_changed(sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any) -> None:
    """A project's types, goals, life events or owners changed — from either side of the relation."""
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            refresh_facet_tags([instance.pk])
        return
    if action == "pre_clear":  # the projects are gone from the relation afterwards: remember them
        links = sender.objects.filter(**{_source_field(sender, instance): instance.pk})
        instance._facet_projects = list(links.values_list("project_id", flat=True))
    elif action == "post_clear":
        refresh_facet_tags(getattr(instance, "_facet_projects", []))
    elif action in ("post_add", "post_remove") and pk_set:
        refresh_facet_tags(list(pk_set))


def _source_field(through: Any, instance: Any) -> str:
    """The through table's foreign key to `instance`'s model (the side that is not the project)."""
    for field in through._meta.get_fields():
        if getattr(field, "related_model", None) is type(instance):
            return str(field.name)
    raise LookupError(type(instance))


for _relation in ("owners", "innovation_types", "sdgs", "life_events"):
    m2m_changed.connect(
        _links_changed,
        sender=getattr(models.Project, _relation).through,
        weak=False,
        dispatch_uid=f"projects-facet-tags-{_relation}",
    )


@receiver(post_save, sender=Organisation)
def _organisation_saved(sender: Any, instance: Organisation, **kwargs: Any) -> None:
    """An owner's county, kind, size band or centrality is a facet of each of its projects."""
    if kwargs.get("created") or kwargs.get("raw"):
        return
    owned = list(
        models.Project.owners.through.objects.filter(organisation_id=instance.pk).values_list("project_id", flat=True)
    )
    if owned:
        refresh_facet_tags(owned)
        bump_library_version()


@receiver([post_save, post_delete], sender=County)
def _county_changed(sender: Any, **kwargs: Any) -> None:
    """A county's name is a facet label on the search pages, which are cached under the library's version."""
    if not kwargs.get("raw"):
        bump_library_version()


@receiver(post_delete, sender=models.Project)
def _project_deleted(sender: Any, instance: models.Project, **kwargs: Any) -> None:
    remove_project_from_index(instance)
