"""Reading eForms and OCDS files: the fixtures (tests/procurement/fixtures, written by generate.py) in, notices or
problems with their place out."""

import io
import json
from pathlib import Path

import pytest

from nyskap.procurement import calculations
from nyskap.procurement.parsers import NoticeProblem, ParsedNotice, read_notices

FIXTURES = Path(__file__).parent / "fixtures"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))


def read(path: Path) -> list:
    with path.open("rb") as handle:
        return list(read_notices(handle, path.name))


@pytest.mark.parametrize("path", sorted((FIXTURES / "eforms").glob("*.xml")), ids=lambda p: p.stem)
def test_every_eforms_fixture_reads_as_one_notice(path):
    (notice,) = read(path)
    assert isinstance(notice, ParsedNotice), notice
    assert notice.notice_id in EXPECTED
    assert notice.published is not None


def test_eforms_notice_gives_every_business_term():
    (notice,) = read(FIXTURES / "eforms" / "18-bergen-tunnel-basin.xml")
    assert (notice.source, notice.kind, notice.procedure) == ("eforms", "competition", "innovation")
    assert notice.cpv == ["90000000"]
    assert (notice.nuts, notice.buyer_name, notice.buyer_org_number) == ("NO0A2", "Bergen kommune", "964338531")
    assert notice.published.isoformat() == "2024-07-15"
    assert notice.title == "Fixture: bergen-tunnel-basin"


def test_eforms_innovative_codes_are_read_from_the_lot_but_not_the_strategic_procurement_list():
    (notice,) = read(FIXTURES / "eforms" / "15-mixed-codes.xml")
    assert notice.innovative == ["fp-requ", "mar-nov"]


def test_ocds_package_reads_every_release_with_its_tender_fields():
    notices = read(FIXTURES / "ocds" / "release-package.json")
    assert len(notices) == 16 and all(isinstance(n, ParsedNotice) for n in notices)
    by_title = {n.title: n for n in notices}
    partnership = by_title["Fixture: innovation-partnership"]
    assert (partnership.procedure, partnership.cpv, partnership.buyer_org_number) == (
        "innovation",
        ["90000000"],
        "958935420",
    )
    assert by_title["Fixture: additional-cpv-rd"].cpv == ["72000000", "73200000"]


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("billion-laughs.xml", "xml"),
        ("external-entity.xml", "xml"),
        ("wrong-namespace.xml", "xml"),
        ("truncated.xml", "xml"),
        ("unknown-procedure.xml", "BT-105 cac:TenderingProcess/cbc:ProcedureCode"),
        ("unknown-innovative.xml", "BT-776 cac:ProcurementAdditionalType/cbc:ProcurementTypeCode"),
        ("bad-cpv.xml", "BT-262 cbc:ItemClassificationCode"),
        ("bad-date.xml", "BT-05 cbc:IssueDate"),
        ("truncated.json", "json"),
        ("not-a-package.json", "releases"),
    ],
)
def test_malformed_file_gives_a_problem_naming_the_field(name, field):
    items = read(FIXTURES / "malformed" / name)
    problems = [item for item in items if isinstance(item, NoticeProblem)]
    assert problems and problems[-1].field == field
    assert problems[-1].file == name


def test_entities_are_never_expanded():
    (problem,) = read(FIXTURES / "malformed" / "billion-laughs.xml")
    assert "DTD" in problem.message


def test_wrong_types_in_ocds_are_reported_per_release_with_the_field():
    items = read(FIXTURES / "malformed" / "wrong-types.json")
    problems = {item.position: item.field for item in items if isinstance(item, NoticeProblem)}
    assert problems == {
        "2": "releases.1.tender",
        "3": "releases.2.tender.procurementMethodDetails",
        "4": "releases.3.tender.items.0.classification.id",
        "5": "releases.4.date",
        "6": "releases.5.tender.innovativeAcquisition",
    }
    assert sum(isinstance(item, ParsedNotice) for item in items) == 1


def test_deep_nesting_is_a_problem_not_a_crash():
    items = read(FIXTURES / "malformed" / "deep-nesting.json")
    assert all(isinstance(item, NoticeProblem) for item in items) and items


def test_zip_of_eforms_notices_reads_each_member_with_its_position():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.write(FIXTURES / "eforms" / "01-open-plain.xml", "a.xml")
        archive.write(FIXTURES / "malformed" / "truncated.xml", "b.xml")
    buffer.seek(0)
    items = list(read_notices(buffer, "bundle.zip"))
    assert isinstance(items[0], ParsedNotice)
    assert isinstance(items[1], NoticeProblem) and items[1].position == "2 (b.xml)"


def test_expected_classes_are_the_classifier_of_the_parsed_codes():
    for path in sorted((FIXTURES / "eforms").glob("*.xml")):
        (notice,) = read(path)
        if notice.kind != "competition" or notice.procedure_id.startswith("PROC-DIALOGUE"):
            continue
        result = calculations.classify(procedure=notice.procedure, innovative=notice.innovative, cpv=notice.cpv)
        assert result.notice_class == EXPECTED[notice.notice_id], path.name
