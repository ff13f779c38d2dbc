"""Importing earlier microdata with a column mapping: all or nothing, every problem with its row and column."""

from __future__ import annotations

import io

import pytest

from nyskap.barometer import services
from nyskap.barometer.frame import FrameError
from nyskap.barometer.importing import microdata_import
from nyskap.barometer.models import RoundStatus
from nyskap.barometer.results import round_results

from .factories import barometer_round, frame_csv, workplaces

pytestmark = pytest.mark.django_db

MAPPING = (
    "Sektor = sector\nType = org_type\nStr = size_band\nFylke = county\nSentralitet = centrality\n"
    "Innført tjeneste = b1_service\nNyhet = b3_novelty\nTyper = b2_types"
)


def data(rows):
    text = "Sektor;Type;Str;Fylke;Sentralitet;Innført tjeneste;Nyhet;Typer;Kommentar\n" + "\n".join(rows) + "\n"
    return io.BytesIO(text.encode())


@pytest.fixture
def draft(innovator, home_municipality):
    services.load_questionnaires()
    round = barometer_round(innovator, home_municipality)
    services.frame_upload(actor=innovator, round=round, upload=frame_csv(workplaces(30)), filename="f.csv")
    return round


def test_good_microdata_are_imported_and_weighted(draft, innovator):
    rows = ["health_care;municipality;10-49;Vestland;3;yes;copied;service;x"] * 4
    rows += ["Helse og omsorg;Kommune;10-49;Vestland;3;no;;;"] * 2
    assert (
        microdata_import(actor=innovator, round=draft, upload=data(rows), filename="m.csv", mapping_text=MAPPING) == 6
    )
    draft.refresh_from_db()
    assert draft.status == RoundStatus.CLOSED
    results = round_results(draft)
    assert results.respondents == 6
    copied = next(r for r in results.indicators if r.indicator.key == "b3_novelty.copied")
    assert copied.overall.n == 4


def test_bad_microdata_import_nothing_and_name_row_and_column(draft, innovator):
    rows = [
        "health_care;municipality;10-49;Vestland;3;yes;copied;service;x",
        "harbour;municipality;10-49;Vestland;3;maybe;copied;nothing;x",
    ]
    with pytest.raises(FrameError) as error:
        microdata_import(actor=innovator, round=draft, upload=data(rows), filename="m.csv", mapping_text=MAPPING)
    assert {(p.row, p.column) for p in error.value.problems} == {(3, "Sektor")}
    rows[1] = "health_care;municipality;10-49;Vestland;3;maybe;copied;nothing;x"
    with pytest.raises(FrameError) as error:
        microdata_import(actor=innovator, round=draft, upload=data(rows), filename="m.csv", mapping_text=MAPPING)
    assert {(p.row, p.column) for p in error.value.problems} == {(3, "Innført tjeneste"), (3, "Typer")}
    draft.refresh_from_db()
    assert draft.status == RoundStatus.DRAFT and draft.survey_round is None


def test_a_bad_mapping_is_refused_at_the_mapping(draft, innovator):
    with pytest.raises(services.BarometerError) as error:
        microdata_import(
            actor=innovator, round=draft, upload=data([]), filename="m.csv", mapping_text="Sektor = sector"
        )
    assert error.value.field == "mapping"


def test_more_answers_than_the_frame_has_is_refused(innovator, home_municipality):
    services.load_questionnaires()
    round = barometer_round(innovator, home_municipality)
    services.frame_upload(actor=innovator, round=round, upload=frame_csv(workplaces(2)), filename="f.csv")
    rows = ["health_care;municipality;10-49;Vestland;3;yes;copied;service;x"] * 3
    with pytest.raises(FrameError):
        microdata_import(actor=innovator, round=round, upload=data(rows), filename="m.csv", mapping_text=MAPPING)


def test_a_county_in_another_case_is_the_frames_county(draft, innovator):
    rows = ["health_care;municipality;10-49;VESTLAND;3;yes;copied;service;x"] * 3
    rows += ["health_care;municipality;10-49;vestland ;3;no;;;"] * 3
    imported = microdata_import(actor=innovator, round=draft, upload=data(rows), filename="m.csv", mapping_text=MAPPING)
    assert imported == 6
    counties = next(r for r in round_results(draft).indicators if r.indicator.key == "innovation_rate").breakdowns
    assert [(f.group, f.n) for f in counties["county"]] == [("Vestland", 6)]
