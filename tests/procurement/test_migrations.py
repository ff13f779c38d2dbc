"""The migration that stores the classifier's reason as a code: the codes of notices already imported are worked
out from their stored fields, and going back writes the English sentences."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("procurement", "0002_tallies")]
AFTER = [("procurement", "0003_reason_code")]


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
        migrate(AFTER)
