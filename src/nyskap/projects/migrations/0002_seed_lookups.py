"""Seed the lookup tables behind the multi-valued classifications. The codes are frozen here (not imported from
models) so later changes to the choices need their own migration."""

from django.db import migrations

INNOVATION_TYPES = ["service", "product", "process", "organisation", "communication"]
LIFE_EVENTS = [
    "having_a_child",
    "seriously_ill_child",
    "losing_and_finding_a_job",
    "new_in_norway",
    "starting_a_business",
    "starting_a_voluntary_organisation",
    "death_and_inheritance",
]
SDG_NUMBERS = range(1, 18)


def seed(apps, schema_editor):
    apps.get_model("projects", "InnovationType").objects.bulk_create(
        [apps.get_model("projects", "InnovationType")(code=code) for code in INNOVATION_TYPES], ignore_conflicts=True
    )
    apps.get_model("projects", "LifeEvent").objects.bulk_create(
        [apps.get_model("projects", "LifeEvent")(code=code) for code in LIFE_EVENTS], ignore_conflicts=True
    )
    goal = apps.get_model("projects", "SustainableDevelopmentGoal")
    goal.objects.bulk_create([goal(number=number) for number in SDG_NUMBERS], ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
