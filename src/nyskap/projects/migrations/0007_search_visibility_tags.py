"""Every project's search document carries its visibility among its tags, so an anonymous search keeps to public
projects from the index alone (projects.search.PUBLIC_TAG). Recomputes the stored tags of every indexed project."""

from django.db import migrations

CHUNK = 5000


def add_visibility_tags(apps, schema_editor):
    # The app's own tag function: the tags are exactly what the app stores for a project today.
    from nyskap.projects.search import refresh_facet_tags

    Project = apps.get_model("projects", "Project")
    ids = list(Project.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        refresh_facet_tags(ids[start : start + CHUNK])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_background_jobs"),
        ("projects", "0006_project_public_index"),
    ]

    operations = [migrations.RunPython(add_visibility_tags, migrations.RunPython.noop)]
