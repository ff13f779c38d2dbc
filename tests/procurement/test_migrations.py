"""The migration that stores the classifier's reason as a code: the codes of notices already imported are worked
out from their stored fields, and going back writes the English sentences."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("procurement", "0002_tallies")]
AFTER = [("procurement", "0003_reason_code")]
LATEST = [("procurement", "0004_covering_indexes")]  # where each test leaves the schema for the tests after it


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def test_existing_reasons_become_codes_and_back_to_english_sentences():
    apps = migrate(BEFORE)
    try:
        Notice = apps.get_model("procurement", "Notice")
        values = {"source": "eforms", "cpv_division": "73", "published": datetime.date(2024, 1, 1), "year": 2024}
        Notice.objects.create(
            notice_id="A", procedure="comp-dial", innovative=["mar-nov"], cpv=["73000000"], notice_class="innovation",
            reason="old", **values,
        )  # fmt: skip
        Notice.objects.create(
            notice_id="B", procedure="open", cpv=["45000000"], market_dialogue=True, notice_class="innovation_friendly",
            reason="old", **values,
        )  # fmt: skip
        Notice.objects.create(
            notice_id="C", kind="prior", procedure="", cpv=["45000000"], notice_class="other", reason="old", **values
        )
        Notice.objects.create(notice_id="D", procedure="open", cpv=["45000000"], notice_class="other", **values)

        apps = migrate(AFTER)
        Notice = apps.get_model("procurement", "Notice")
        assert dict(Notice.objects.values_list("notice_id", "reason_code")) == {
            "A": "procedure=comp-dial;cpv=73;bt776=mar-nov",
            "B": "market_dialogue",
            "C": "prior_information",
            "D": "other=open",
        }

        apps = migrate(BEFORE)
        Notice = apps.get_model("procurement", "Notice")
        assert dict(Notice.objects.values_list("notice_id", "reason")) == {
            "A": "Procurement of innovation: procedure is competitive dialogue (comp-dial); R&D services (CPV 73): "
            "pre-commercial procurement under the R&D exception; BT-776 mar-nov: novel or significantly improved "
            "compared with the market.",
            "B": "Innovation-friendly procurement: a market-dialogue notice preceded it.",
            "C": "Prior information notice (market dialogue).",
            "D": "Other: open procedure (open) without innovation codes or market dialogue.",
        }
    finally:
        migrate(LATEST)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="INCLUDE is PostgreSQL's; SQLite keeps plain indexes")
def test_on_postgresql_the_filters_indexes_carry_the_buyer_so_that_the_buyer_table_needs_no_notice_read():
    def definitions() -> dict[str, str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'procurement_notice'")
            return dict(cursor.fetchall())

    migrate(AFTER)
    assert definitions()["procurement_kind_county"].endswith("(kind, county_number)")
    migrate(LATEST)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'procurement_notice'")
        definitions = dict(cursor.fetchall())
    assert definitions["procurement_kind_county"].endswith(
        "(kind, county_number) INCLUDE (year, notice_class, cpv_division, procedure, buyer_org_number)"
    )
    for name in ("procurement_kind_year", "procurement_kind_division", "procurement_kind_procedure"):
        assert "INCLUDE (" in definitions[name] and "buyer_org_number)" in definitions[name]
