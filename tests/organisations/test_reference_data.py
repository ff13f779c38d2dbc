from __future__ import annotations

import csv
import datetime
import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum

from nyskap.organisations.models import County, Organisation, OrganisationKind
from nyskap.organisations.reference_data import DEFAULT_DATA_DIR

pytestmark = pytest.mark.django_db

REPO_ROOT = Path(__file__).resolve().parents[2]


def load(data_dir: Path = DEFAULT_DATA_DIR) -> str:
    out = StringIO()
    call_command("load_reference_data", data_dir=data_dir, stdout=out)
    return out.getvalue()


def copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    target.mkdir()
    for name in ("municipalities_2024.csv", "counties_2024.csv", "state_agencies.csv"):
        shutil.copyfile(DEFAULT_DATA_DIR / name, target / name)
    return target


def edit_cell(data_dir: Path, file: str, row: int, column: str, value: str) -> None:
    """Set one cell; ``row`` counts as in a spreadsheet (the header is row 1)."""
    path = data_dir / file
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    rows[row - 2][column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def drop_column(data_dir: Path, file: str, column: str) -> None:
    path = data_dir / file
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = [c for c in reader.fieldnames or [] if c != column]
        rows = [{k: v for k, v in r.items() if k != column} for r in reader]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def test_when_loaded_then_every_kind_has_its_exact_count():
    load()
    counts = dict(Organisation.objects.values_list("kind").annotate(n=Count("id")).order_by())
    assert counts == {
        OrganisationKind.MUNICIPALITY: 357,
        OrganisationKind.COUNTY_MUNICIPALITY: 14,
        OrganisationKind.MINISTRY: 17,
        OrganisationKind.STATE_AGENCY: 70,
        OrganisationKind.SUPERVISORY_AUTHORITY: 14,
        OrganisationKind.UNIVERSITY: 22,
        OrganisationKind.REGIONAL_HEALTH_TRUST: 4,
        OrganisationKind.TRIBUNAL: 2,
        OrganisationKind.OMBUD: 1,
        OrganisationKind.STORTING_BODY: 1,
        OrganisationKind.COUNTY_GOVERNOR: 10,
        OrganisationKind.OTHER_PUBLIC: 2,
    }
    assert County.objects.count() == 15
    assert Organisation.objects.filter(reference_key__startswith="stat:").count() == 143
    assert Organisation.objects.filter(reference_key__startswith="kommune:").count() == 357
    assert Organisation.objects.filter(reference_key__startswith="fylke:").count() == 14


def test_when_loaded_then_population_is_the_2026_national_total():
    load()
    municipalities = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
    assert municipalities.aggregate(total=Sum("population"))["total"] == 5_627_400
    assert set(municipalities.values_list("population_year", flat=True)) == {2026}
    assert municipalities.exclude(size_band="").count() == 357


def test_when_loaded_then_oslo_is_its_own_county_municipality_and_most_central():
    load()
    oslo = Organisation.objects.get(reference_key="kommune:0301")
    county = County.objects.get(number="03")
    assert county.county_municipality == oslo
    assert not Organisation.objects.filter(reference_key="fylke:03").exists()
    assert (oslo.name, oslo.official_name, oslo.other_name_forms) == ("Oslo", "Oslo - Oslove", "Oslove")
    assert (oslo.organisation_number, oslo.population, oslo.size_band) == ("958935420", 728714, "xxl")
    assert (oslo.centrality_class, oslo.centrality_index, oslo.county) == (1, 1000, county)
    assert county.county_governor.name == "Statsforvalteren i Østfold, Buskerud, Oslo og Akershus"
    classes = dict(
        Organisation.objects.exclude(centrality_class=None)
        .values_list("centrality_class")
        .annotate(n=Count("id"))
        .order_by()
    )
    assert classes == {1: 5, 2: 21, 3: 54, 4: 65, 5: 104, 6: 108}


def test_when_loaded_then_every_county_links_its_county_municipality_and_governor():
    load()
    vestland = County.objects.get(number="46")
    assert vestland.county_municipality.name == "Vestland fylkeskommune"
    assert vestland.county_municipality.organisation_number == "821311632"
    assert vestland.county_municipality.kind == OrganisationKind.COUNTY_MUNICIPALITY
    assert vestland.county_governor.organisation_number == "974760665"
    assert County.objects.filter(county_municipality=None).count() == 0
    assert County.objects.filter(county_governor=None).count() == 0
    troms_finnmark = Organisation.objects.get(organisation_number="967311014")
    assert sorted(troms_finnmark.governed_counties.values_list("number", flat=True)) == ["55", "56"]


def test_when_loaded_then_state_bodies_have_parents_end_dates_notes_and_sources():
    load()
    digdir = Organisation.objects.get(organisation_number="991825827")
    assert (digdir.kind, digdir.short_name, digdir.parent.short_name) == ("state_agency", "Digdir", "DFD")
    assert digdir.parent.organisation_number == "932384469"
    assert digdir.sources == "E1;E2;E4;R1"
    assert digdir.note == "Etatsstyrt av DFD fra 2024-01-01 (tidligere KMD/KDD)."
    ehelse = Organisation.objects.get(organisation_number="915933149")
    assert ehelse.ended_on == datetime.date(2024, 1, 1)
    assert Organisation.objects.exclude(ended_on=None).count() == 1
    doga = Organisation.objects.get(reference_key="stat:doga")
    assert (doga.kind, doga.organisation_number, doga.parent.short_name) == ("other_public", "", "KDD")
    ks = Organisation.objects.get(organisation_number="971032146")
    assert (ks.kind, ks.parent) == ("other_public", None)
    smk = Organisation.objects.get(organisation_number="972417777")
    assert (smk.kind, smk.parent) == ("ministry", None)
    assert Organisation.objects.get(organisation_number="986399445").kind == "state_agency"  # Innovasjon Norge
    assert Organisation.objects.filter(kind="county_governor").exclude(parent=digdir.parent).count() == 0


def test_when_names_clash_then_slugs_are_readable_and_unique():
    load()
    slugs = dict(
        Organisation.objects.filter(
            municipality_number__in=["1515", "1818", "3114", "3419", "0301", "1508", "3201"]
        ).values_list("municipality_number", "slug")
    )
    assert slugs == {
        "0301": "oslo",
        "1508": "alesund",
        "1515": "heroy-more-og-romsdal",
        "1818": "heroy-nordland",
        "3114": "valer-ostfold",
        "3419": "valer-innlandet",
        "3201": "baerum",
    }
    assert Organisation.objects.get(reference_key="stat:971032146").slug == "ks-kommunesektorens-organisasjon"


def test_when_run_twice_then_the_second_run_creates_nothing_and_reports_unchanged():
    first = load()
    assert "municipality: created 357, updated 0, unchanged 0" in first
    before = list(Organisation.objects.order_by("pk").values())
    second = load()
    assert second.splitlines() == [
        "county: created 0, updated 0, unchanged 15",
        "municipality: created 0, updated 0, unchanged 357",
        "county_municipality: created 0, updated 0, unchanged 14",
        "ministry: created 0, updated 0, unchanged 17",
        "state_agency: created 0, updated 0, unchanged 70",
        "supervisory_authority: created 0, updated 0, unchanged 14",
        "university: created 0, updated 0, unchanged 22",
        "regional_health_trust: created 0, updated 0, unchanged 4",
        "tribunal: created 0, updated 0, unchanged 2",
        "ombud: created 0, updated 0, unchanged 1",
        "storting_body: created 0, updated 0, unchanged 1",
        "county_governor: created 0, updated 0, unchanged 10",
        "other_public: created 0, updated 0, unchanged 2",
        "Done: the database already matches the reference data.",
    ]
    assert list(Organisation.objects.order_by("pk").values()) == before


def test_when_one_population_changes_then_exactly_that_update_is_reported(tmp_path):
    load()
    data_dir = copy_data(tmp_path)
    edit_cell(data_dir, "municipalities_2024.csv", 2, "folketall_2026_01_01", "728715")  # row 2 is Oslo
    output = load(data_dir)
    assert "municipality: created 0, updated 1, unchanged 356" in output
    assert "  kommune:0301 Oslo: population: 728714 → 728715" in output
    assert "Done: 0 created, 1 updated." in output
    assert output.count(" → ") == 1
    assert Organisation.objects.get(reference_key="kommune:0301").population == 728715
    assert Organisation.objects.count() == 514


def test_when_a_parent_ministry_changes_then_the_change_names_old_and_new_parent(tmp_path):
    load()
    data_dir = copy_data(tmp_path)
    edit_cell(data_dir, "state_agencies.csv", 19, "overordnet_departement_orgnr", "972417858")  # Digdir → KDD
    output = load(data_dir)
    assert "  stat:991825827 Digitaliseringsdirektoratet: parent: stat:932384469 → stat:972417858" in output
    assert "state_agency: created 0, updated 1, unchanged 69" in output
    assert Organisation.objects.get(organisation_number="991825827").parent.short_name == "KDD"


@pytest.mark.parametrize(
    ("file", "row", "column", "value", "expected"),
    [
        (
            "municipalities_2024.csv",
            2,
            "organisasjonsnummer",
            "958935421",
            "municipalities_2024.csv, row 2, column organisasjonsnummer: The check digit of “958935421” is wrong",
        ),
        (
            "municipalities_2024.csv",
            3,
            "folketall_2026_01_01",
            "15546.5",
            "municipalities_2024.csv, row 3, column folketall_2026_01_01: “15546.5” is not a whole number.",
        ),
        (
            "municipalities_2024.csv",
            2,
            "kommunenummer",
            "301",
            "municipalities_2024.csv, row 2, column kommunenummer: “301” is not a 4-digit number",
        ),
        (
            "municipalities_2024.csv",
            2,
            "fylkesnummer",
            "3",
            "municipalities_2024.csv, row 2, column fylkesnummer: “3” is not a 2-digit number",
        ),
        (
            "state_agencies.csv",
            19,
            "overordnet_departement_orgnr",
            "991825827",
            "state_agencies.csv, row 19, column overordnet_departement_orgnr: “991825827” "
            "(Digitaliseringsdirektoratet) is not a ministry.",
        ),
        (
            "state_agencies.csv",
            26,
            "status",
            "nedlagt",
            "state_agencies.csv, row 26, column status: “nedlagt” is neither “aktiv” nor “opphørt YYYY-MM-DD”.",
        ),
        (
            "counties_2024.csv",
            13,
            "statsforvalter_organisasjonsnummer",
            "974761076",
            "counties_2024.csv, row 13, column statsforvalter_organisasjonsnummer: no statsforvalter in "
            "state_agencies.csv has organisation number “974761076”.",
        ),
    ],
)
def test_when_a_cell_is_broken_then_the_error_names_file_row_and_column_and_nothing_is_written(
    tmp_path, file, row, column, value, expected
):
    data_dir = copy_data(tmp_path)
    edit_cell(data_dir, file, row, column, value)
    with pytest.raises(CommandError) as caught:
        load(data_dir)
    message = str(caught.value)
    assert expected in message
    assert "nothing was written" in message
    assert "the header is row 1, the first data row is row 2" in message
    assert Organisation.objects.count() == 0
    assert County.objects.count() == 0


def test_when_a_municipality_names_an_unknown_county_then_that_is_the_problem(tmp_path):
    data_dir = copy_data(tmp_path)
    edit_cell(data_dir, "municipalities_2024.csv", 3, "kommunenummer", "1201")
    edit_cell(data_dir, "municipalities_2024.csv", 3, "fylkesnummer", "12")
    with pytest.raises(CommandError) as caught:
        load(data_dir)
    problems = [line for line in str(caught.value).splitlines() if line.startswith("- ")]
    assert problems == [
        "- municipalities_2024.csv, row 3, column fylkesnummer: unknown county “12”: it is not in counties_2024.csv."
    ]
    assert Organisation.objects.count() == 0


def test_when_a_column_is_missing_then_the_header_row_is_named(tmp_path):
    data_dir = copy_data(tmp_path)
    drop_column(data_dir, "municipalities_2024.csv", "sentralitetsklasse")
    with pytest.raises(CommandError) as caught:
        load(data_dir)
    problems = [line for line in str(caught.value).splitlines() if line.startswith("- ")]
    assert problems == [
        "- municipalities_2024.csv, row 1, column sentralitetsklasse: column is missing from the header."
    ]


def test_when_several_cells_are_broken_then_every_problem_is_listed(tmp_path):
    data_dir = copy_data(tmp_path)
    edit_cell(data_dir, "municipalities_2024.csv", 5, "folketall_2026_01_01", "mange")
    edit_cell(data_dir, "municipalities_2024.csv", 7, "sentralitetsklasse", "7")
    edit_cell(data_dir, "counties_2024.csv", 2, "organisasjonsnummer", "95893542")
    with pytest.raises(CommandError) as caught:
        load(data_dir)
    problems = [line for line in str(caught.value).splitlines() if line.startswith("- ")]
    assert problems == [
        "- counties_2024.csv, row 2, column organisasjonsnummer: An organisation number has 9 digits; "
        "“95893542” has 8.",
        "- municipalities_2024.csv, row 5, column folketall_2026_01_01: “mange” is not a whole number.",
        "- municipalities_2024.csv, row 7, column sentralitetsklasse: 7 is outside the allowed range 1–6.",
    ]
    assert str(caught.value).startswith(f"The reference data in {data_dir} has 3 problem(s); nothing was written.")


def test_when_a_broken_file_follows_a_good_load_then_the_previous_values_stay(tmp_path):
    load()
    data_dir = copy_data(tmp_path)
    edit_cell(data_dir, "municipalities_2024.csv", 2, "folketall_2026_01_01", "728715")  # valid change …
    edit_cell(data_dir, "municipalities_2024.csv", 3, "organisasjonsnummer", "944496395")  # … and a broken one
    with pytest.raises(CommandError):
        load(data_dir)
    assert Organisation.objects.get(reference_key="kommune:0301").population == 728714
    assert Organisation.objects.get(reference_key="kommune:1101").organisation_number == "944496394"
    assert Organisation.objects.count() == 514


def test_when_an_organisation_was_registered_by_hand_then_the_load_adopts_it():
    hand = Organisation.objects.create(
        name="Digdir", slug="digdir", kind=OrganisationKind.STATE_AGENCY, organisation_number="991825827"
    )
    output = load()
    hand.refresh_from_db()
    assert (hand.reference_key, hand.name, hand.slug) == (
        "stat:991825827",
        "Digitaliseringsdirektoratet",
        "digdir",
    )
    assert "state_agency: created 69, updated 1, unchanged 0" in output
    assert Organisation.objects.count() == 514


def test_when_the_command_fails_then_the_process_exits_non_zero(tmp_path):
    data_dir = copy_data(tmp_path)
    edit_cell(data_dir, "municipalities_2024.csv", 2, "organisasjonsnummer", "958935421")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "nyskap.config.settings.test", "SQLITE_PATH": ":memory:"}
    result = subprocess.run(
        [sys.executable, "manage.py", "load_reference_data", "--data-dir", str(data_dir)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "municipalities_2024.csv, row 2, column organisasjonsnummer" in result.stderr


def test_when_shipped_sources_are_read_then_they_name_no_machine_paths():
    text = (DEFAULT_DATA_DIR / "SOURCES.md").read_text(encoding="utf-8")
    assert "/work" not in text
    assert "/home/" not in text
    assert sorted(p.name for p in DEFAULT_DATA_DIR.iterdir() if p.suffix in {".csv", ".md"}) == [
        "SOURCES.md",
        "counties_2024.csv",
        "instruments.csv",
        "municipalities_2020.csv",
        "municipalities_2024.csv",
        "state_agencies.csv",
    ]


def test_when_loaded_then_the_new_central_state_bodies_have_their_kind_and_parent_ministry():
    load()
    by_number = {o.organisation_number: o for o in Organisation.objects.filter(reference_key__startswith="stat:")}
    ntnu, helse_nord, ssb = by_number["974767880"], by_number["883658752"], by_number["971526920"]
    assert (ntnu.kind, ntnu.category, ntnu.parent.short_name) == ("university", "universitet/høgskole", "KD")
    assert (helse_nord.kind, helse_nord.parent.short_name) == ("regional_health_trust", "HOD")
    assert ssb.kind == "state_agency"
    assert by_number["974761467"].kind == "supervisory_authority"  # Datatilsynet
    riksrevisjonen = Organisation.objects.get(name="Riksrevisjonen")
    assert (riksrevisjonen.kind, riksrevisjonen.parent) == ("storting_body", None)
    doga = Organisation.objects.get(reference_key="stat:doga")
    assert (doga.organisation_number, doga.kind) == ("", "other_public")
    # Every parent is a ministry; every body that is not a ministry or SMK has a parent or a note saying why not.
    assert set(Organisation.objects.exclude(parent=None).values_list("parent__kind", flat=True)) == {"ministry"}
    assert Organisation.objects.filter(reference_key__startswith="stat:").exclude(parent=None).count() == 111


def test_when_the_register_import_changed_a_body_then_the_reference_data_keeps_its_legal_name_and_end_date():
    load()
    ssb = Organisation.objects.get(organisation_number="971526920")
    Organisation.objects.filter(pk=ssb.pk).update(
        legal_name="STATISTISK SENTRALBYRÅ NY",
        ended_on=datetime.date(2026, 1, 1),
        register_updated_on=datetime.date(2026, 2, 1),
    )
    output = load()
    assert "Done: the database already matches the reference data." in output
    ssb.refresh_from_db()
    assert (ssb.legal_name, ssb.ended_on) == ("STATISTISK SENTRALBYRÅ NY", datetime.date(2026, 1, 1))
