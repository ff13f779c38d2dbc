"""A round's results: figures against hand-worked numbers, suppression of small and derivable units, change since
the last round, maturity and suggestions; and the pages, PDF and XLSX for leaders only."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from nyskap.core.jobs.models import BackgroundJob
from nyskap.culture.results import round_results
from nyskap.surveys.calculations import mean_interval, moments, welch_difference
from nyskap.surveys.models import Round

from ..helpers import file_via_job
from .factories import answer_all, close, culture_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def units_round(innovator, home_municipality):
    """Two units of 6 and 4 under a total of 10, threshold 5."""
    round = culture_round(actor=innovator, organisation=home_municipality, units=["Helse", "Skole"])
    health, school = round.units.all()
    for value in [4, 4, 5, 3, 4, 5]:
        answer_all(round, value, unit=health)
    for value in [2, 3, 2, 3]:
        answer_all(round, value, unit=school)
    return close(round)


def test_when_units_of_6_and_4_make_10_then_the_total_is_shown_and_both_units_hidden(units_round):
    results = round_results(units_round)
    assert results.total_shown is True
    assert results.respondents == 10
    assert results.unit_respondents == [("Helse", None), ("Skole", None)]
    for dimension in results.dimensions:
        assert dimension.total.shown is True
        assert [figures.shown for _name, figures in dimension.units] == [False, False]
        assert all(figures.mean is None and figures.n is None for _name, figures in dimension.units)


def test_when_the_figures_are_computed_then_they_match_the_hand_worked_numbers(units_round):
    results = round_results(units_round)
    curiosity = results.dimensions[0]
    values = [4, 4, 5, 3, 4, 5, 2, 3, 2, 3]
    expected = mean_interval(moments(values))
    assert curiosity.total.n == 10
    assert curiosity.total.mean.estimate == pytest.approx(3.5)
    assert (round(curiosity.total.mean.low, 4), round(curiosity.total.mean.high, 4)) == (
        round(expected.low, 4),
        round(expected.high, 4),
    )
    # agreeing: scores ≥ 4 → 4, 4, 5, 4, 5 = 5 of 10
    assert curiosity.total.agree.estimate == 0.5
    assert [(p, c) for p, _label, c, _s in curiosity.distribution] == [(1, 0), (2, 8), (3, 12), (4, 12), (5, 8)]
    assert curiosity.dont_know == 0
    assert curiosity.level == 3  # 3.5 is "established"
    assert results.overall_level == 3


def test_when_a_unit_has_enough_and_the_rest_too_then_units_are_shown(innovator, home_municipality):
    round = culture_round(actor=innovator, organisation=home_municipality, units=["Helse", "Skole"])
    health, school = round.units.all()
    for value in [3, 4, 4, 4, 5]:
        answer_all(round, value, unit=health)
    for value in [2, 2, 2, 2, 3]:
        answer_all(round, value, unit=school)
    results = round_results(close(round))
    assert results.unit_respondents == [("Helse", 5), ("Skole", 5)]
    assert [f.mean.estimate for _n, f in results.dimensions[0].units] == [4.0, 2.2]


def test_when_dont_know_lowers_one_dimension_under_the_threshold_then_only_that_figure_is_hidden(
    innovator, home_municipality
):
    round = culture_round(actor=innovator, organisation=home_municipality)
    trust = {f"trust-{i}": "dk" for i in range(1, 5)}
    for index in range(5):
        answer_all(round, 4, overrides=trust if index == 0 else None)
    results = round_results(close(round))
    by_key = {d.key: d for d in results.dimensions}
    assert by_key["trust"].total.shown is False
    assert by_key["curiosity"].total.n == 5
    assert by_key["trust"].level is None
    assert results.overall_level is None


def test_when_fewer_than_the_threshold_answered_then_nothing_is_shown(innovator, home_municipality):
    round = culture_round(actor=innovator, organisation=home_municipality)
    for value in [1, 5, 3, 4]:
        answer_all(round, value)
    results = round_results(close(round))
    assert results.total_shown is False
    assert all(not d.total.shown and d.distribution == [] for d in results.dimensions)
    assert results.weakest == []


def test_when_there_was_an_earlier_round_then_the_change_has_a_welch_interval(innovator, home_municipality):
    earlier = culture_round(actor=innovator, organisation=home_municipality, title="Kultur 2025")
    for value in [2, 3, 2, 3, 3]:
        answer_all(earlier, value)
    # The earlier round ran in October.
    Round.objects.filter(pk=earlier.pk).update(
        opens_on=datetime.date(2026, 10, 1), closes_on=datetime.date(2026, 10, 10)
    )
    later = culture_round(actor=innovator, organisation=home_municipality)
    for value in [4, 4, 5, 3, 4]:
        answer_all(later, value)
    results = round_results(close(later))
    assert results.previous.pk == earlier.pk
    change = results.dimensions[0].change
    expected = welch_difference(moments([4, 4, 5, 3, 4]), moments([2, 3, 2, 3, 3]))
    assert change.estimate == pytest.approx(1.4)
    assert (round(change.low, 4), round(change.high, 4)) == (round(expected.low, 4), round(expected.high, 4))
    assert change.significant is True


def test_the_two_weakest_dimensions_get_suggested_practices(innovator, home_municipality):
    round = culture_round(actor=innovator, organisation=home_municipality)
    # Varied answers (a unanimous dimension would be banded, without a mean): trust 1.6, learning 2.6, others 3.8.
    for index, value in enumerate([3, 4, 5, 4, 3]):
        low = {f"trust-{i}": str(2 - index % 2) for i in range(1, 5)}
        low |= {f"learn-{i}": str(3 - index % 2) for i in range(1, 5)}
        answer_all(round, value, overrides=low)
    results = round_results(close(round))
    assert [d.key for d in results.weakest] == ["trust", "learn"]
    assert results.weakest[0].suggestions[0].startswith("Agree explicitly which risks you accept")


@pytest.mark.parametrize("client_name", ["as_outsider", "as_colleague"])
def test_when_a_non_leader_opens_the_results_or_reports_then_they_are_not_found(request, client_name, units_round):
    client = request.getfixturevalue(client_name)
    for suffix in ["", "rapport.pdf", "rapport.xlsx"]:
        assert client.get(f"/kultur/resultater/{units_round.pk}/{suffix}").status_code == 404


def test_when_anonymous_opens_the_results_then_login_is_required(units_round):
    response = Client().get(f"/kultur/resultater/{units_round.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_when_a_leader_opens_the_results_then_the_total_is_shown_and_the_units_are_hidden(as_leader, units_round):
    as_leader.cookies["django_language"] = "en"
    html = as_leader.get(f"/kultur/resultater/{units_round.pk}/").content.decode()
    assert "10 respondents." in html
    assert "3.50 (" in html
    # Each hidden unit says why: the school has 4 answers, fewer than 5; the health unit has 6, but 10 − 6 = 4
    # would give the school's figures away.
    hidden = "Hidden so that a smaller unit cannot be worked out"
    assert html.count(f'<td class="num">{hidden}</td><td class="num">Fewer than 5 answers</td>') == 7
    assert "<svg" in html
    assert "Culture for innovation, version 1" in html


def test_when_units_are_hidden_then_the_bokmal_page_says_why_for_each(as_leader, units_round):
    html = as_leader.get(f"/kultur/resultater/{units_round.pk}/").content.decode()
    row = re.search(r'id="results-body-table-3".*?<tbody>\s*<tr>(.*?)</tr>', html, re.S)
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row[1])
    assert cells == ["Skjult så en mindre enhet ikke kan regnes ut", "Færre enn 5 svar"]
    assert "Too few" not in html and "For få" not in html
    # The answers table's headings are distinct.
    headings = re.search(r'id="distribution-1">.*?<thead>(.*?)</thead>', html, re.S)
    assert headings is not None
    assert re.findall(r"<th[^>]*>(.*?)</th>", headings[1]) == ["Svaralternativ", "Antall svar", "Andel av svarene"]


def test_when_a_leader_downloads_the_xlsx_then_the_hidden_units_have_no_numbers(as_leader, units_round):
    response = as_leader.get(f"/kultur/resultater/{units_round.pk}/rapport.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    summary = list(workbook.worksheets[0].values)
    curiosity = summary[6]
    assert curiosity[1:3] == (10, 3.5)
    units = list(workbook.worksheets[2].values)
    assert all(row[2] is None and row[3] is None for row in units[1:])
    assert len(units) == 1 + 7 * 2


SUMMARY_HEADERS = {
    "en": (
        "Dimension",
        "Respondents",
        "Mean",
        "95 % CI low",
        "95 % CI high",
        "Share agreeing",
        "Share CI low",
        "Share CI high",
        "Maturity level",
        "Change since last round",
        "Change CI low",
        "Change CI high",
        "Band",
    ),
    "nb": (
        "Dimensjon",
        "Respondenter",
        "Gjennomsnitt",
        "95 % KI nedre",
        "95 % KI øvre",
        "Andel enige",
        "Andel KI nedre",
        "Andel KI øvre",
        "Modenhetsnivå",
        "Endring siden forrige runde",
        "Endring KI nedre",
        "Endring KI øvre",
        "Nivå",
    ),
}
OTHER_HEADERS = {
    "en": {
        "sheets": ["Dimensions", "Distribution", "Units", "Invited per unit", "Anonymity"],
        "Distribution": ("Dimension", "Answer option", "Number of answers", "Share of answers"),
        "Units": ("Unit", "Dimension", "Respondents", "Mean", "95 % CI low", "95 % CI high", "Band"),
        "Invited per unit": ("Unit", "Invited", "Answered"),
    },
    "nb": {
        "sheets": ["Dimensjoner", "Fordeling", "Enheter", "Invitert per enhet", "Anonymitet"],
        "Fordeling": ("Dimensjon", "Svaralternativ", "Antall svar", "Andel av svarene"),
        "Enheter": ("Enhet", "Dimensjon", "Respondenter", "Gjennomsnitt", "95 % KI nedre", "95 % KI øvre", "Nivå"),
        "Invitert per enhet": ("Enhet", "Invitert", "Svart"),
    },
}


@pytest.mark.parametrize("language", ["en", "nb"])
def test_when_a_leader_downloads_the_xlsx_then_every_header_is_in_their_language(as_leader, units_round, language):
    response = as_leader.get(f"/kultur/resultater/{units_round.pk}/rapport.xlsx", HTTP_ACCEPT_LANGUAGE=language)
    workbook = load_workbook(io.BytesIO(response.content))
    expected = OTHER_HEADERS[language]
    assert workbook.sheetnames == expected["sheets"]
    assert list(workbook.worksheets[0].values)[5] == SUMMARY_HEADERS[language]
    for sheet, header in expected.items():
        if sheet != "sheets":
            assert next(workbook[sheet].values) == header, sheet


def test_when_a_round_has_more_answers_than_the_threshold_then_its_xlsx_is_made_in_the_background(
    settings, as_leader, units_round, client
):
    settings.BACKGROUND_EXPORT_THRESHOLD = 9
    download = file_via_job(as_leader, f"/kultur/resultater/{units_round.pk}/rapport.xlsx", HTTP_ACCEPT_LANGUAGE="nb")
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert list(workbook.worksheets[0].values)[5] == SUMMARY_HEADERS["nb"]
    job = BackgroundJob.objects.get()
    assert (job.kind, job.status, job.rows_done, job.rows_total) == ("culture.results_xlsx", "done", 10, 10)
    assert client.get(f"/oppgaver/{job.pk}/fil/").status_code == 404
    settings.BACKGROUND_EXPORT_THRESHOLD = 10  # ten answers: not more than the threshold, served at once
    assert as_leader.get(f"/kultur/resultater/{units_round.pk}/rapport.xlsx").status_code == 200


def test_when_a_leader_downloads_the_pdf_then_it_has_the_figures(as_leader, units_round):
    from pypdf import PdfReader

    as_leader.cookies["django_language"] = "en"
    response = file_via_job(as_leader, f"/kultur/resultater/{units_round.pk}/rapport.pdf")
    assert response.status_code == 200
    job = BackgroundJob.objects.get()
    assert (job.kind, job.status, job.rows_total, job.percent) == ("culture.results_pdf", "done", None, 100)
    assert "rows" not in as_leader.get(f"/oppgaver/{job.pk}/").content.decode()  # a report counts no rows
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages)
    assert "Kultur 2026" in text
    assert "10 respondents." in text
    assert "3.50" in text


def test_when_under_the_threshold_then_comments_are_withheld_and_above_it_shown(innovator, home_municipality):
    few = culture_round(actor=innovator, organisation=home_municipality, title="Få")
    many = culture_round(actor=innovator, organisation=home_municipality, title="Mange")
    for index, comment in enumerate(["Mer tid", "", "Andre ting", "Bedre ledelse"]):
        answer_all(few, 3 + index % 2, overrides={"comment": comment})
        answer_all(many, 3 + index % 2, overrides={"comment": comment})
    answer_all(many, 4, overrides={"comment": "Zebra"})
    assert round_results(close(few)).comments is None
    results = round_results(close(many))
    assert sorted(results.comments) == ["Andre ting", "Bedre ledelse", "Mer tid", "Zebra"]
    assert results.comment_question == "What would make it easier to try out new ideas where you work?"


def test_when_the_round_is_still_open_then_no_figure_is_shown_whatever_the_count(innovator, home_municipality):
    round = culture_round(actor=innovator, organisation=home_municipality)
    for value in [3, 4, 5, 4, 3, 4]:
        answer_all(round, value)
    results = round_results(round)
    assert results.awaiting_close is True
    assert results.respondents == 6
    assert results.total_shown is False
    assert all(not d.total.shown and d.distribution == [] for d in results.dimensions)
    assert results.comments is None


def test_when_a_leader_has_opened_the_results_then_the_round_cannot_be_reopened(as_leader, innovator, units_round):
    from nyskap.surveys.errors import SurveyError
    from nyskap.surveys.services import round_reopen

    assert units_round.results_opened is False
    as_leader.get(f"/kultur/resultater/{units_round.pk}/")
    units_round.refresh_from_db()
    assert units_round.results_opened is True
    with translation.override("en"), pytest.raises(SurveyError, match="it is frozen: it cannot be reopened"):
        round_reopen(actor=innovator, round=units_round)
    assert Round.objects.get(pk=units_round.pk).closed_early is True


def test_the_results_page_runs_a_fixed_number_of_queries_whatever_the_size(as_leader, innovator, home_municipality):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = culture_round(actor=innovator, organisation=home_municipality, units=["A"], title="Liten")
    for value in [3, 4, 5, 4, 3]:
        answer_all(small, value, unit=small.units.get())
    close(small)
    large = culture_round(actor=innovator, organisation=home_municipality, units=["A", "B", "C"], title="Stor")
    units = list(large.units.all())
    for index in range(30):
        answer_all(large, 1 + index % 5, unit=units[index % 3])
    close(large)
    counts = []
    for round in (small, large):
        with CaptureQueriesContext(connection) as captured:
            assert as_leader.get(f"/kultur/resultater/{round.pk}/").status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 25


def test_when_results_under_the_threshold_were_opened_then_the_round_can_still_be_reopened(
    as_leader, innovator, home_municipality
):
    from nyskap.surveys.services import round_reopen

    round = culture_round(actor=innovator, organisation=home_municipality)
    for value in [3, 4]:
        answer_all(round, value)
    close(round)
    as_leader.get(f"/kultur/resultater/{round.pk}/")
    assert Round.objects.get(pk=round.pk).results_opened is False
    round_reopen(actor=innovator, round=round)
    assert Round.objects.get(pk=round.pk).closed_early is False
