"""Trends over rounds: the published rounds of one questionnaire kind side by side, each point the round's own
published figure (n, weighted share, interval; hidden where its results page hides it), the published national and
Nordic figures beside them; never a round that is not published."""

from __future__ import annotations

import datetime

import pytest

from nyskap.barometer import services
from nyskap.barometer.models import Round
from nyskap.barometer.results import round_results
from nyskap.barometer.trends import trends

from .factories import answer, fielded_round, innovating, not_innovating, workplaces

pytestmark = pytest.mark.django_db

HEALTH = "health_care | municipality | 10-49 | Vestland | 3"


def published(actor, owner, title: str, year: int, innovators: int, others: int, publish: bool = True) -> Round:
    """A round over the same frame of 12 health workplaces, answered by ``innovators`` + ``others`` managers."""
    round = fielded_round(actor, owner, workplaces(12))
    Round.objects.filter(pk=round.pk).update(
        title=title, period_start=datetime.date(year - 2, 1, 1), period_end=datetime.date(year, 12, 31)
    )
    round.refresh_from_db()
    for i in range(innovators + others):
        answer(round, HEALTH, innovating() if i < innovators else not_innovating())
    services.round_close(actor=actor, round=round)
    if publish:
        services.round_publish(actor=actor, round=round)
    round.refresh_from_db()
    return round


def rate_table(page: str) -> str:
    start = page.index('<caption id="trend-1-caption">')
    return page[start : page.index("</table>", start)]


def test_two_published_rounds_side_by_side_with_exact_figures_and_the_published_series(
    innovator, home_municipality, anonymous
):
    published(innovator, home_municipality, "Runde 2024", 2024, innovators=4, others=2)
    published(innovator, home_municipality, "Runde 2026", 2026, innovators=6, others=2)
    page = anonymous.get("/barometer/utvikling/")  # in bokmål, the site's language
    assert page.status_code == 200
    table = rate_table(page.content.decode())
    # Earlier round first: 4 of 6 (67 %, Wilson 30–90 %), then 6 of 8 (75 %, Wilson 41–93 %).
    assert table.index("Runde 2024 (2024)") < table.index("Runde 2026 (2026)")
    assert '<td class="num">6</td><td class="num">67 %</td><td class="num">30–90 %</td>' in table
    assert '<td class="num">8</td><td class="num">75 %</td><td class="num">41–93 %</td>' in table
    # The published comparison series beside them, with source and year.
    assert "Kommunal sektor (KS Innovasjonsbarometeret 2020" in table and "74 %" in table
    assert "Danmark (CO-PI" in table and "83 %" in table
    # The chart (core/charts) with its data table and CSV download.
    content = page.content.decode()
    assert "<svg" in content and "format=csv" in content
    csv = anonymous.get("/barometer/utvikling/?diagram=andel-med-innovasjon&format=csv")
    assert csv.status_code == 200
    text = csv.content.decode()
    assert '"Runde 2024 (2024)";"67"\r\n"Runde 2026 (2026)";"75"\r\n"Kommunal sektor (2020)";"74"' in text
    assert text.startswith("\ufeff")
    comma = anonymous.get("/barometer/utvikling/?diagram=andel-med-innovasjon&format=csv&sep=comma").content.decode()
    assert comma.startswith("\ufeff")
    assert '"Runde 2024 (2024)","67"\r\n"Runde 2026 (2026)","75"\r\n"Kommunal sektor (2020)","74"' in comma


def test_only_published_rounds_appear_for_an_anonymous_visitor_and_an_outsider(
    innovator, home_municipality, anonymous, as_outsider
):
    published(innovator, home_municipality, "Publisert runde", 2024, innovators=4, others=2)
    published(innovator, home_municipality, "Avsluttet runde", 2026, innovators=5, others=1, publish=False)
    fielding = fielded_round(innovator, home_municipality, workplaces(12))
    Round.objects.filter(pk=fielding.pk).update(title="Runde i felt")
    for client in (anonymous, as_outsider):
        content = client.get("/barometer/utvikling/").content.decode()
        assert "Publisert runde" in content
        assert "Avsluttet runde" not in content and "Runde i felt" not in content
    assert anonymous.get("/barometer/utvikling/?kind=nonsense").status_code == 404
    assert anonymous.get("/barometer/utvikling/?kind=strategic").status_code == 200


def test_overview_and_a_results_page_link_to_the_trends(innovator, home_municipality, anonymous):
    round = published(innovator, home_municipality, "Publisert runde", 2024, innovators=4, others=2)
    assert 'href="/barometer/utvikling/"' in anonymous.get("/barometer/").content.decode()
    results = anonymous.get(f"/barometer/{round.pk}/resultater/").content.decode()
    assert 'href="/barometer/utvikling/?kind=operative"' in results


def test_differencing_over_time_a_figure_the_round_hides_stays_hidden_in_the_trend(
    innovator, home_municipality, anonymous
):
    """Regression: two published rounds over the same frame, the first with 4 answers (below the threshold of 5,
    hidden on its results page), the second with the same 4 and two more. Had the trend counted the first round's
    answers itself (4 of 4, 100 %), subtracting it from the second would tell how the two new workplaces answered.
    Every point is the round's own published figure, so the first stays hidden."""
    first = published(innovator, home_municipality, "Runde 2024", 2024, innovators=4, others=0)
    second = published(innovator, home_municipality, "Runde 2026", 2026, innovators=5, others=1)
    _rounds, found = trends()
    for trend in found:
        for point, round in zip(trend.points, (first, second), strict=True):
            results = round_results(round)
            assert results is not None
            own = next(r for r in results.indicators if r.indicator.key == trend.key).overall
            assert point.figure == own  # exactly what the round's results page shows
    rate = next(t for t in found if t.key == "innovation_rate")
    assert rate.points[0].figure is not None and not rate.points[0].figure.shown
    assert [p.round for p in rate.shown] == [second]
    table = rate_table(anonymous.get("/barometer/utvikling/").content.decode())
    first_row = table[table.index("Runde 2024 (2024)") : table.index("</tr>", table.index("Runde 2024 (2024)"))]
    assert "skjult (for få svar)" in first_row and "%" not in first_row
    assert "100 %" not in table
