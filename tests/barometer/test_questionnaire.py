"""The barometer's questionnaires: every block of DOMAIN.md §1.1.1, three languages, a source per item, loaded
into the survey engine once (idempotent)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from nyskap.barometer import questionnaire
from nyskap.surveys import selectors


@pytest.mark.parametrize("kind", questionnaire.KINDS)
def test_every_item_has_three_languages_options_and_a_source(kind):
    data = questionnaire.data(kind)
    keys = [item["key"] for block in data["blocks"] for item in block["items"]]
    assert len(keys) == len(set(keys))
    for block in data["blocks"]:
        assert all(block["name"][lang] for lang in ("nb", "nn", "en"))
        for item in block["items"]:
            assert all(item["text"][lang].strip() for lang in ("nb", "nn", "en")), item["key"]
            assert item["source"].strip(), item["key"]
            assert item["kind"] in ("single", "multiple", "likert")
            for option in item["options"]:
                assert all(option[lang].strip() for lang in ("nb", "nn", "en")), (item["key"], option)


def test_the_operative_questionnaire_has_blocks_one_to_twelve_and_the_short_branch():
    blocks = questionnaire.data(questionnaire.OPERATIVE)["blocks"]
    assert [b["key"].split("-")[0] for b in blocks] == [f"b{n:02d}" for n in range(1, 13)]
    keys = {item["key"] for block in blocks for item in block["items"]}
    assert {"b1_product", "b1_service", "b1_process_org", "b1_communication", "b3_novelty", "b9_evaluation"} <= keys
    assert {"b1_innovation_work", "b12_work_types"} <= keys
    novelty = next(i for b in blocks for i in b["items"] if i["key"] == "b3_novelty")
    assert [o["key"] for o in novelty["options"]] == ["first", "inspired_adapted", "copied", "dont_know"]
    factor = next(i for b in blocks for i in b["items"] if i["key"] == "b7_new_technology")
    assert factor["scale_points"] == 6 and factor["allow_dont_know"]


@pytest.mark.django_db
def test_loading_is_idempotent_and_publishes_both(capsys):
    call_command("load_barometer_questionnaire")
    call_command("load_barometer_questionnaire")
    out = capsys.readouterr().out
    assert "already loaded" in out
    for kind in questionnaire.KINDS:
        version = selectors.latest_published_version(questionnaire.key(kind))
        assert version is not None
        items = list(version.items.all())
        assert len(items) == sum(len(b["items"]) for b in questionnaire.data(kind)["blocks"])
        assert all(item.source_reference for item in items)
