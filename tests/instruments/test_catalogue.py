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
    assert co_financing.applicant_kinds == [
        "state_agency",
        "ministry",
        "county_governor",
        "supervisory_authority",
        "university",
        "tribunal",
        "ombud",
    ]
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


def test_when_loaded_then_university_owners_come_from_the_reference_data_and_groups_are_linked(
    loaded, owner_organisations
):
    nmbu = owner_organisations[catalogue.NMBU]
    assert nmbu.kind == "university"
    assert list(loaded["vanninfrastruktur-senter"].owners.all()) == [nmbu]
    assert list(loaded["elements-of-ai"].owners.order_by("name")) == [
        owner_organisations[catalogue.KS],
        owner_organisations[catalogue.NTNU],
    ]
    assert not Organisation.objects.filter(reference_key__startswith="instrument-owner:").exists()
    assert list(loaded["regionale-forskningsfond"].owners.all()) == [owner_organisations["fylke:46"]]
    assert list(loaded["prosjektskjonnsmidler"].owners.all()) == [owner_organisations["statsforvalter:46"]]


def test_when_loaded_twice_then_nothing_changes(owner_organisations):
    first = catalogue_load()
    assert (first.created, first.updated, first.owners_created) == (46, 0, 0)
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


# Names in three languages and the link to the owner's page

# Bokmål forms that have a different nynorsk form; none may be left in a nynorsk name. Proper nouns that contain one
# (the web site anskaffelser.no, DFØ's Virksomhetsplattformen, Anskaffelsesakademiet) are taken out first.
BOKMAL_FORMS = (
    "offentlig ", "offentlige", "tjeneste", "veileder", "ordningen", "kommunene", "virksomhet", "fra ", "tilskudd",
    "forskning", "bevilgning", "vann", "loven", "prosjekter", "kontrakter", "megling", "verksted", "partnerskap",
    "analyser", "selskaper", "veikart", "ledelse", "regnskap", "midler", "folkevalgt", "drevet", "tilbud",
)  # fmt: skip
NYNORSK_PROPER_NOUNS = ("anskaffelser.no", "Virksomhetsplattformen", "Anskaffelsesakademiet")


def test_when_read_then_every_instrument_has_a_nynorsk_name_without_bokmal_forms():
    for row in read_instruments():
        name_nn = row.values["name_nn"]
        assert name_nn, row.values["slug"]
        plain = name_nn
        for proper in NYNORSK_PROPER_NOUNS:
            plain = plain.replace(proper, "")
        left = [form for form in BOKMAL_FORMS if form in plain.lower()]
        assert left == [], (row.values["slug"], name_nn)


def test_when_read_then_the_nynorsk_names_differ_where_the_languages_do_and_proper_nouns_stay():
    names = {row.values["slug"]: (row.values["name_nb"], row.values["name_nn"]) for row in read_instruments()}
    assert names["medfinansiering"] == ("Medfinansieringsordningen", "Medfinansieringsordninga")
    assert names["stimulab"][1] == "StimuLab (Stimuleringsordninga for innovasjon og tenestedesign)"
    assert names["startoff"][1] == "StartOff (Program for innovasjonskjøp frå oppstartsselskap)"
    assert names["forsoksloven"] == ("Forsøksloven", "Forsøkslova")
    assert names["vannbransjen-teknologi"][1] == "Program for teknologiutvikling i vassbransjen"
    assert names["overskridelse-investering"][1] == "Overskriding av driftsløyving til investeringsformål"
    assert names["forregion"][1] == "FORREGION (kompetansemekling, forprosjekt); prosjektverkstad"
    for proper in ("digifin", "forkommune", "innomed", "10-faktor", "pilot-e-pilot-t", "anskaffelsesakademiet"):
        assert names[proper][0] == names[proper][1], proper
    # Counted by hand from the names: 28 differ, 18 are proper nouns or read the same in both languages.
    assert sum(nb != nn for nb, nn in names.values()) == 28


