"""An organisation's own workplaces in a published round: aggregates only, with the public results' rules, and the
attacks of a curious leader — too few answers, and differencing its own aggregate against the public breakdown."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nyskap.barometer import services
from nyskap.barometer.results import organisation_results, round_results

from .factories import answer, fielded_round, innovating, not_innovating, workplaces

pytestmark = pytest.mark.django_db

CELL = "health_care | municipality | 10-49 | Vestland | 3"
OTHER = "education | municipality | 10-49 | Nordland | 5"


def own_rows(organisation, count):
    return [
        (*row[:6], f"eigen{i}@oygarden.kommune.no", row[7], organisation.slug)
        for i, row in enumerate(workplaces(count))
    ]


def published(innovator, home_municipality, own_answers, others_in_cell, own_yes=3):
    """8 workplaces of the home municipality (health, Vestland), ``others_in_cell`` more in the same cell without an
    organisation, and 10 in Nordland. ``own_answers`` of the municipality's answer, ``own_yes`` of them innovating;
    every other workplace answers, every second one innovating."""
    rows = own_rows(home_municipality, 8)
    rows += [(f"annen {i}", *row[1:6], f"annen{i}@oygarden.kommune.no", "nb") for i, row in
             enumerate(workplaces(others_in_cell))]  # fmt: skip
    rows += workplaces(10, "education", "Nordland")
    rows = [(*row[:5], "5" if row[4] == "Nordland" else row[5], *row[6:]) for row in rows]
    round = fielded_round(innovator, home_municipality, rows, strata=("sector",))
    own_unit = f"{CELL} | org:{home_municipality.pk}"
    for i in range(own_answers):
        answer(round, own_unit, innovating() if i < own_yes else not_innovating())
    for i in range(others_in_cell):
        answer(round, CELL, innovating() if i % 2 == 0 else not_innovating())
    for i in range(10):
        answer(round, OTHER, innovating() if i % 2 == 0 else not_innovating())
    services.round_close(actor=innovator, round=round)
    services.round_publish(actor=innovator, round=round)
    round.refresh_from_db()
    return round


def own(round, organisation):
    return organisation_results(round, round_results(round), organisation.pk)


def rate(found):
    return next(figure for result, figure in found.indicators if result.indicator.key == "innovation_rate")


def test_the_organisations_workplaces_get_a_unit_of_their_own_only_with_enough_in_the_sample(
    innovator, home_municipality
):
    round = fielded_round(innovator, home_municipality, own_rows(home_municipality, 5) + workplaces(3))
    names = set(round.survey_round.units.values_list("name", flat=True))
    assert names == {CELL, f"{CELL} | org:{home_municipality.pk}"}
    few = fielded_round(innovator, home_municipality, own_rows(home_municipality, 4) + workplaces(3))
    assert set(few.survey_round.units.values_list("name", flat=True)) == {CELL}


def test_five_answering_workplaces_get_their_aggregate(innovator, home_municipality):
    round = published(innovator, home_municipality, own_answers=5, others_in_cell=6, own_yes=3)
    found = own(round, home_municipality)
    assert found.shown and found.respondents == 5
    figure = rate(found)
    # One stratum (health), one weight: the municipality's 3 of 5 innovating.
    assert figure.n == 5 and figure.share.estimate == pytest.approx(3 / 5)
    assert figure.share.n_eff == pytest.approx(5)


def test_four_answering_workplaces_get_no_figure(innovator, home_municipality):
    round = published(innovator, home_municipality, own_answers=4, others_in_cell=6)
    found = own(round, home_municipality)
    assert not found.shown and found.respondents is None
    assert all(not figure.shown for _result, figure in found.indicators)


def test_its_own_aggregate_minus_the_public_breakdown_would_tell_one_workplace(innovator, home_municipality):
    """Vestland (and health) publish 5 + 1 answers; the municipality's own 5 would leave the sixth workplace's
    answer as the difference: its figure is withheld, though it has five answers."""
    round = published(innovator, home_municipality, own_answers=5, others_in_cell=1)
    public = round_results(round)
    counties = {
        f.group: f
        for f in next(r for r in public.indicators if r.indicator.key == "innovation_rate").breakdowns["county"]
    }
    assert counties["Vestland"].shown and counties["Vestland"].n == 6  # the public figure is there to subtract from
    found = own(round, home_municipality)
    assert not found.shown and all(not figure.shown for _result, figure in found.indicators)


def test_the_page_for_a_member_an_outsider_and_anonymous(
    innovator, home_municipality, colleague, as_colleague, as_outsider, anonymous
):
    round = published(innovator, home_municipality, own_answers=5, others_in_cell=6, own_yes=3)
    url = f"/barometer/{round.pk}/resultater/egne/"
    results = as_colleague.get(f"/barometer/{round.pk}/resultater/").content.decode()
    assert f'href="{url}"' in results
    page = as_colleague.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Øygarden kommune" in text and "5 av arbeidsplassene svarte." in text
    assert '<td class="num">5</td><td class="num">60 %</td>' in text
    assert as_outsider.get(url).status_code == 404
    assert f'href="{url}"' not in as_outsider.get(f"/barometer/{round.pk}/resultater/").content.decode()
    response = anonymous.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login") + "?next=")


def test_an_unpublished_round_has_no_page_for_the_organisation(innovator, home_municipality, as_colleague, colleague):
    round = fielded_round(innovator, home_municipality, own_rows(home_municipality, 5))
    assert as_colleague.get(f"/barometer/{round.pk}/resultater/egne/").status_code == 404


def test_two_organisations_together_cannot_tell_a_workplace_either(innovator, home_municipality, other_municipality):
    """Vestland's health workplaces: 5 of the home municipality, 5 of another, 1 of neither. Each alone leaves 6
    outside it, but the two leaders comparing notes (or a member of both) would have the eleventh's answer: the
    organisations are decided together, so not both are shown."""
    rows = own_rows(home_municipality, 5)
    rows += [(*row[:6], f"andre{i}@oygarden.kommune.no", row[7], other_municipality.slug) for i, row in
             enumerate(workplaces(5))]  # fmt: skip
    rows += [("annen", *workplaces(1)[0][1:6], "annen@oygarden.kommune.no", "nb")]
    rows += workplaces(10, "education", "Nordland")
    round = fielded_round(innovator, home_municipality, rows)
    for organisation in (home_municipality, other_municipality):
        for i in range(5):
            answer(round, f"{CELL} | org:{organisation.pk}", innovating() if i < 3 else not_innovating())
    answer(round, CELL, innovating())
    for i in range(10):
        answer(round, "education | municipality | 10-49 | Nordland | 3", innovating() if i % 2 else not_innovating())
    services.round_close(actor=innovator, round=round)
    services.round_publish(actor=innovator, round=round)
    shown = [own(round, organisation).shown for organisation in (home_municipality, other_municipality)]
    assert shown.count(True) == 1
