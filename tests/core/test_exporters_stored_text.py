"""Every exporter writes whatever is stored: text holding control characters (legacy rows from before input refused
them), right-to-left overrides, formula prefixes and long strings comes out as CSV, XLSX, JSON and PDF, never a 500.
NUL only on SQLite: PostgreSQL cannot store it at all."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.db import connection
from openpyxl import load_workbook

from nyskap.benefits.models import Benefit
from nyskap.core.visibility import Visibility
from nyskap.instruments.models import Instrument
from nyskap.projects.models import Project
from tests.benefits.factories import hand_worked_plan
from tests.helpers import file_via_job
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db

CLASSES = {
    "control": "Kontroll\x01\x0b\x1f\x7fslutt",
    "rtl": "Navn \u202eevil\u202c slutt",
    "formula": "Formelprosjekt;=1+1;@SUM(1+1)",
    "long": "L" + "å" * 20000,
}


def stored_texts() -> dict[str, str]:
    texts = dict(CLASSES)
    if connection.vendor == "sqlite":
        texts["nul"] = "Nul\x00slutt"
    return texts


def xlsx_text(content: bytes) -> str:
    workbook = load_workbook(io.BytesIO(content))
    return "\n".join(
        str(cell) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
    )


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def stored(innovator, home_municipality):
    projects = {}
    for key, text in stored_texts().items():
        project = make_project(
            actor=innovator, owner=home_municipality, title=f"Prosjekt {key}", visibility=Visibility.PUBLIC
        )
        Project.objects.filter(pk=project.pk).update(title=text[:200], description=text)  # as a legacy row
        projects[key] = project
    return projects


def test_when_projects_hold_any_stored_text_then_csv_json_and_xlsx_exports_write_it(client, stored):
    texts = stored_texts()
    for separator, query in ((";", ""), (",", "&sep=comma")):
        response = client.get(f"/prosjekter/overforing/eksport.csv?sort=title{query}")
        assert response.status_code == 200
        content = _body(response).decode("utf-8")
        rows = list(csv.DictReader(io.StringIO(content.removeprefix("\ufeff"), newline=""), delimiter=separator))
        descriptions = sorted(row["description"] for row in rows)
        expected = sorted(
            text if key != "formula" else "Formelprosjekt;'=1+1;'@SUM(1+1)" for key, text in texts.items()
        )
        assert descriptions == expected
    response = client.get("/prosjekter/overforing/eksport.json")
    assert response.status_code == 200
    records = json.loads(_body(response))
    assert sorted(r["description"] for r in records) == sorted(texts.values())
    response = client.get("/prosjekter/overforing/eksport.xlsx")
    assert response.status_code == 200
    written = xlsx_text(_body(response))
    assert "Navn \u202eevil\u202c slutt" in written
    assert "Kontroll_x0001__x000B__x001F_\x7fslutt" in written or "Kontroll\x01\x0b\x1f\x7fslutt" in written
    assert "'Formelprosjekt;=1+1;@SUM(1+1)" not in written  # the title does not start like a formula
    assert "Formelprosjekt;=1+1;@SUM(1+1)" in written


def test_when_instruments_hold_any_stored_text_then_every_export_writes_it(client, owner_organisations):
    from nyskap.instruments.services import catalogue_load

    catalogue_load()
    instruments = list(Instrument.objects.order_by("pk")[: len(stored_texts())])
    for instrument, text in zip(instruments, stored_texts().values(), strict=True):
        Instrument.objects.filter(pk=instrument.pk).update(name_nb=text[:300], name_en=text[:300])
    for path in ("/virkemidler/eksport/csv/", "/virkemidler/eksport/csv/?sep=comma", "/virkemidler/eksport/json/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Kontroll\x01\x0b\x1f\x7fslutt" in _body(response).decode("utf-8").replace("\\u0001", "\x01").replace(
            "\\u000b", "\x0b"
        ).replace("\\u001f", "\x1f"), path
    response = client.get("/virkemidler/eksport/xlsx/")
    assert response.status_code == 200
    assert "Navn \u202eevil\u202c slutt" in xlsx_text(_body(response))


def test_when_a_benefit_plan_holds_any_stored_text_then_xlsx_and_pdf_are_written(
    as_innovator, innovator, colleague, home_municipality
):
    project = make_project(actor=innovator, owner=home_municipality, title="Plan", visibility=Visibility.PUBLIC)
    plan = hand_worked_plan(project=project, actor=innovator, owner=colleague)
    benefit = Benefit.objects.filter(plan=plan).first()
    joined = " | ".join(text[:50] for text in stored_texts().values())
    Benefit.objects.filter(pk=benefit.pk).update(description=joined[:300])
    Project.objects.filter(pk=project.pk).update(title=CLASSES["control"])
    response = as_innovator.get(f"/gevinster/prosjekt/{project.slug}/gevinstplan.xlsx")
    assert response.status_code == 200
    assert "Navn \u202eevil\u202c slutt" in xlsx_text(_body(response))
    response = file_via_job(as_innovator, f"/gevinster/prosjekt/{project.slug}/gevinstplan.pdf")
    assert response.status_code == 200
    assert _body(response).startswith(b"%PDF")


def _csv_cells(content: bytes, separator: str) -> list[str]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return [cell for row in csv.reader(io.StringIO(text[1:], newline=""), delimiter=separator) for cell in row]


def _expected_in_csv(text: str) -> str:
    return "Formelprosjekt;'=1+1;'@SUM(1+1)" if text == CLASSES["formula"] else text


def test_when_trials_hold_any_stored_text_then_csv_and_xlsx_exports_write_it(client, innovator, home_municipality):
    limit = None  # the decision's reason is free text
    from nyskap.trials.models import Trial
    from tests.trials.factories import make_trial

    texts = stored_texts()
    for key, text in texts.items():
        trial = make_trial(actor=innovator, owner=home_municipality, title=f"Forsøk {key}")
        Trial.objects.filter(pk=trial.pk).update(title=text[:200], decision_reason=text)  # as a legacy row
    for separator, query in ((";", ""), (",", "?sep=comma")):
        response = client.get(f"/forsok/eksport/forsok.csv{query}")
        assert response.status_code == 200
        cells = _csv_cells(_body(response), separator)
        for text in texts.values():
            assert _expected_in_csv(text[:limit]) in cells, (separator, text[:20])
    response = client.get("/forsok/eksport/forsok.xlsx")
    assert response.status_code == 200
    written = xlsx_text(_body(response))
    assert "Navn \u202eevil\u202c slutt" in written and "Formelprosjekt;=1+1;@SUM(1+1)" in written
    assert "Kontroll_x0001__x000B__x001F_\x7fslutt" in written or "Kontroll\x01\x0b\x1f\x7fslutt" in written


def test_when_challenge_outcomes_hold_any_stored_text_then_the_csv_writes_it(client, innovator, home_municipality):
    limit = 500  # the suppliers' column holds at most 500 characters
    import datetime

    from nyskap.challenges import services as challenge_services
    from nyskap.challenges.models import Outcome
    from tests.challenges.factories import make_challenge

    texts = stored_texts()
    for key, text in texts.items():
        challenge = make_challenge(actor=innovator, owner=home_municipality, title=f"Utfordring {key}")
        challenge_services.open_proposals(actor=innovator, challenge=challenge)
        challenge_services.start_evaluation(actor=innovator, challenge=challenge)
        challenge_services.award(
            actor=innovator,
            challenge=challenge,
            procedure="market_dialogue",
            decided_on=datetime.date(2026, 1, 1),
            suppliers="Leverandør AS",
        )
        Outcome.objects.filter(challenge=challenge).update(suppliers=text[:500])  # as a legacy row
    for separator, query in ((";", ""), (",", "?sep=comma")):
        response = client.get(f"/utfordringer/resultater/utfall.csv{query}")
        assert response.status_code == 200
        cells = _csv_cells(_body(response), separator)
        for text in texts.values():
            assert _expected_in_csv(text[:limit]) in cells, (separator, text[:20])
