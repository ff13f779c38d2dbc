"""The evaluation's numbers, worked by hand."""

from __future__ import annotations

import hashlib

from nyskap.challenges import calculations


def test_weights_must_add_up_to_100():
    assert calculations.weights_problem([60, 40]) == ""
    assert calculations.weights_problem([60, 30]) == "The weights must add up to 100."
    assert calculations.weights_problem([]) == "Add at least one criterion."
    assert calculations.weights_problem([120, -20]) == "A weight is a percentage from 0 to 100."


def test_weighted_total_hand_worked():
    # Criteria: quality (id 1) 60 %, price (id 2) 40 %.
    # Evaluator A: quality 8, price 6; evaluator B: quality 6, price 10.
    # Averages: quality 7, price 8 → 0.6 × 7 + 0.4 × 8 = 4.2 + 3.2 = 7.4.
    weights = {1: 60, 2: 40}
    assert calculations.weighted_total(weights, [(1, 8), (2, 6), (1, 6), (2, 10)]) == 7.4
    # Only quality scored (9): price counts as 0 → 5.4.
    assert calculations.weighted_total(weights, [(1, 9)]) == 5.4
    assert calculations.weighted_total(weights, []) is None


def test_ranking_shares_ranks_and_puts_unscored_last():
    ranked = calculations.ranking({10: 7.4, 11: 8.0, 12: 7.4, 13: None, 14: 2.0})
    assert [(r.proposal, r.rank) for r in ranked] == [(11, 1), (10, 2), (12, 2), (14, 4), (13, None)]


def test_receipt_hash_covers_text_and_attachment():
    expected = hashlib.sha256(b"Forslag\x00PDF").hexdigest()
    assert calculations.receipt_hash("Forslag", b"PDF") == expected
    assert calculations.receipt_hash("Forslag", b"PDF2") != expected
    assert calculations.receipt_hash("Forslag") == hashlib.sha256(b"Forslag\x00").hexdigest()


def test_budget_rules():
    assert calculations.budget_problem(-1, 10) == ("budget_min", "The budget cannot be negative.")
    assert calculations.budget_problem(10, 5)[0] == "budget_max"
    assert calculations.budget_problem(5, 10) == ("", "")
    assert calculations.budget_problem(None, None) == ("", "")
