"""The national figure on the trends page: a weighted average of the latest published municipal and state rounds'
own figures with stated, configurable weights, its interval and its source, against a hand-worked example."""

from __future__ import annotations

import pytest

from nyskap.barometer import services
from nyskap.barometer.trends import national

from .factories import answer, fielded_round, innovating, not_innovating, workplaces

pytestmark = pytest.mark.django_db


def published(actor, owner, sector, frame, innovators, others):
    round = fielded_round(actor, owner, workplaces(frame, sector))
    for i in range(innovators + others):
        answer(
            round,
            f"{sector} | municipality | 10-49 | Vestland | 3",
            innovating() if i < innovators else not_innovating(),
        )
    services.round_close(actor=actor, round=round)
    services.round_publish(actor=actor, round=round)
    round.refresh_from_db()
    return round


@pytest.fixture
def rounds(innovator, home_municipality):
    """Municipal: all 10 health workplaces answer, 6 innovate (p = 0.6, n_eff = 10). State: all 5 state workplaces
    answer, 4 innovate (p = 0.8, n_eff = 5). One stratum each, so every weight is equal and n_eff = n."""
    municipal = published(innovator, home_municipality, "health_care", 10, 6, 4)
    state = published(innovator, home_municipality, "state", 5, 4, 1)
    return municipal, state


def test_the_national_figure_with_configured_weights_is_the_hand_worked_one(rounds, settings):
    settings.BAROMETER_NATIONAL_WEIGHTS = {"municipal": 3, "state": 1}
    municipal, state = rounds
    found = national("operative")
    assert found.municipal == municipal and found.state == state
    assert found.weights == {"municipal": 0.75, "state": 0.25}
    rate = next(row for row in found.rows if row.key == "innovation_rate")
    share = rate.national.share
    # p = 0.75 · 0.6 + 0.25 · 0.8 = 0.65
    assert share.estimate == pytest.approx(0.65)
    # variance = 0.75² · 0.6 · 0.4 / 10 + 0.25² · 0.8 · 0.2 / 5 = 0.0135 + 0.002 = 0.0155; n_eff = 0.65 · 0.35 / 0.0155
    assert share.n_eff == pytest.approx(0.2275 / 0.0155)  # 14.677…
    assert share.n == 15
    # Wilson on n_eff = 14.677 with z = 1.96: (0.65 + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n)
    assert share.low == pytest.approx(0.399432, abs=1e-6)
    assert share.high == pytest.approx(0.838338, abs=1e-6)


def test_the_trends_page_states_weights_interval_and_source(rounds, anonymous):
    page = anonymous.get("/barometer/utvikling/").content.decode()  # bokmål, default weights 2/3 and 1/3
    section = page[page.index('id="national-heading"') : page.index("</section>", page.index('id="national-heading"'))]
    assert "67 % vekt på kommunal sektor, 33 % på staten" in section
    assert "Kilde: Nyskaps beregning fra de publiserte rundene «Barometer 2026» (2026, kommunal sektor)" in section
    # p = 2/3 · 0.6 + 1/3 · 0.8 = 0.667; n_eff = p(1 − p) / (4/9 · 0.024 + 1/9 · 0.032) = 15.6, capped at n = 15;
    # Wilson on 15: 42–85 %.
    row = section[section.index("Andel med innovasjon</th>") :]
    row = row[: row.index("</tr>")]
    assert row == (
        'Andel med innovasjon</th><td class="num">60 %</td><td class="num">80 %</td>'
        '<td class="num">15</td><td class="num">67 %</td><td class="num">42–85 %</td>'
    )
    assert "<svg" in section and "Nasjonalt tall: andel med innovasjon og typer" in section


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("nn", "67 % vekt på kommunal sektor, 33 % på staten"),
        ("en", "67 % weight on the municipal sector, 33 % on the state"),
    ],
)
def test_the_national_figure_in_nynorsk_and_english(rounds, anonymous, language, text):
    anonymous.cookies["django_language"] = language
    page = anonymous.get("/barometer/utvikling/").content.decode()
    assert text in page


def test_no_national_figure_without_a_state_round(innovator, home_municipality, anonymous):
    published(innovator, home_municipality, "health_care", 10, 6, 4)
    assert national("operative") is None
    assert 'id="national-heading"' not in anonymous.get("/barometer/utvikling/").content.decode()