def test_when_read_then_english_names_keep_the_proper_noun_and_fall_back_to_the_row():
    names = {row.values["slug"]: row.values["name_en"] for row in read_instruments()}
    assert names["stimulab"] == "StimuLab – stimulation scheme for innovation and service design"
    assert names["digifin"] == "Digifin – digital joint-solution fund"
    assert names["forsoksloven"] == "Trials Act (Forsøksloven)"
    # No better English name was reviewed: the row's own English description is used.
    assert names["medfinansiering"] == "Co-financing scheme for digitalisation projects"
    assert len(set(names.values())) == 46


def test_when_source_addresses_are_read_then_only_whole_web_addresses_count():
    assert catalogue.source_addresses("WP ch.5.1, 8.1; Digdir rapport 2020:2 (issuu/digdir.no); digdir.no/788") == [
        "digdir.no/788"
    ]
    assert catalogue.source_addresses("WP box 13.3; difi.no; digdir.no") == ["difi.no", "digdir.no"]
    assert catalogue.source_addresses("WP ch.12.1; forskningsradet.no utlysninger 2019, 2020") == ["forskningsradet.no"]
    assert catalogue.source_addresses("WP ch.11.3; anskaffelser.no/innovasjon/startoff") == [
        "anskaffelser.no/innovasjon/startoff"
    ]
    assert catalogue.source_addresses("WP ch.9.1.3, box 9.1") == []
    assert catalogue.address_url("ks.no") == "https://www.ks.no/"
    assert catalogue.address_url("digdir.no/788") == "https://www.digdir.no/788"


def test_when_read_then_every_instrument_links_its_owner_without_invented_deep_links():
    rows = read_instruments()
    origins: dict[str, int] = {}
    for row in rows:
        url, origin, source = row.values["website"], row.values["website_origin"], row.raw["source"]
        origins[origin] = origins.get(origin, 0) + 1
        assert url.startswith("https://www."), url
        address = url.removeprefix("https://www.").removesuffix("/")
        named = catalogue.source_addresses(source)
        owner_homes = {catalogue.OWNER_HOME_PAGES[key] for key in row.owner_keys if key in catalogue.OWNER_HOME_PAGES}
        if origin == "source":
            assert address in named, (row.values["slug"], address, source)
        else:
            assert origin == "owner_home"
            # A home page: the root of a known owner's site, and only when the source names none of the owners' own.
            assert url == f"https://www.{address}/" and "/" not in address
            assert address in {*catalogue.OWNER_HOME_PAGES.values(), *catalogue.OTHER_HOME_PAGES}
            assert not owner_homes & set(named), (row.values["slug"], named)
    assert origins == {"source": 10, "owner_home": 36}


def test_when_read_then_links_are_as_reviewed():
    links = {row.values["slug"]: (row.values["website"], row.values["website_origin"]) for row in read_instruments()}
    assert links["stimulab"] == ("https://www.digdir.no/788", "source")
    assert links["medfinansiering"] == ("https://www.digdir.no/", "source")
    assert links["startoff"] == ("https://www.anskaffelser.no/innovasjon/startoff", "source")
    assert links["digifin"] == ("https://www.ks.no/", "owner_home")
    # The source names only the trade press, not the owner: the owner's home page.
    assert links["innovasjonspartnerskap"] == ("https://www.innovasjonnorge.no/", "owner_home")
    assert links["prosjektskjonnsmidler"] == ("https://www.statsforvalteren.no/", "owner_home")
    assert links["programfinansiering-0-24"] == ("https://www.regjeringen.no/", "owner_home")


def test_when_the_source_no_longer_names_a_reviewed_link_then_the_row_is_refused(tmp_path, owner_organisations):
    data_dir = _copy_with(tmp_path, "; digdir.no/788", "; digdir.no/999")
    with pytest.raises(ReferenceDataError) as caught:
        catalogue_load(data_dir=data_dir)
    assert [str(p) for p in caught.value.problems] == [
        "instruments.csv, row 2, column source: the link “digdir.no/788” in REVIEWED is not an address the source names"
    ]
    assert Instrument.objects.count() == 0


