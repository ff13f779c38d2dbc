"""The trial act's periods and approval flow, and the pre-registration fingerprint."""

from __future__ import annotations

import datetime
import hashlib
import json

from hypothesis import given
from hypothesis import strategies as st

from nyskap.trials.rules import (
    APPROVAL_STEPS,
    LAW_DATE,
    LIMITS_CHECKLIST,
    REGISTERED_FIELDS,
    add_years,
    approval_problems,
    canonical_plan,
    changed_fields,
    period_problems,
    plan_fingerprint,
)

D = datetime.date


def fields(problems):
    return [(p.field, p.message) for p in problems]


def test_the_law_is_dated_26_june_1992_not_the_white_papers_27th():
    assert D(1992, 6, 26) == LAW_DATE


def test_four_years_to_the_day_is_allowed_and_one_day_more_is_not():
    assert period_problems(D(2024, 1, 1), D(2028, 1, 1), under_trial_act=True) == []
    assert fields(period_problems(D(2024, 1, 1), D(2028, 1, 2), under_trial_act=True)) == [
        ("end_date", "A trial under the trial act (forsøksloven § 3) can last at most four years.")
    ]
    # Other kinds of trial are not held to the trial act's period.
    assert period_problems(D(2024, 1, 1), D(2035, 1, 1), under_trial_act=False) == []


def test_an_extension_is_at_most_two_years_unless_a_reform_is_named():
    assert period_problems(D(2024, 1, 1), D(2028, 1, 1), under_trial_act=True, extended_to=D(2030, 1, 1)) == []
    assert fields(period_problems(D(2024, 1, 1), D(2028, 1, 1), under_trial_act=True, extended_to=D(2030, 1, 2))) == [
        (
            "extended_to",
            "An extension under the trial act can be at most two years, unless it runs until a named reform "
            "enters into force.",
        )
    ]
    assert (
        period_problems(
            D(2024, 1, 1), D(2028, 1, 1), under_trial_act=True, extended_to=D(2033, 1, 1), reform="Tillitsreformen"
        )
        == []
    )


def test_an_end_before_the_start_is_refused_for_every_kind():
    for under in (True, False):
        assert fields(period_problems(D(2024, 5, 1), D(2024, 4, 30), under_trial_act=under)) == [
            ("end_date", "The trial cannot end before it starts.")
        ]


def test_29_february_plus_four_years_is_29_february_and_plus_one_is_28_february():
    assert add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)
    assert add_years(D(2024, 2, 29), 1) == D(2025, 2, 28)


def _all_steps():
    return {step: D(2024, 1, 1) + datetime.timedelta(days=30 * i) for i, step in enumerate(APPROVAL_STEPS)}


def _all_no():
    return {item: (False, "Forsøket endrer bare oppgavefordelingen.") for item in LIMITS_CHECKLIST}


def test_a_trial_with_every_step_and_answer_can_be_approved():
    assert approval_problems(_all_steps(), _all_no()) == []


def test_a_missing_step_a_step_out_of_order_a_yes_and_a_missing_reason_are_each_named():
    steps = _all_steps()
    del steps["selection"]
    steps["ministry_approval"] = D(2023, 1, 1)
    answers = _all_no()
    answers["restricts_rights"] = (True, "Ja, plikten utvides.")
    answers["materially_new_content"] = (False, " ")
    del answers["deviates_case_handling"]
    assert fields(approval_problems(steps, answers)) == [
        ("steps.selection", "This step has no date yet."),
        ("steps.ministry_approval", "This step is dated before the step before it."),
        ("checklist.deviates_case_handling", "This question is not answered."),
        ("checklist.deviates_case_handling", "Give the reason for the answer."),
        ("checklist.restricts_rights", "The trial act does not allow a trial that does this."),
        ("checklist.materially_new_content", "Give the reason for the answer."),
    ]


PLAN = {
    "hypothesis": "SMS-påminning aukar valdeltakinga blant unge",
    "intervention": "SMS dagen før valet",
    "target_group": "Førstegongsveljarar",
    "primary_outcome": "Deltaking",
    "secondary_outcomes": ["Deltaking etter kjønn"],
    "design": "individual_randomised",
    "planned_sample_size": 20000,
    "sample_size_rationale": "80 % styrke for 2 prosentpoeng",
    "analysis_plan": "Differanse i delar med Newcombe-intervall",
}


def test_the_fingerprint_is_sha256_of_sorted_compact_json_with_every_registered_field():
    expected = json.dumps({name: PLAN.get(name) for name in REGISTERED_FIELDS}, ensure_ascii=False, sort_keys=True,
                          separators=(",", ":"))  # fmt: skip
    assert canonical_plan(PLAN) == expected
    assert plan_fingerprint(PLAN) == hashlib.sha256(expected.encode()).hexdigest()
    assert len(plan_fingerprint(PLAN)) == 64


def test_the_same_plan_written_differently_has_the_same_fingerprint():
    decomposed = dict(PLAN, hypothesis=PLAN["hypothesis"].replace("å", "a\u030a"))  # NFD "å"
    crlf = dict(PLAN, analysis_plan="Linje 1\r\nLinje 2")
    lf = dict(PLAN, analysis_plan="Linje 1\nLinje 2")
    reordered = dict(reversed(list(PLAN.items())))
    assert plan_fingerprint(decomposed) == plan_fingerprint(PLAN)
    assert plan_fingerprint(crlf) == plan_fingerprint(lf)
    assert plan_fingerprint(reordered) == plan_fingerprint(PLAN)
    # Fields outside the plan do not count; a changed word does.
    assert plan_fingerprint(dict(PLAN, title="Anna tittel")) == plan_fingerprint(PLAN)
    assert plan_fingerprint(dict(PLAN, primary_outcome="Deltaking i prosent")) != plan_fingerprint(PLAN)


@given(st.sampled_from(REGISTERED_FIELDS), st.text(min_size=1))
def test_any_change_to_a_registered_field_changes_the_fingerprint_and_is_named(name, text):
    changed = dict(PLAN, **{name: text})
    if changed_fields(PLAN, changed):
        assert plan_fingerprint(changed) != plan_fingerprint(PLAN)
        assert changed_fields(PLAN, changed) == [name]
    else:
        assert plan_fingerprint(changed) == plan_fingerprint(PLAN)
