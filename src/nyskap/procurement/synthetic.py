"""Notices written in the standards' own structure — eForms XML notices and OCDS release packages — from plain
values: the test fixtures, the demo data and the benchmark are made with these, so all three exercise the same
parsers as real files. Synthetic notices are labelled as such wherever they are shown."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from . import calculations


@dataclass
class NoticeValues:
    notice_id: str
    published: str  # YYYY-MM-DD
    procedure: str = "open"
    innovative: list[str] = field(default_factory=list)
    cpv: list[str] = field(default_factory=lambda: ["72000000"])
    nuts: str = "NO081"
    buyer_name: str = "Oslo kommune"
    buyer_org_number: str = "958935420"
    title: str = "Synthetic notice"
    procedure_id: str = ""
    kind: str = "competition"  # or "prior" / "award"


ROOT = {
    "competition": ("ContractNotice", "cn-standard", "16"),
    "prior": ("PriorInformationNotice", "pin-only", "4"),
    "award": ("ContractAwardNotice", "can-standard", "29"),
}


def eforms_xml(values: NoticeValues) -> bytes:
    """An eForms notice (SDK 1.x structure) with the values in their business terms' places."""
    root, notice_type, subtype = ROOT[values.kind]
    e = escape
    procedure = (
        f'  <cac:TenderingProcess>\n    <cbc:ProcedureCode listName="procurement-procedure-type">{e(values.procedure)}'
        "</cbc:ProcedureCode>\n  </cac:TenderingProcess>\n"
        if values.procedure
        else ""
    )
    main, *additional = values.cpv or [""]
    additional_xml = "".join(
        "    <cac:AdditionalCommodityClassification>\n"
        f'      <cbc:ItemClassificationCode listName="cpv">{e(code)}</cbc:ItemClassificationCode>\n'
        "    </cac:AdditionalCommodityClassification>\n"
        for code in additional
    )
    innovative_xml = "".join(
        "      <cac:ProcurementAdditionalType>\n"
        f'        <cbc:ProcurementTypeCode listName="innovative-acquisition">{e(code)}</cbc:ProcurementTypeCode>\n'
        "      </cac:ProcurementAdditionalType>\n"
        for code in values.innovative
    )
    if values.innovative:
        innovative_xml = (
            "      <cac:ProcurementAdditionalType>\n"
            '        <cbc:ProcurementTypeCode listName="strategic-procurement">inn-pur</cbc:ProcurementTypeCode>\n'
            "      </cac:ProcurementAdditionalType>\n" + innovative_xml
        )
    nuts = e(values.nuts)
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<{root} xmlns="urn:oasis:names:specification:ubl:schema:xsd:{root}-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
  xmlns:efac="http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1"
  xmlns:efbc="http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1"
  xmlns:efext="http://data.europa.eu/p27/eforms-ubl-extensions/1"
  xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2">
  <ext:UBLExtensions>
    <ext:UBLExtension>
      <ext:ExtensionContent>
        <efext:EformsExtension>
          <efac:NoticeSubType>
            <cbc:SubTypeCode listName="notice-subtype">{subtype}</cbc:SubTypeCode>
          </efac:NoticeSubType>
          <efac:Organizations>
            <efac:Organization>
              <efac:Company>
                <cac:PartyIdentification><cbc:ID schemeName="organization">ORG-0001</cbc:ID></cac:PartyIdentification>
                <cac:PartyName><cbc:Name languageID="NOR">{e(values.buyer_name)}</cbc:Name></cac:PartyName>
                <cac:PostalAddress>
                  <cbc:CountrySubentityCode listName="nuts">{nuts}</cbc:CountrySubentityCode>
                  <cac:Country><cbc:IdentificationCode listName="country">NOR</cbc:IdentificationCode></cac:Country>
                </cac:PostalAddress>
                <cac:PartyLegalEntity><cbc:CompanyID>{e(values.buyer_org_number)}</cbc:CompanyID></cac:PartyLegalEntity>
              </efac:Company>
            </efac:Organization>
          </efac:Organizations>
        </efext:EformsExtension>
      </ext:ExtensionContent>
    </ext:UBLExtension>
  </ext:UBLExtensions>
  <cbc:UBLVersionID>2.3</cbc:UBLVersionID>
  <cbc:CustomizationID>eforms-sdk-1.10</cbc:CustomizationID>
  <cbc:ID schemeName="notice-id">{e(values.notice_id)}</cbc:ID>
  <cbc:ContractFolderID>{e(values.procedure_id or values.notice_id)}</cbc:ContractFolderID>
  <cbc:IssueDate>{e(values.published)}+01:00</cbc:IssueDate>
  <cbc:NoticeTypeCode listName="notice-type">{notice_type}</cbc:NoticeTypeCode>
  <cbc:NoticeLanguageCode>NOR</cbc:NoticeLanguageCode>
  <cac:ContractingParty>
    <cac:Party>
      <cac:PartyIdentification><cbc:ID schemeName="organization">ORG-0001</cbc:ID></cac:PartyIdentification>
    </cac:Party>
  </cac:ContractingParty>
{procedure}  <cac:ProcurementProject>
    <cbc:Name languageID="NOR">{e(values.title)}</cbc:Name>
    <cbc:ProcurementTypeCode listName="contract-nature">services</cbc:ProcurementTypeCode>
    <cac:MainCommodityClassification>
      <cbc:ItemClassificationCode listName="cpv">{e(main)}</cbc:ItemClassificationCode>
    </cac:MainCommodityClassification>
{additional_xml}    <cac:RealizedLocation>
      <cac:Address><cbc:CountrySubentityCode listName="nuts">{nuts}</cbc:CountrySubentityCode></cac:Address>
    </cac:RealizedLocation>
  </cac:ProcurementProject>
  <cac:ProcurementProjectLot>
    <cbc:ID schemeName="Lot">LOT-0001</cbc:ID>
    <cac:ProcurementProject>
{innovative_xml}    </cac:ProcurementProject>
  </cac:ProcurementProjectLot>
