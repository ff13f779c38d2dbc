"""Importing notice files: everything or nothing, every problem with its place, bad input never a crash."""

import io
import json
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nyskap.organisations.models import Organisation, OrganisationKind
from nyskap.procurement.models import ImportRun, ImportStatus, Notice
from nyskap.procurement.parsers import count_notices
from nyskap.procurement.services import ImportRefused, NoticeFile, notices_check, notices_import
from nyskap.procurement.synthetic import NoticeValues, eforms_xml, ocds_release, random_notices

FIXTURES = Path(__file__).parent / "fixtures"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))

pytestmark = pytest.mark.django_db


def files(*paths: Path) -> list[NoticeFile]:
    return [NoticeFile(path.name, io.BytesIO(path.read_bytes())) for path in paths]


def valid_files() -> list[NoticeFile]:
    return files(*sorted((FIXTURES / "eforms").glob("*.xml")), FIXTURES / "ocds" / "release-package.json")


def test_valid_fixtures_are_imported_with_the_hand_worked_classes():
    run = notices_import(files=valid_files())
    assert (run.status, run.notices_created, run.problem_count) == (ImportStatus.IMPORTED, 40, 0)
    classes = dict(Notice.objects.values_list("notice_id", "notice_class"))
    assert classes == EXPECTED


def test_prior_information_notice_makes_the_competition_innovation_friendly():
    notices_import(files=valid_files())
    notice = Notice.objects.get(notice_id="FIX-022-dialogue-competition")
    assert notice.market_dialogue is True
    assert notice.reason_code == "market_dialogue"
    with translation.override("en"):
        assert notice.reason == "Innovation-friendly procurement: a market-dialogue notice preceded it."
    with translation.override("nn"):
        assert notice.reason == "Innovasjonsvennleg anskaffing: ei kunngjering om marknadsdialog kom før denne."
    prior = Notice.objects.get(notice_id="FIX-021-dialogue-prior")
    assert (prior.notice_class, prior.reason_code) == ("other", "prior_information")


def test_buyer_is_matched_to_the_reference_data_and_gives_the_county(home_municipality):
    bergen = Organisation.objects.create(
        kind=OrganisationKind.MUNICIPALITY, name="Bergen kommune", organisation_number="964338531",
        county=home_municipality.county,
    )  # fmt: skip
    notices_import(files=files(FIXTURES / "eforms" / "18-bergen-tunnel-basin.xml"))
    notice = Notice.objects.get()
    assert notice.buyer_id == bergen.pk
    assert notice.county_number == home_municipality.county.number


def test_unmatched_buyer_takes_the_county_from_a_one_county_nuts_region():
    notices_import(files=files(FIXTURES / "eforms" / "19-vegvesen-open.xml"))
    notice = Notice.objects.get()
    assert (notice.buyer_id, notice.nuts, notice.county_number) == (None, "NO060", "50")


def test_one_bad_notice_means_nothing_is_written_and_every_problem_is_reported():
    bad = sorted((FIXTURES / "malformed").glob("*"))
    with pytest.raises(ImportRefused) as refused:
        notices_import(files=valid_files() + files(*bad))
    assert not Notice.objects.exists() and not ImportRun.objects.exists()
    run = refused.value.run
    assert (run.pk, run.status, run.notices_created) == (None, ImportStatus.REFUSED, 0)
    assert run.problem_count == 16  # 8 XML files, 5 bad releases, deep nesting, truncated JSON, not a package
    places = {(p["file"], p["position"], p["field"]) for p in run.problems}
    assert ("wrong-types.json", "3", "releases.2.tender.procurementMethodDetails") in places
    assert ("billion-laughs.xml", "1", "xml") in places


def test_importing_the_same_notices_again_creates_nothing_new():
    notices_import(files=valid_files())
    run = notices_import(files=valid_files())
    assert (run.notices_created, run.notices_skipped) == (0, 40)
    assert Notice.objects.count() == 40


def test_the_same_notice_twice_in_one_import_is_a_problem():
    data = eforms_xml(NoticeValues("TWICE-1", "2024-02-02"))
    with pytest.raises(ImportRefused) as refused:
        notices_import(files=[NoticeFile("a.xml", io.BytesIO(data)), NoticeFile("b.xml", io.BytesIO(data))])
    assert refused.value.run.problems == [
        {"file": "b.xml", "position": "1", "field": "notice_id", "message": "Kunngjøringen TWICE-1 finnes to ganger."}
    ]


def test_a_zip_with_a_bad_member_imports_none_of_its_notices():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ok.xml", eforms_xml(NoticeValues("ZIP-1", "2024-02-02")))
        archive.writestr("bad.xml", eforms_xml(NoticeValues("ZIP-2", "2024-02-02", procedure="lottery")))
    buffer.seek(0)
    with pytest.raises(ImportRefused):
        notices_import(files=[NoticeFile("bundle.zip", buffer)])
    assert not Notice.objects.exists()


