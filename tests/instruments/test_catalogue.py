"""Loading the shipped instruments (src/nyskap/data/instruments.csv, DOMAIN.md §8): every row, normalised, with its
source kept; idempotent; a bad file names file, row and column and writes nothing."""

from __future__ import annotations

import datetime
import shutil
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from nyskap.instruments import catalogue
from nyskap.instruments.catalogue import parse_offers, parse_phases, parse_verification, read_instruments
from nyskap.instruments.models import Instrument
from nyskap.instruments.services import catalogue_load, instrument_update
from nyskap.organisations.models import Organisation
from nyskap.organisations.reference_data import DEFAULT_DATA_DIR, ReferenceDataError

pytestmark = pytest.mark.django_db


def test_when_the_shipped_file_is_read_then_all_46_rows_have_a_reviewed_mapping():
    rows = read_instruments()
    assert len(rows) == 46
    assert len({row.values["slug"] for row in rows}) == 46


def test_when_words_are_parsed_then_qualifiers_are_dropped_and_unknown_words_are_reported():
    assert parse_offers("money (grant to SME supplier; can also pay public pilot customer)") == (["money"], [])
    assert parse_offers("network; method; (money U)") == (["network", "method"], [])
    assert parse_offers("money; gold") == (["money"], ["gold"])
    assert parse_phases("need → spread") == (["need", "ideas", "develop_test", "implemented", "spread"], [])
    assert parse_phases("idea; development (incl. option to buy)") == (["ideas", "develop_test"], [])
    assert parse_phases("later") == ([], ["later"])
    assert [parse_verification(t) for t in ("V", "S", "U", "V (existence); criteria U", "S for amounts", "X")] == [
        "verified", "secondary", "unverified", "partly", "partly", None,
    ]  # fmt: skip


def test_when_loaded_then_every_instrument_is_there_with_normalised_fields_and_its_source(loaded, owner_organisations):
    assert Instrument.objects.count() == 46
    # Medfinansieringsordningen (DOMAIN.md §3.3): state bodies apply, municipalities only as partners, a binding
    # benefit-realisation plan; the latest stated terms: 10–100 MNOK, up to 50 %, at most 50 MNOK.
    co_financing = loaded["medfinansiering"]
    assert co_financing.name_nb == "Medfinansieringsordningen"
    assert co_financing.name_en == "Co-financing scheme for digitalisation projects"
    assert co_financing.applicant_kinds == ["state_agency", "ministry", "county_governor"]
    assert "municipality" in co_financing.partner_kinds
    assert co_financing.requirements == ["benefit_plan"]
    assert co_financing.phases == ["develop_test", "implemented"]
    assert co_financing.offers == ["money"]
    assert (co_financing.grant_max, co_financing.project_cost_min, co_financing.project_cost_max) == (
        Decimal(50_000_000),
        Decimal(10_000_000),
        Decimal(100_000_000),
    )
    assert co_financing.cofunding_max_percent == Decimal("50.00")
    assert co_financing.source == "WP box 13.3; difi.no; digdir.no"
    assert co_financing.offers_text == "money; requirement of benefit-realisation plan"
    assert list(co_financing.owners.values_list("reference_key", flat=True)) == [catalogue.DIGDIR]


def test_when_loaded_then_ended_instruments_are_kept_as_ended(loaded):
    startoff = loaded["startoff"]
    assert startoff.status == "ended" and startoff.ended_on is None
    assert "2024" in startoff.status_note
    pilot = loaded["programfinansiering-0-24"]
    assert (pilot.status, pilot.ended_on) == ("ended", datetime.date(2022, 12, 31))
    assert Instrument.objects.filter(status="ended").count() == 2


def test_when_loaded_then_unverified_values_are_flagged(loaded):
    assert loaded["innovasjonsprisen"].verification == "partly"
    assert loaded["innovasjonsprisen"].verification_text == "V (existence); criteria U"
    assert loaded["innovasjonskontrakter"].verification == "secondary"
    assert loaded["folkehelseprogrammet"].unverified_facts == "The owner."
    assert loaded["stimulab"].verification == "verified"


def test_when_loaded_then_missing_owners_are_created_and_groups_are_linked(loaded, owner_organisations):
    nmbu = Organisation.objects.get(reference_key="instrument-owner:nmbu")
    assert nmbu.kind == "research"
    assert list(loaded["vanninfrastruktur-senter"].owners.all()) == [nmbu]
    assert list(loaded["regionale-forskningsfond"].owners.all()) == [owner_organisations["fylke:46"]]
    assert list(loaded["prosjektskjonnsmidler"].owners.all()) == [owner_organisations["statsforvalter:46"]]


def test_when_loaded_twice_then_nothing_changes(owner_organisations):
    first = catalogue_load()
    assert (first.created, first.updated, first.owners_created) == (46, 0, 2)
    second = catalogue_load()
    assert (second.created, second.updated, second.unchanged, second.owners_created) == (0, 0, 46, 0)


def test_when_an_owner_edited_an_instrument_then_reloading_keeps_the_edit(loaded, operator):
    instrument_update(instrument=loaded["stimulab"], actor=operator, grant_max="2000000")
    report = catalogue_load()
    assert (report.kept, report.unchanged) == (1, 45)
    assert Instrument.objects.get(slug="stimulab").grant_max == Decimal(2_000_000)


def test_when_a_shipped_value_changed_then_reloading_updates_it_and_reports_the_change(loaded):
    Instrument.objects.filter(slug="forkommune").update(offers=["advice"])
    report = catalogue_load()
    assert report.updated == 1
    assert report.changes == ["forkommune: offers: ['advice'] → ['money']"]


def _copy_with(tmp_path: Path, old: str, new: str) -> Path:
    shutil.copy(DEFAULT_DATA_DIR / "instruments.csv", tmp_path / "instruments.csv")
    path = tmp_path / "instruments.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


def test_when_the_file_has_an_unknown_offer_then_the_row_and_column_are_named_and_nothing_is_written(
    tmp_path, owner_organisations
):
    data_dir = _copy_with(tmp_path, '"advice","state (agency heads)"', '"gold","state (agency heads)"')
    with pytest.raises(ReferenceDataError) as caught:
        catalogue_load(data_dir=data_dir)
    assert [str(p) for p in caught.value.problems] == ["instruments.csv, row 5, column offers: unknown offer(s): gold"]
    assert Instrument.objects.count() == 0


def test_when_a_row_has_no_reviewed_mapping_then_the_command_refuses_and_writes_nothing(tmp_path, owner_organisations):
    data_dir = _copy_with(tmp_path, '"Digitalisation council"', '"Brand new council"')
    with pytest.raises(CommandError) as caught:
        call_command("load_instruments", data_dir=data_dir, stdout=StringIO())
    message = str(caught.value)
    assert "has 1 problem(s); nothing was written" in message
    assert "instruments.csv, row 5, column instrument: “Brand new council” has no reviewed mapping" in message
    assert Instrument.objects.count() == 0


def test_when_an_owner_is_missing_from_the_database_then_nothing_is_written(db):
    with pytest.raises(ReferenceDataError) as caught:
        catalogue_load()
    assert "run load_reference_data first" in str(caught.value.problems[0])
    assert Instrument.objects.count() == 0
    assert not Organisation.objects.filter(reference_key__startswith="instrument-owner:").exists()


def test_when_the_command_runs_then_it_reports_what_it_did(owner_organisations):
    out = StringIO()
    call_command("load_instruments", stdout=out)
    assert "instruments: created 46, updated 0, unchanged 0" in out.getvalue()
    assert "Done: 46 created, 0 updated." in out.getvalue()
