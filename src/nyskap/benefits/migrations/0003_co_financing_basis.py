"""The co-financing threshold's basis as a versioned parameter [U]. Existing versions keep what they computed with
(the sum over the analysis period) and list the basis among their unverified parameters."""

from django.db import migrations, models


def mark_uncertain(apps, schema_editor):
    ParameterSet = apps.get_model("benefits", "ParameterSet")
    for parameters in ParameterSet.objects.all():
        uncertain = list(parameters.uncertain or [])
        if "co_financing_basis" not in uncertain:
            parameters.uncertain = [*uncertain, "co_financing_basis"]
            parameters.save(update_fields=["uncertain"])


def unmark(apps, schema_editor):
    ParameterSet = apps.get_model("benefits", "ParameterSet")
    for parameters in ParameterSet.objects.all():
        parameters.uncertain = [name for name in parameters.uncertain or [] if name != "co_financing_basis"]
        parameters.save(update_fields=["uncertain"])


class Migration(migrations.Migration):
    dependencies = [("benefits", "0002_r109_parameters")]

    operations = [
        migrations.AddField(
            model_name="parameterset",
            name="co_financing_basis",
            field=models.CharField(
                choices=[("per_year", "per year (the largest year)"), ("period", "over the analysis period")],
                default="period",
                help_text="What the NOK 5 million threshold for other state bodies is compared with.",
                max_length=16,
                verbose_name="co-financing threshold basis",
            ),
        ),
        migrations.RunPython(mark_uncertain, unmark),
    ]
