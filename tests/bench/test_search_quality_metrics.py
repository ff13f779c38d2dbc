"""The search-quality metrics are plain arithmetic; hand-worked examples keep them honest."""

import pytest
from bench.search_quality import JUDGED, recall_at, reciprocal_rank


def test_when_one_of_two_relevant_items_is_in_the_top_five_then_recall_is_one_half():
    assert recall_at(["a", "x", "y", "z", "w", "b"], ["a", "b"]) == 0.5


def test_when_the_first_relevant_item_is_third_then_the_reciprocal_rank_is_one_third():
    assert reciprocal_rank(["x", "y", "a", "b"], ["a", "b"]) == pytest.approx(1 / 3)
    assert reciprocal_rank(["x", "y"], ["a"]) == 0.0


def test_when_the_judged_set_is_read_then_it_has_at_least_thirty_queries_of_every_kind():
    kinds = {kind for _query, kind, _relevant in JUDGED}
    assert len(JUDGED) >= 30
    assert kinds == {"bokmål", "nynorsk", "typo"}
    assert all(relevant for _q, _k, relevant in JUDGED)
