"""The search-quality metrics are plain arithmetic; hand-worked examples keep them honest. The judged set itself is
checked for shape: enough queries of every kind, a third kept aside, every project it names real."""

import json
from collections import Counter
from pathlib import Path

import pytest
from bench.search_quality import GROUPS, TITLE_QUERIES, judged, recall_at, reciprocal_rank, score

CASES = Path(__file__).resolve().parents[2] / "src" / "nyskap" / "projects" / "data" / "white_paper_cases.json"


def test_when_one_of_two_relevant_items_is_in_the_top_five_then_recall_is_one_half():
    assert recall_at(["a", "x", "y", "z", "w", "b"], ["a", "b"]) == 0.5


def test_when_the_first_relevant_item_is_third_then_the_reciprocal_rank_is_one_third():
    assert reciprocal_rank(["x", "y", "a", "b"], ["a", "b"]) == pytest.approx(1 / 3)
    assert reciprocal_rank(["x", "y"], ["a"]) == 0.0


def test_when_queries_are_scored_then_groups_and_zero_results_are_counted():
    results = {"a b": ["a", "x"], "c": []}
    report = score(lambda query: results[query], [("a b", ["sentence"], ["a"]), ("c", ["keyword"], ["c"])])
    assert report["queries"] == 2 and report["recall_at_5"] == 0.5 and report["mrr"] == 0.5
    assert report["zero_results"] == 1
    assert report["by_group"]["keyword"] == {"queries": 1, "recall_at_5": 0.0, "mrr": 0.0, "zero_results": 1}


def test_when_the_judged_set_is_read_then_every_group_is_large_enough_and_a_third_is_kept_aside():
    rows = judged()
    assert len(rows) >= 150
    counts = Counter(group for row in rows for group in row["groups"])
    assert counts["sentence"] >= 50
    assert all(counts[group] >= 25 for group in GROUPS)
    for group in GROUPS:
        in_group = [row for row in rows if group in row["groups"]]
        share = sum(1 for row in in_group if row["split"] == "test") / len(in_group)
        assert 0.28 <= share <= 0.4, group
    slugs = {case["case_key"] for case in json.loads(CASES.read_text(encoding="utf-8"))["cases"]}
    assert all(row["relevant"] and set(row["relevant"]) <= slugs for row in rows)
    assert len(TITLE_QUERIES) >= 30


def test_the_benchmarks_p95_is_the_nearest_rank_and_never_below_the_median():
    from bench.common import percentiles

    assert percentiles([10.0, 20.0])["p95_ms"] == 20.0
    assert percentiles([float(n) for n in range(1, 301)])["p95_ms"] == 285.0
    assert percentiles([float(n) for n in range(1, 21)])["p95_ms"] == 19.0
    assert percentiles([5.0])["p95_ms"] == 5.0
