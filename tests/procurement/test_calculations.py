"""The classifier of DOMAIN.md §6.3 on notices worked by hand."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nyskap.procurement.calculations import (
    FRIENDLY_CODES,
    INNOVATION_CODES,
    INNOVATIVE_CODES,
    PROCEDURE_CODES,
    NoticeClass,
    UnknownCode,
    classify,
    cpv_division,
    normalise_cpv,
    reason_text,
    share,
)


def test_when_innovation_partnership_then_innovation_with_the_procedure_as_reason():
    result = classify(procedure="innovation", cpv=["90000000-7"])
    assert result.notice_class is NoticeClass.INNOVATION
    assert result.reason == "Procurement of innovation: procedure is innovation partnership (innovation)."


def test_when_competitive_dialogue_then_innovation():
    result = classify(procedure="comp-dial")
    assert result.notice_class is NoticeClass.INNOVATION
    assert "competitive dialogue (comp-dial)" in result.reason


def test_when_rd_services_cpv_73_then_pre_commercial_procurement():
    result = classify(procedure="neg-wo-call", cpv=["73110000-6"])
    assert result.notice_class is NoticeClass.INNOVATION
    assert "R&D services (CPV 73)" in result.reason


def test_when_rd_code_is_only_an_additional_cpv_then_still_innovation():
    assert classify(procedure="open", cpv=["72000000", "73200000"]).notice_class is NoticeClass.INNOVATION


@pytest.mark.parametrize("code", ["mar-nov", "rd-act", "prod-innov", "proc-innov"])
def test_when_bt776_innovation_code_then_innovation_naming_the_code(code):
    result = classify(procedure="open", innovative=[code], cpv=["45000000"])
    assert result.notice_class is NoticeClass.INNOVATION
    assert f"BT-776 {code}" in result.reason


@pytest.mark.parametrize("code", ["fp-requ", "buy-eff", "org-nov"])
def test_when_bt776_friendly_code_then_innovation_friendly(code):
    result = classify(procedure="open", innovative=[code], cpv=["45000000"])
    assert result.notice_class is NoticeClass.INNOVATION_FRIENDLY
    assert result.reason.startswith("Innovation-friendly procurement: BT-776 " + code)


def test_when_market_dialogue_preceded_an_open_competition_then_innovation_friendly():
    result = classify(procedure="open", cpv=["45000000"], market_dialogue=True)
    assert result.notice_class is NoticeClass.INNOVATION_FRIENDLY
    assert result.reason == "Innovation-friendly procurement: a market-dialogue notice preceded it."


def test_when_both_kinds_of_code_then_innovation_wins_and_names_all_reasons():
    result = classify(procedure="comp-dial", innovative=["fp-requ", "mar-nov"], market_dialogue=True)
    assert result.notice_class is NoticeClass.INNOVATION
    assert result.reason == (
        "Procurement of innovation: procedure is competitive dialogue (comp-dial); "
        "BT-776 mar-nov: novel or significantly improved compared with the market."
    )


def test_when_open_without_codes_then_other_and_says_so():
    result = classify(procedure="open", innovative=["other"], cpv=["45210000-2"])
    assert result.notice_class is NoticeClass.OTHER
    assert result.reason == "Other: open procedure (open) without innovation codes or market dialogue."


def test_when_procedure_unknown_then_refused_naming_the_code_and_field():
    with pytest.raises(UnknownCode) as caught:
        classify(procedure="lottery")
    assert (caught.value.field, caught.value.code) == ("procedure", "lottery")
    assert "lottery" in caught.value.message


def test_when_innovative_code_unknown_then_refused_naming_its_index():
    with pytest.raises(UnknownCode) as caught:
        classify(procedure="open", innovative=["mar-nov", "shiny"])
    assert (caught.value.field, caught.value.code) == ("innovative.1", "shiny")


@pytest.mark.parametrize("code", ["7311", "73110000-66", "7311000X", "", " 73110000", "73110000-"])
def test_when_cpv_not_eight_digits_then_refused(code):
    with pytest.raises(UnknownCode):
        normalise_cpv(code.strip() + ("x" if code.startswith(" ") else ""))


def test_cpv_with_or_without_check_digit_gives_the_same_division():
    assert normalise_cpv("73110000-6") == normalise_cpv("73110000") == "73110000"
    assert cpv_division("73110000") == "73"


def test_code_lists_are_the_eforms_lists():
    assert set(PROCEDURE_CODES) == {
        "open", "restricted", "neg-w-call", "neg-wo-call", "comp-dial", "innovation", "comp-tend", "oth-single",
        "oth-mult",
    }  # fmt: skip
    assert set(INNOVATIVE_CODES) == {*INNOVATION_CODES, *FRIENDLY_CODES, "other"}


def test_share_in_per_cent_and_none_of_nothing():
    assert share(1, 100) == 1.0
    assert share(2, 3) == 66.7
    assert share(0, 0) is None


@given(
    procedure=st.sampled_from(sorted(PROCEDURE_CODES)),
    innovative=st.lists(st.sampled_from(sorted(INNOVATIVE_CODES)), max_size=4),
    dialogue=st.booleans(),
)
def test_class_follows_the_rule_for_any_codes(procedure, innovative, dialogue):
    result = classify(procedure=procedure, innovative=innovative, cpv=["45000000"], market_dialogue=dialogue)
    innovation = procedure in {"innovation", "comp-dial"} or bool(set(innovative) & set(INNOVATION_CODES))
    friendly = bool(set(innovative) & set(FRIENDLY_CODES)) or dialogue
    expected = "innovation" if innovation else "innovation_friendly" if friendly else "other"
    assert result.notice_class == expected
    assert result.reason


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"procedure": "innovation", "cpv": ["90000000-7"]}, "procedure=innovation"),
        ({"procedure": "neg-wo-call", "cpv": ["73110000-6"]}, "cpv=73"),
        (
            {"procedure": "comp-dial", "innovative": ["proc-innov", "fp-requ", "mar-nov"], "cpv": ["73000000"]},
            "procedure=comp-dial;cpv=73;bt776=mar-nov;bt776=proc-innov",
        ),
        ({"procedure": "open", "innovative": ["org-nov", "fp-requ"], "market_dialogue": True},
         "bt776=fp-requ;bt776=org-nov;market_dialogue"),
        ({"procedure": "restricted", "innovative": ["other"]}, "other=restricted"),
    ],
)  # fmt: skip
def test_the_reason_code_names_every_criterion_in_the_order_of_the_sentence(kwargs, code):
    result = classify(**kwargs)
    assert result.reason_code == code
    assert reason_text(result.notice_class, code) == result.reason


def test_an_empty_reason_code_gives_no_sentence():
    assert reason_text("other", "") == ""
