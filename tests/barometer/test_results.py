"""A round's indicators from the survey engine's answers: the weighted shares against hand-worked numbers, and
the anonymity attacks of the survey engine (padding, reopening after publication, differencing across overlapping
breakdowns, dominance) as regression tests for the barometer's breakdowns."""

from __future__ import annotations

import datetime
import re

import pytest

from nyskap.barometer import services
from nyskap.barometer.results import round_results
from nyskap.surveys.errors import SurveyError
from nyskap.surveys.models import EmailDomain
from nyskap.surveys.selectors import resolve_token
from nyskap.surveys.services import response_save, round_reopen

from .factories import answer, fielded_round, innovating, not_innovating, workplaces

pytestmark = pytest.mark.django_db

HEALTH = "health_care | municipality | 10-49 | Vestland | 3"
SCHOOL = "education | municipality | 10-49 | Vestland | 3"


def by_key(results, key):
    return next(r for r in results.indicators if r.indicator.key == key)


@pytest.fixture
def round(innovator, home_municipality):
    """Frame: 40 health and 10 school workplaces. Answers: 8 health (6 innovating), 6 school (2 innovating)."""
    rows = workplaces(40) + workplaces(10, "education")
    round = fielded_round(innovator, home_municipality, rows)
    for i in range(8):
        answer(round, HEALTH, innovating() if i < 6 else not_innovating())
    for i in range(6):
        answer(round, SCHOOL, innovating(("product",), "copied") if i < 2 else not_innovating())
    return round


def test_the_innovation_rate_is_post_stratified(round):
    results = round_results(round)
    assert results.respondents == 14
    assert results.weights == {"health_care": 40 / 8, "education": 10 / 6}
    rate = by_key(results, "innovation_rate").overall.share
    # (40 · 6/8 + 10 · 2/6) / 50 = (30 + 3.333) / 50
    assert rate.estimate == pytest.approx((30 + 10 / 3) / 50)
    assert rate.n == 14
    assert rate.n_eff == pytest.approx((40 + 10) ** 2 / (8 * 5**2 + 6 * (10 / 6) ** 2))


def test_novelty_is_a_share_of_the_innovating_units(round):
    results = round_results(round)
    copied = by_key(results, "b3_novelty.copied").overall
    assert copied.n == 8
    # health: 6 inspired (w = 5), school: 2 copied (w = 10/6) → (2 · 10/6) / (6 · 5 + 2 · 10/6)
    assert copied.share.estimate == pytest.approx((20 / 6) / (30 + 20 / 6))


def test_a_breakdown_group_under_the_threshold_and_its_complement_are_hidden(round):
    novelty = by_key(round_results(round), "b3_novelty.copied")
    sectors = {f.group: f for f in novelty.breakdowns["sector"]}
    # 6 health and 2 school answered the item: school is under 5, and health = 8 − 2 would reveal it.
    assert not sectors["education"].shown and not sectors["health_care"].shown


def test_dominance_gives_a_band_not_the_share(round):
    spreading = by_key(round_results(round), "spreading").overall
    assert spreading.share is None and spreading.band == "high"  # all 8 said yes


def test_differencing_across_overlapping_breakdowns_is_blocked(innovator, home_municipality):
    """Vestland has 5 + 5 + 1 respondents, the 1 in another size band. "County Vestland" minus the size bands'
    shown figures would give that one workplace: the cross-breakdown check withdraws a group."""
    rows = workplaces(20) + workplaces(20, "education")
    rows += [("Liten", "health_care", "municipality", "1-9", "Vestland", "3", "liten@oygarden.kommune.no", "nb")]
    round = fielded_round(innovator, home_municipality, rows)
    for _i in range(5):
        answer(round, HEALTH, innovating())
        answer(round, SCHOOL, not_innovating())
    answer(round, "health_care | municipality | 1-9 | Vestland | 3", innovating())
    results = round_results(round)
    rate = by_key(results, "innovation_rate")
    sizes = {f.group: f.shown for f in rate.breakdowns["size_band"]}
    counties = {f.group: f.shown for f in rate.breakdowns["county"]}
    assert not sizes["1-9"]
    assert not (sizes["10-49"] and counties["Vestland"] and rate.overall.shown)


def test_padding_a_small_cell_is_refused_by_the_engine(round):
    """A leader cannot choose the unit of an answer (to pad a cell with made-up answers)."""
    from tests.surveys.factories import invite

    unit = round.survey_round.units.get(name=SCHOOL)
    with pytest.raises(SurveyError):
        response_save(
            access=resolve_token(invite(round.survey_round)), data=not_innovating(), submit=True, unit_id=unit.pk
        )


def test_a_published_round_is_never_reopened(round, innovator):
    services.round_close(actor=innovator, round=round)
    services.round_publish(actor=innovator, round=round)
    round.refresh_from_db()
    with pytest.raises(SurveyError):
        round_reopen(actor=innovator, round=round.survey_round)


def test_once_the_owner_has_seen_a_closed_rounds_figures_it_can_no_longer_be_reopened(round, innovator, as_innovator):
    """Regression: the owner closes the round, reads the figures (before publishing), reopens the engine's round for
    one late answer and reads them again; the difference would be that workplace's answers. Seeing the figures
    freezes the engine's round, as the engine's own results page does."""
    services.round_close(actor=innovator, round=round)
    round.survey_round.refresh_from_db()
    assert not round.survey_round.results_opened
    assert as_innovator.get(f"/barometer/{round.pk}/resultater/").status_code == 200
    round.survey_round.refresh_from_db()
    assert round.survey_round.results_opened and round.survey_round.frozen
    with pytest.raises(SurveyError):
        round_reopen(actor=innovator, round=round.survey_round)
    round.survey_round.refresh_from_db()
    assert round.survey_round.closed_early


