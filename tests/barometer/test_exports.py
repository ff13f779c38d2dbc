"""Exports: the figures as CSV and XLSX with hidden figures empty; microdata for the owner only, without ids and
without a breakdown variable that would single out a workplace."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from openpyxl import load_workbook

from nyskap.barometer import services
from nyskap.barometer.exports import kept_variables

from .factories import answer, fielded_round, innovating, not_innovating, workplaces

pytestmark = pytest.mark.django_db

HEALTH = "health_care | municipality | 10-49 | Vestland | 3"
SMALL = "health_care | municipality | 1-9 | Vestland | 3"


def test_kept_variables_stop_where_a_combination_gets_small():
    cells = Counter(
        {("h", "m", "10-49", "V", "3"): 6, ("h", "m", "1-9", "V", "3"): 2, ("e", "m", "10-49", "V", "3"): 5}
    )
    # sector: h = 8, e = 5 → kept; size: (h, 1-9) = 2 → left out; county, centrality: still ≥ 5 → kept
    assert kept_variables(cells, 5) == ["sector", "org_type", "county", "centrality"]


@pytest.fixture
def published(innovator, home_municipality):
    rows = [
        *workplaces(10),
        ("Liten", "health_care", "municipality", "1-9", "Vestland", "3", "l@oygarden.kommune.no", "nb"),
    ]
    round = fielded_round(innovator, home_municipality, rows)
    for i in range(6):
        answer(round, HEALTH, innovating() if i < 4 else not_innovating())
    answer(round, SMALL, innovating())
    services.round_close(actor=innovator, round=round)
    return services.round_publish(actor=innovator, round=round)


def test_microdata_for_the_owner_leave_out_the_size_band(published, as_innovator, as_outsider, anonymous):
    url = f"/barometer/{published.pk}/mikrodata.csv"
    assert as_outsider.get(url).status_code == 404
    assert anonymous.get(url).status_code == 302
    text = as_innovator.get(url).content.decode("utf-8-sig")
    lines = text.splitlines()
    header = lines[0].replace('"', "").split(";")
    assert "size_band" not in header and "sector" in header and "b3_novelty" in header
    assert len(lines) == 8


def test_figures_as_xlsx(published, anonymous):
    response = anonymous.get(f"/barometer/{published.pk}/resultater.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("indicator", "breakdown", "group")
    assert any(row[0] == "innovation_rate" and row[1] == "all" for row in rows)


def test_the_pdf_report_is_made_in_the_background(published, as_outsider):
    from ..helpers import file_via_job

    response = file_via_job(as_outsider, f"/barometer/{published.pk}/resultater.pdf")  # published: anyone signed in
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content]).startswith(b"%PDF")
