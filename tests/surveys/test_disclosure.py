"""Disclosure control: adversarial cases and hypothesis invariants. Nothing a reader can see or subtract may
describe fewer answers than the threshold."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nyskap.surveys.disclosure import Disclosure, disclose, disclosed_residual


def test_when_units_of_6_and_4_make_a_total_of_10_then_both_are_suppressed_and_the_total_shown():
    decision = disclose(10, {"a": 6, "b": 4}, threshold=5)
    assert decision == Disclosure(total_shown=True, shown=frozenset(), suppressed=frozenset({"a", "b"}))


def test_when_the_total_is_under_the_threshold_then_nothing_is_shown():
    decision = disclose(4, {"a": 4}, threshold=5)
    assert decision.total_shown is False
    assert decision.shown == frozenset()


def test_when_every_group_is_large_enough_then_all_are_shown():
    decision = disclose(17, {"a": 5, "b": 6, "c": 6}, threshold=5)
    assert decision.shown == frozenset({"a", "b", "c"})
    assert decision.suppressed == frozenset()


def test_when_one_small_group_sits_beside_large_ones_then_the_smallest_large_group_is_hidden_too():
    decision = disclose(25, {"a": 12, "b": 9, "c": 4}, threshold=5)
    assert decision.suppressed == frozenset({"b", "c"})
    assert decision.shown == frozenset({"a"})
    assert disclosed_residual(25, {"a": 12, "b": 9, "c": 4}, decision) == 13


def test_when_two_small_groups_together_reach_the_threshold_then_no_large_group_is_sacrificed():
    decision = disclose(20, {"a": 10, "b": 3, "c": 2, "d": 5}, threshold=5)
    assert decision.shown == frozenset({"a", "d"})
    assert decision.suppressed == frozenset({"b", "c"})


def test_when_answers_without_a_unit_are_few_then_they_count_as_a_hidden_group():
    # 12 answered, 10 in unit a, 2 chose no unit: showing a would reveal the 2 by subtraction.
    decision = disclose(12, {"a": 10}, threshold=5)
    assert decision.shown == frozenset()
    assert decision.suppressed == frozenset({"a"})


def test_when_a_group_has_no_answers_then_it_is_neither_shown_nor_counted_as_hidden():
    decision = disclose(10, {"a": 10, "b": 0}, threshold=5)
    assert decision.shown == frozenset({"a"})
    assert decision.suppressed == frozenset()


def test_when_the_threshold_is_under_3_then_it_is_refused():
    with pytest.raises(ValueError, match="at least 3"):
        disclose(10, {"a": 10}, threshold=2)


def test_when_groups_add_up_to_more_than_the_total_then_it_is_refused():
    with pytest.raises(ValueError):
        disclose(5, {"a": 4, "b": 4}, threshold=3)


@st.composite
def group_counts(draw):
    groups = draw(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 30), max_size=8))
    ungrouped = draw(st.integers(0, 10))
    threshold = draw(st.integers(3, 10))
    return sum(groups.values()) + ungrouped, groups, threshold


@given(group_counts())
def test_invariant_no_shown_or_derivable_figure_describes_fewer_answers_than_the_threshold(case):
    total, groups, threshold = case
    decision = disclose(total, groups, threshold)
    if not decision.total_shown:
        assert total < threshold
        assert decision.shown == frozenset()
        return
    assert total >= threshold
    assert all(groups[g] >= threshold for g in decision.shown)
    residual = disclosed_residual(total, groups, decision)
    assert residual == 0 or residual >= threshold
    # Every group with answers is either shown or suppressed, never both.
    assert decision.shown.isdisjoint(decision.suppressed)
    assert decision.shown | decision.suppressed == {g for g, n in groups.items() if n}


@given(group_counts())
def test_invariant_a_group_under_the_threshold_is_never_shown(case):
    total, groups, threshold = case
    decision = disclose(total, groups, threshold)
    assert not any(0 < groups[g] < threshold for g in decision.shown)


# Overlapping groups (the public culture figures): checked against a brute-force search over every subset.


def _derivable_by_brute_force(groups: list[frozenset[int]], subset: frozenset[int], members: list[int]) -> bool:
    """Independent check, member by member (no atoms): is the subset's indicator a linear combination of the
    groups' indicators? Exact rank over the integers via fractions-free numpy on 0/1 rows."""
    import numpy as np

    if not groups:
        return False
    rows = np.array([[1.0 if m in g else 0.0 for m in members] for g in groups])
    target = np.array([[1.0 if m in subset else 0.0 for m in members]])
    return bool(np.linalg.matrix_rank(np.vstack([rows, target])) == np.linalg.matrix_rank(rows))