</{root}>
"""
    return text.encode("utf-8")


OCDS_TAGS = {"competition": "tender", "prior": "planning", "award": "award"}


def ocds_release(values: NoticeValues) -> dict[str, object]:
    """An OCDS 1.1 release. BT-776 has no OCDS field of its own yet; Nyskap reads it from
    ``tender.innovativeAcquisition`` (see the ADR)."""
    procedure_name = calculations.PROCEDURE_CODES.get(values.procedure, values.procedure)
    method = {"open": "open", "neg-wo-call": "limited"}.get(values.procedure, "selective")
    tender: dict[str, object] = {
        "id": values.procedure_id or values.notice_id,
        "title": values.title,
        "items": [
            {
                "id": str(index + 1),
                "classification": {"scheme": "CPV", "id": code},
                "deliveryAddresses": [{"region": values.nuts, "countryName": "Norway"}],
            }
            for index, code in enumerate(values.cpv)
        ],
    }
    if values.procedure:
        tender["procurementMethod"] = method
        tender["procurementMethodDetails"] = procedure_name
    if values.innovative:
        tender["innovativeAcquisition"] = list(values.innovative)
    return {
        "ocid": f"ocds-synthetic-{values.procedure_id or values.notice_id}",
        "id": values.notice_id,
        "date": f"{values.published}T09:00:00+01:00",
        "tag": [OCDS_TAGS[values.kind]],
        "initiationType": "tender",
        "buyer": {"id": "NO-BRC-" + values.buyer_org_number, "name": values.buyer_name},
        "parties": [
            {
                "id": "NO-BRC-" + values.buyer_org_number,
                "name": values.buyer_name,
                "identifier": {"scheme": "NO-BRC", "id": values.buyer_org_number},
                "roles": ["buyer"],
            }
        ],
        "tender": tender,
    }


def ocds_package(releases: list[dict[str, object]]) -> bytes:
    return json.dumps(
        {
            "uri": "https://example.invalid/synthetic-release-package.json",
            "version": "1.1",
            "publishedDate": "2025-01-01T00:00:00Z",
            "publisher": {"name": "Nyskap (synthetic data)"},
            "releases": releases,
        },
        ensure_ascii=False,
        indent=1,
    ).encode("utf-8")


# Random notices in roughly the white paper's proportions: most competitions open, about 1 % with a procedure made
# for innovation, a few more with BT-776 codes.
PROCEDURE_WEIGHTS = {
    "open": 70,
    "restricted": 6,
    "neg-w-call": 14,
    "neg-wo-call": 5,
    "comp-dial": 1,
    "innovation": 0.6,
    "oth-single": 2,
    "oth-mult": 1.4,
}
CPV_SAMPLE = [
    "45000000",
    "45210000",
    "72000000",
    "72212000",
    "48000000",
    "79000000",
    "71000000",
    "90000000",
    "33000000",
    "34000000",
    "15000000",
    "60000000",
    "80000000",
    "85000000",
    "30200000",
    "73110000",
]
NUTS_SAMPLE = ["NO081", "NO082", "NO020", "NO091", "NO092", "NO0A1", "NO0A2", "NO0A3", "NO060", "NO071", "NO074"]


def random_values(rng: random.Random, number: int, buyers: list[tuple[str, str]], prefix: str = "SYN") -> NoticeValues:
    procedure = rng.choices(list(PROCEDURE_WEIGHTS), weights=list(PROCEDURE_WEIGHTS.values()))[0]
    roll = rng.random()
    innovative: list[str] = []
    if roll < 0.005:
        innovative = [rng.choice(calculations.INNOVATION_CODES)]
    elif roll < 0.04:
        innovative = [rng.choice(calculations.FRIENDLY_CODES)]
    cpv = [rng.choice(CPV_SAMPLE[:-1]) if rng.random() > 0.004 else "73110000"]
    if rng.random() < 0.3:
        cpv.append(rng.choice(CPV_SAMPLE[:-1]))
    name, org_number = rng.choice(buyers)
    year = rng.choice([2019, 2020, 2021, 2022, 2023, 2024, 2025])
    return NoticeValues(
        notice_id=f"{prefix}-{year}-{number:06d}",
        published=f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        procedure=procedure,
        innovative=innovative,
        cpv=cpv,
        nuts=rng.choice(NUTS_SAMPLE),
        buyer_name=name,
        buyer_org_number=org_number,
        title=f"Synthetic notice {number}",
    )


def random_notices(
    count: int, buyers: list[tuple[str, str]], seed: int = 20, prefix: str = "SYN"
) -> Iterator[NoticeValues]:
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not secrets
    for number in range(1, count + 1):
        yield random_values(rng, number, buyers, prefix)