XML_PIECES = st.sampled_from(
    [b"<", b">", b"&", b"<!DOCTYPE x [<!ENTITY a 'b'>]>", b"&a;", b"<cbc:ID>", b"\x00", b"\xff", b"]]>", b"<?xml?>"]
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0, max_value=3000), noise=st.lists(XML_PIECES, max_size=5))
def test_fuzzed_xml_is_refused_or_imported_never_half(cut, noise):
    data = eforms_xml(NoticeValues("FUZZ-1", "2024-02-02"))
    data = data[:cut] + b"".join(noise) + data[cut:] if noise else data[:cut]
    before = Notice.objects.count()
    try:
        notices_import(files=[NoticeFile("fuzz.xml", io.BytesIO(data))])
    except ImportRefused as refused:
        assert refused.run.problem_count >= 1
        assert Notice.objects.count() == before
    else:
        assert Notice.objects.filter(notice_id="FUZZ-1").exists()
    Notice.objects.all().delete()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=20,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    field=st.sampled_from(["id", "date", "tag", "tender", "buyer", "parties", "ocid"]),
    value=JSON_VALUES,
)
def test_fuzzed_json_release_fields_never_crash(field, value):
    release = {
        "ocid": "ocds-x-1", "id": "R1", "date": "2024-01-01", "tag": ["tender"],
        "tender": {
            "procurementMethodDetails": "open",
            "items": [{"classification": {"scheme": "CPV", "id": "45000000"}}],
        },
    }  # fmt: skip
    release[field] = value
    data = json.dumps({"releases": [release]}).encode()
    try:
        notices_import(files=[NoticeFile("fuzz.json", io.BytesIO(data))])
    except ImportRefused:
        assert not Notice.objects.exists()
    Notice.objects.all().delete()


# The background job's passes: counting and checking the notices, in bounded memory


def test_notices_are_counted_for_the_progress_bar_and_the_stream_left_at_its_start():
    package = io.BytesIO((FIXTURES / "ocds" / "release-package.json").read_bytes())
    assert count_notices(package) == 16 and package.tell() == 0
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(3):
            archive.writestr(f"{number}.xml", eforms_xml(NoticeValues(f"ZIP-{number}", "2024-02-02")))
    buffer.seek(0)
    assert count_notices(buffer) == 3
    assert count_notices(io.BytesIO(eforms_xml(NoticeValues("ONE", "2024-02-02")))) == 1
    assert count_notices(io.BytesIO(b'{"releases": [{"id": 1}, 2, "x", [], {"id": 3')) == 5  # up to the break
    assert count_notices(io.BytesIO(b'{"releases": "none"}')) == 0


def test_the_check_pass_reports_every_problem_with_its_place_and_writes_nothing():
    bad = sorted((FIXTURES / "malformed").glob("*"))
    seen = []
    checked = notices_check(files=valid_files() + files(*bad), on_notice=lambda: seen.append(1))
    assert checked.problem_count == 16 and len(checked.problems) == 16
    assert ("wrong-types.json", "3", "releases.2.tender.procurementMethodDetails") in {
        (p["file"], p["position"], p["field"]) for p in checked.problems
    }
    assert len(seen) == checked.notices_read + checked.problem_count == 41 + 16  # each notice and problem, once
    assert not Notice.objects.exists() and not ImportRun.objects.exists()


def test_the_check_pass_finds_a_notice_given_twice():
    data = eforms_xml(NoticeValues("TWICE-1", "2024-02-02"))
    checked = notices_check(files=[NoticeFile("a.xml", io.BytesIO(data)), NoticeFile("b.xml", io.BytesIO(data))])
    assert checked.problems == [
        {"file": "b.xml", "position": "1", "field": "notice_id", "message": "Kunngjøringen TWICE-1 finnes to ganger."}
    ]


def test_counting_and_checking_a_large_package_hold_bounded_memory(tmp_path):
    releases = 20_000
    path = tmp_path / "large.json"
    with path.open("wb") as handle:
        handle.write(b'{"releases": [')
        for number, values in enumerate(random_notices(releases, [("Kommune", "964338531")]), start=1):
            handle.write(json.dumps(ocds_release(values)).encode() + (b"," if number < releases else b""))
        handle.write(b"]}")
    assert path.stat().st_size > 10_000_000
    with path.open("rb") as stream:
        tracemalloc.start()
        try:
            assert count_notices(stream) == releases
            checked = notices_check(files=[NoticeFile(path.name, stream)])
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert (checked.notices_read, checked.problem_count) == (releases, 0)
    assert peak < 5_000_000, peak  # far less than the file: notices are read one at a time
