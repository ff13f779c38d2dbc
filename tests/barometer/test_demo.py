from __future__ import annotations

import pytest

from nyskap.barometer.demo import build
from nyskap.barometer.models import RoundStatus
from nyskap.barometer.results import round_results

pytestmark = pytest.mark.django_db


def test_the_synthetic_round_is_labelled_and_published_with_figures(innovator, home_municipality):
    round = build(actor=innovator, owner=home_municipality, workplaces=120, sample=80)
    assert round.synthetic and "ikke ekte" in round.title
    assert round.status == RoundStatus.PUBLISHED
    results = round_results(round)
    assert results is not None and results.respondents > 30
    rate = next(r for r in results.indicators if r.indicator.key == "innovation_rate")
    assert rate.overall.shown
    assert any(f.shown for f in rate.breakdowns["sector"])


def test_the_owners_workplaces_in_vestland_have_their_own_figures(innovator, home_municipality):
    from nyskap.barometer.results import organisation_results

    round = build(actor=innovator, owner=home_municipality, workplaces=120, sample=80)
    results = round_results(round)
    found = organisation_results(round, results, home_municipality.pk)
    assert found.shown and found.respondents is not None and found.respondents >= 5
    rate = next(figure for result, figure in found.indicators if result.indicator.key == "innovation_rate")
    assert rate.shown