@pytest.mark.parametrize("path", ["resultater.csv", "resultater.xlsx", "mikrodata.csv"])
def test_the_exports_of_a_closed_round_freeze_it_too(round, innovator, as_innovator, path):
    services.round_close(actor=innovator, round=round)
    assert as_innovator.get(f"/barometer/{round.pk}/{path}").status_code == 200
    round.survey_round.refresh_from_db()
    assert round.survey_round.results_opened


def test_a_closed_round_under_the_threshold_showed_nothing_and_may_still_be_reopened(
    innovator, home_municipality, as_innovator
):
    round = fielded_round(innovator, home_municipality, workplaces(12))
    for _i in range(3):
        answer(round, HEALTH, innovating())
    services.round_close(actor=innovator, round=round)
    page = as_innovator.get(f"/barometer/{round.pk}/resultater/")
    assert page.status_code == 200 and not re.search(r"\d+–\d+ %", page.content.decode())  # no interval anywhere
    microdata = as_innovator.get(f"/barometer/{round.pk}/mikrodata.csv").content.decode("utf-8-sig")
    assert len(microdata.splitlines()) == 1  # the header only: 3 answers are under the threshold of 5
    round.survey_round.refresh_from_db()
    assert not round.survey_round.results_opened
    round_reopen(actor=innovator, round=round.survey_round)
    round.survey_round.refresh_from_db()
    assert not round.survey_round.closed_early


def test_each_factor_has_a_promoted_and_a_hindered_share(innovator, home_municipality):
    """§1.5: promoting and hindering factors. On the 1–6 scale 4–6 promoted and 1–3 hindered; "don't know" counts
    for neither. 8 answers: 6, 5, 4, 4 promoted; 2, 1, 3 hindered; one don't know → 4/7 and 3/7 (one stratum)."""
    round = fielded_round(innovator, home_municipality, workplaces(12))
    for point in ("6", "5", "4", "4", "2", "1", "dk", "3"):
        answer(round, HEALTH, not_innovating() | {"b7_new_technology": point})
    results = round_results(round)
    promoted = by_key(results, "b7_new_technology.promoted")
    hindered = by_key(results, "b7_new_technology.hindered")
    assert (promoted.overall.n, hindered.overall.n) == (7, 7)
    assert promoted.overall.share.estimate == pytest.approx(4 / 7)
    assert hindered.overall.share.estimate == pytest.approx(3 / 7)
    assert promoted.label == "New technology: promoted" and hindered.label == "New technology: hindered"


def test_the_latest_innovations_shares_are_over_the_workplaces_that_introduced_one(innovator, home_municipality):
    """§1.5: novelty shares over innovating units. Five innovating workplaces say "inspired and adapted"; two that
    introduced nothing still answer "copied" (the engine has no skip logic): they are not counted."""
    round = fielded_round(innovator, home_municipality, workplaces(12))
    for _i in range(5):
        answer(round, HEALTH, innovating(novelty="inspired_adapted"))
    for _i in range(2):
        answer(round, HEALTH, not_innovating() | {"b3_novelty": "copied", "b7_new_technology": "5"})
    results = round_results(round)
    copied = by_key(results, "b3_novelty.copied").overall
    assert copied.n == 5 and copied.share is None and copied.band == "low"  # 0 of 5 innovating copied
    assert by_key(results, "b3_novelty.inspired_adapted").overall.n == 5
    assert by_key(results, "evaluation_rate").overall.n == 5
    assert by_key(results, "b7_new_technology.promoted").overall.n == 2  # the factors: whoever rated them


def test_a_strategic_round_has_the_strategic_questionnaires_indicators(innovator, home_municipality):
    """A round of the strategic questionnaire is counted on its own items, never shown an operative figure (its
    administrations are not asked b1, so an "innovation rate" would read 0 %). 7 answers: 5 with a strategy, 2
    without; top management facilitates 5, 4, 4, 2, 1, 3, "don't know" → 3 of 6 agree."""
    from .factories import barometer_round, frame_csv

    EmailDomain.objects.get_or_create(organisation=home_municipality, domain="oygarden.kommune.no")
    services.load_questionnaires()
    round = barometer_round(innovator, home_municipality, kind="strategic")
    services.frame_upload(actor=innovator, round=round, upload=frame_csv(workplaces(12)), filename="f.csv")
    services.sample_draw(actor=innovator, round=round, size=None, seed=1)
    services.fieldwork_start(actor=innovator, round=round, closes_on=datetime.date(2026, 12, 15))
    round.refresh_from_db()
    for strategy, facilitates in zip("yyyyynn", ("5", "4", "4", "2", "1", "3", "dk"), strict=True):
        answer(round, HEALTH, {"s1_strategy": "yes" if strategy == "y" else "no", "s1_facilitates": facilitates})
    results = round_results(round)
    keys = {r.indicator.key for r in results.indicators}
    assert "innovation_rate" not in keys and "s4_new_technology.hindered" in keys
    strategy = by_key(results, "s1_strategy.yes").overall
    assert strategy.n == 7 and strategy.share.estimate == pytest.approx(5 / 7)
    agree = by_key(results, "s1_facilitates.agree").overall
    assert agree.n == 6 and agree.share.estimate == pytest.approx(3 / 6)
