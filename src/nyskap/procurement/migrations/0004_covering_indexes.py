"""The filters' indexes on the notices carry the other filters and the buyer on PostgreSQL (INCLUDE), so that the
statistics page's buyer table is counted by an index-only scan; SQLite has no INCLUDE and keeps the plain indexes.
The model state is unchanged: the indexes keep their names and key columns."""

from django.db import migrations, models

FILTERS = ["year", "notice_class", "cpv_division", "procedure", "county_number"]
INDEXES = {
    "procurement_kind_year": ["kind", "year", "notice_class"],
    "procurement_kind_division": ["kind", "cpv_division"],
    "procurement_kind_procedure": ["kind", "procedure"],
    "procurement_kind_county": ["kind", "county_number"],
}


def _rebuild(schema_editor, covering: bool) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, keys in INDEXES.items():
        included = [column for column in [*FILTERS, "buyer_org_number"] if column not in keys]
        include = f" INCLUDE ({', '.join(included)})" if covering else ""
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(f"CREATE INDEX {name} ON procurement_notice ({', '.join(keys)}){include}")


def forward(apps, schema_editor):
    _rebuild(schema_editor, covering=True)


def backward(apps, schema_editor):
    _rebuild(schema_editor, covering=False)


class Migration(migrations.Migration):
    dependencies = [("procurement", "0003_reason_code")]

    operations = [
        migrations.AddIndex(
            model_name="buyertally",
            index=models.Index(fields=["buyer_org_number"], name="procurement_buyertally_buyer"),
        ),
        migrations.RunPython(forward, backward),
    ]