@given(
    st.integers(min_value=3, max_value=5),
    st.lists(st.frozensets(st.integers(min_value=0, max_value=7), min_size=1), min_size=1, max_size=6),
)
def test_whatever_groups_overlap_no_set_under_the_threshold_can_be_derived_from_those_published(threshold, sets):
    from itertools import combinations

    from nyskap.surveys.disclosure import disclose_overlapping

    groups = {f"g{i}": members for i, members in enumerate(sets)}
    shown = disclose_overlapping(groups, threshold)
    published = [groups[k] for k in shown]
    assert all(len(g) >= threshold for g in published)
    members = sorted(set().union(*sets))
    for size in range(1, threshold):
        for subset in combinations(members, size):
            assert not _derivable_by_brute_force(published, frozenset(subset), members), (subset, sorted(shown))


def test_when_four_municipalities_three_in_one_size_band_then_the_band_is_withheld():
    from nyskap.surveys.disclosure import disclose_overlapping

    groups = {
        "national": frozenset("ABCD"),
        "municipalities": frozenset("ABCD"),
        "size band l": frozenset("ABC"),
    }
    assert disclose_overlapping(groups, 3) == frozenset({"national", "municipalities"})


def test_when_a_figure_was_published_before_then_one_more_member_is_not_published_beside_it():
    from nyskap.surveys.disclosure import disclose_overlapping

    before = frozenset(range(5))
    assert disclose_overlapping({"national": before | {5}}, 5, known=[before]) == frozenset()
    assert disclose_overlapping({"national": before | set(range(5, 10))}, 5, known=[before]) == {"national"}


@given(st.dictionaries(st.integers(min_value=1, max_value=5), st.integers(min_value=0, max_value=50)))
def test_a_value_dominates_exactly_when_it_holds_90_percent(counts):
    from nyskap.surveys.disclosure import dominant_value

    total = sum(counts.values())
    found = dominant_value(counts)
    expected = [v for v, c in counts.items() if total and c >= 0.9 * total]
    assert found in expected if expected else found is None


def test_when_only_a_union_of_four_single_members_can_be_derived_then_it_is_found_and_suppressed():
    """ "All" minus "H" is A, B, C and D; three other groups split them into four atoms of one member each."""
    from nyskap.surveys.disclosure import derivable_small_set, disclose_overlapping

    q, r, t, u = ({f"{c}{i}" for i in range(5)} for c in "qrtu")
    groups = {
        "all": frozenset({"A", "B", "C", "D"} | q | r | t | u),
        "h": frozenset(q | r | t | u),
        "s1": frozenset({"A"} | r),
        "s2": frozenset({"B"} | t),
        "s3": frozenset({"C"} | u),
    }
    assert derivable_small_set(list(groups.values()), 5, depth=3) is None
    assert derivable_small_set(list(groups.values()), 5) == frozenset("ABCD")
    assert disclose_overlapping(groups, 5) == frozenset({"all", "s1", "s2", "s3"})


# Dominance across overlapping groups: a set of any size whose answers can be counted by subtraction and that is
# 90 % or more one answer tells each member's answer (or nearly).


def _units(sizes: dict[str, tuple[int, int]], threshold: int):
    """Units of (yes, no) answers as members (unit, i) capped at the threshold, each unit's answers on its first."""
    members = {u: frozenset((u, i) for i in range(min(yes + no, threshold))) for u, (yes, no) in sizes.items()}
    counts = {(u, 0): {"yes": yes, "no": no} for u, (yes, no) in sizes.items()}
    return members, counts


