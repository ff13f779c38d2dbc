"""The classifier's reason is stored as its stable code (``procedure=innovation;cpv=73``) instead of an English
sentence, so that pages and the API write it in the reader's language. The codes of the notices already imported
are worked out again from their stored fields (the same rule as at import); going back writes the English
sentences."""

from django.db import migrations, models

BATCH_SIZE = 1000


def codes_from_fields(apps, schema_editor):
    from nyskap.procurement import calculations

    Notice = apps.get_model("procurement", "Notice")
    changed = []
    for notice in Notice.objects.only("pk", "kind", "procedure", "innovative", "cpv", "market_dialogue").iterator(
        chunk_size=BATCH_SIZE
    ):
        if notice.kind == "prior" and not notice.procedure:
            notice.reason_code = calculations.reason_code(calculations.PRIOR_INFORMATION)
        else:
            try:
                result = calculations.classify(
                    procedure=notice.procedure or "oth-single",
                    innovative=notice.innovative or [],
                    cpv=notice.cpv or [],
                    market_dialogue=notice.market_dialogue,
                )
            except calculations.UnknownCode:
                continue  # not written by an import (which refuses unknown codes); left without a reason
            notice.reason_code = result.reason_code
        changed.append(notice)
        if len(changed) >= BATCH_SIZE:
            Notice.objects.bulk_update(changed, ["reason_code"])
            changed = []
    Notice.objects.bulk_update(changed, ["reason_code"])


def sentences_from_codes(apps, schema_editor):
    from nyskap.procurement import calculations

    Notice = apps.get_model("procurement", "Notice")
    changed = []
    for notice in Notice.objects.only("pk", "notice_class", "reason_code").iterator(chunk_size=BATCH_SIZE):
        notice.reason = calculations.reason_text(notice.notice_class, notice.reason_code)[:600]
        changed.append(notice)
        if len(changed) >= BATCH_SIZE:
            Notice.objects.bulk_update(changed, ["reason"])
            changed = []
    Notice.objects.bulk_update(changed, ["reason"])


class Migration(migrations.Migration):
    dependencies = [("procurement", "0002_tallies")]

    operations = [
        migrations.AddField(
            model_name="notice",
            name="reason_code",
            field=models.CharField(
                blank=True,
                help_text="The reason for the class, as a stable code",
                max_length=200,
                verbose_name="reason code",
            ),
        ),
        migrations.RunPython(codes_from_fields, sentences_from_codes),
        # With a default, so that going back can add the column again to a table with rows.
        migrations.AlterField(
            model_name="notice",
            name="reason",
            field=models.CharField(default="", max_length=600, verbose_name="reason"),
        ),
        migrations.RemoveField(model_name="notice", name="reason"),
    ]
