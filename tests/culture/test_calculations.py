"""The culture module's pure rules for what is published: bands for dominated groups, rounding of public figures."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nyskap.culture.calculations import band, rounded_count, rounded_figure


@pytest.mark.parametrize(
    ("value", "expected"), [(1, "disagree"), (2, "disagree"), (3, "neither"), (4, "agree"), (5, "agree")]
)
def test_a_dominant_answer_is_shown_as_its_band(value, expected):
    assert band(value) == expected


@given(st.integers(min_value=0, max_value=100_000))
def test_published_counts_are_multiples_of_5_never_under_5_and_within_2_of_the_truth(count):
    shown = rounded_count(count)
    assert shown % 5 == 0
    assert shown >= 5
    assert abs(shown - count) <= 2 or count < 3


@given(st.floats(min_value=1, max_value=5))
def test_published_means_are_within_a_twentieth_of_the_truth_at_one_decimal(mean):
    shown = rounded_figure(mean)
    assert abs(shown - mean) <= 0.05 + 1e-9
    assert round(shown * 10) == pytest.approx(shown * 10)
