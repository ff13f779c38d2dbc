from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from nyskap.barometer import sampling


def test_proportional_allocation_by_largest_remainder():
    assert sampling.allocate({"a": 600, "b": 300, "c": 100}, 10) == {"a": 6, "b": 3, "c": 1}
    assert sampling.allocate({"a": 5, "b": 995}, 10) == {"a": 1, "b": 9}  # at least one in every stratum
    assert sampling.allocate({"a": 2, "b": 3}, 50) == {"a": 2, "b": 3}


def test_the_same_seed_gives_the_same_sample_and_another_seed_another():
    members = {"a": list(range(100)), "b": list(range(100, 400))}
    first = sampling.draw(members, 40, seed=2024)
    assert first == sampling.draw(members, 40, seed=2024)
    assert first != sampling.draw(members, 40, seed=2025)
    assert len(first) == 40
    assert len(first & set(range(100))) == 10


def test_a_census_takes_everybody():
    assert sampling.draw({"a": [1, 2], "b": [3]}, None, seed=1) == {1, 2, 3}


@given(st.dictionaries(st.sampled_from("abcdef"), st.integers(1, 60), min_size=1), st.integers(1, 400))
def test_allocation_sums_to_the_size_and_stays_within_each_stratum(population, size):
    sizes = sampling.allocate(population, size)
    assert sum(sizes.values()) == min(size, sum(population.values()))
    assert all(0 <= sizes[h] <= population[h] for h in sizes)