def test_when_a_reviewed_entry_lacks_a_nynorsk_name_or_a_known_home_page_then_the_row_is_refused(monkeypatch):
    name = "Digital joint-solution fund"
    monkeypatch.setitem(catalogue.REVIEWED, name, {**catalogue.REVIEWED[name], "nn": "", "home": "example.com"})
    with pytest.raises(ReferenceDataError) as caught:
        read_instruments()
    assert [str(p) for p in caught.value.problems] == [
        "instruments.csv, row 29, column norwegian_name: “Digital joint-solution fund” has no nynorsk name in REVIEWED",
        "instruments.csv, row 29, column source: “example.com” in REVIEWED is not a known home page of an owner",
    ]


def test_when_loaded_then_names_and_links_are_stored(loaded):
    co_financing = loaded["medfinansiering"]
    assert (co_financing.name_nb, co_financing.name_nn) == ("Medfinansieringsordningen", "Medfinansieringsordninga")
    assert (co_financing.website, co_financing.website_origin) == ("https://www.digdir.no/", "source")
    assert Instrument.objects.filter(website="").count() == 0
    assert Instrument.objects.filter(website_origin="owner_home").count() == 36


def test_when_a_catalogue_loaded_before_names_and_links_is_reloaded_then_they_are_filled_in_once(loaded):
    for instrument in Instrument.objects.all():
        Instrument.objects.filter(pk=instrument.pk).update(name_nn=instrument.name_nb, website="", website_origin="")
    first = catalogue_load()
    assert (first.created, first.updated, first.unchanged, first.kept) == (0, 46, 0, 0)
    assert "digifin: website: (empty) → https://www.ks.no/; website_origin: (empty) → owner_home" in first.changes
    second = catalogue_load()
    assert (second.updated, second.unchanged) == (0, 46)
    assert Instrument.objects.get(slug="forsoksloven").name_nn == "Forsøkslova"


def test_when_an_owner_edited_the_names_and_the_link_then_reloading_keeps_them(loaded, operator):
    instrument_update(
        instrument=loaded["digifin"],
        actor=operator,
        name_nn="Digifin – fond for digitale fellesløysingar",
        website="https://www.ks.no/fagomrader/digitalisering/digifin/",
    )
    stored = Instrument.objects.get(slug="digifin")
    assert stored.website_origin == "owner"
    report = catalogue_load()
    assert (report.kept, report.unchanged, report.updated) == (1, 45, 0)
    stored = Instrument.objects.get(slug="digifin")
    assert stored.name_nn == "Digifin – fond for digitale fellesløysingar"
    assert (stored.website, stored.website_origin) == ("https://www.ks.no/fagomrader/digitalisering/digifin/", "owner")


def test_when_an_owner_clears_the_link_then_no_origin_is_left(loaded, operator):
    instrument_update(instrument=loaded["digifin"], actor=operator, website="")
    stored = Instrument.objects.get(slug="digifin")
    assert (stored.website, stored.website_origin) == ("", "")
    # Saving other fields leaves the origin of the shipped link alone.
    instrument_update(instrument=loaded["forkommune"], actor=operator, summary="Ny tekst.")
    assert Instrument.objects.get(slug="forkommune").website_origin == "owner_home"


def test_when_the_catalogue_file_lacks_a_column_or_a_row_is_cut_short_then_each_is_named(tmp_path):
    from nyskap.core.tabular import ReferenceDataError
    from nyskap.instruments.catalogue import COLUMNS, INSTRUMENTS_FILE

    header = [c for c in COLUMNS if c != "offers"]
    (tmp_path / INSTRUMENTS_FILE).write_text(",".join(header) + "\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError) as refused:
        read_instruments(tmp_path)
    assert [(p.row, p.column, p.message) for p in refused.value.problems] == [
        (1, "offers", "column is missing from the header.")
    ]
    (tmp_path / INSTRUMENTS_FILE).write_text(",".join(COLUMNS) + "\nBare ett felt\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError) as refused:
        read_instruments(tmp_path)
    assert [(p.row, p.column, p.message) for p in refused.value.problems] == [
        (2, None, f"the row does not have {len(COLUMNS)} comma-separated fields.")
    ]