def test_when_three_figures_subtract_to_six_who_all_said_yes_then_the_set_is_found_and_a_figure_withdrawn():
    """Vestland (U1, U2), 10–49 employees (U1, U4), health care (U1, U2, U4): none small, none 90 % one answer, but
    Vestland + 10–49 − health care is U1, six answers, all yes."""
    from nyskap.surveys.disclosure import derivable_dominant_set, derivable_small_set, disclose_overlapping

    units, counts = _units({"U1": (6, 0), "U2": (1, 5), "U4": (1, 5)}, 5)
    groups = {
        "vestland": units["U1"] | units["U2"],
        "10-49": units["U1"] | units["U4"],
        "health": units["U1"] | units["U2"] | units["U4"],
    }
    assert derivable_small_set(list(groups.values()), 5) is None
    assert derivable_dominant_set(list(groups.values()), counts) == units["U1"]
    assert disclose_overlapping(groups, 5) == set(groups)
    shown = disclose_overlapping(groups, 5, counts=counts)
    assert len(shown) == 2
    assert derivable_dominant_set([groups[k] for k in shown], counts) is None
    # Derivable from what was known before alone, the set is no new leak; with one more figure it is.
    known = list(groups.values())
    assert derivable_dominant_set([groups["vestland"]], counts, known=known) is None
    assert derivable_dominant_set([groups["vestland"]], counts, known=known[1:]) == units["U1"]


def test_when_a_derived_set_is_below_90_percent_then_nothing_is_withdrawn():
    from nyskap.surveys.disclosure import disclose_overlapping

    units, counts = _units({"U1": (8, 1), "U2": (1, 5), "U4": (1, 5)}, 5)  # U1: 8 of 9, under 90 %
    groups = {
        "a": units["U1"] | units["U2"],
        "b": units["U1"] | units["U4"],
        "c": units["U1"] | units["U2"] | units["U4"],
    }
    assert disclose_overlapping(groups, 5, counts=counts) == set(groups)
    _units_again, counts = _units({"U1": (9, 1), "U2": (1, 5), "U4": (1, 5)}, 5)  # 9 of 10: 90 %, dominant
    assert len(disclose_overlapping(groups, 5, counts=counts)) == 2


def _derivable_unit_sets(groups: list[frozenset[str]], units: list[str]):
    """Every non-empty set of units whose indicator is a linear combination of the groups' (brute force)."""
    from itertools import combinations

    import numpy as np

    if not groups:
        return
    rows = np.array([[1.0 if u in g else 0.0 for u in units] for g in groups])
    rank = np.linalg.matrix_rank(rows)
    for size in range(1, len(units) + 1):
        for subset in combinations(units, size):
            target = np.array([[1.0 if u in subset else 0.0 for u in units]])
            if np.linalg.matrix_rank(np.vstack([rows, target])) == rank:
                yield subset


@given(
    st.integers(min_value=3, max_value=5),
    st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8)).filter(sum), min_size=1, max_size=4),
    st.lists(st.frozensets(st.integers(min_value=0, max_value=3), min_size=1), min_size=1, max_size=6),
)
def test_whatever_groups_overlap_no_derivable_set_is_small_or_dominant(threshold, answers, sets):
    """Up to four units (so every union of atoms is searched): after ``disclose_overlapping`` with the answers, no set
    of units whose answers can be counted from the shown groups has fewer than the threshold or 90 % one answer."""
    from nyskap.surveys.disclosure import disclose_overlapping, dominant_value

    names = [f"u{i}" for i in range(len(answers))]
    units, counts = _units(dict(zip(names, answers, strict=True)), threshold)
    groups = {}
    for i, members in enumerate(sets):
        chosen = [names[m] for m in members if m < len(names)]
        if chosen:
            groups[f"g{i}"] = frozenset().union(*(units[u] for u in chosen))
    shown = disclose_overlapping(groups, threshold, counts=counts)
    by_unit = {names[i]: answers[i] for i in range(len(names))}
    published = [frozenset(u for u in names if units[u] <= groups[k]) for k in shown]
    for subset in _derivable_unit_sets(published, names):
        yes = sum(by_unit[u][0] for u in subset)
        no = sum(by_unit[u][1] for u in subset)
        assert yes + no >= threshold, (subset, sorted(shown))
        assert dominant_value({"yes": yes, "no": no}) is None, (subset, sorted(shown))
