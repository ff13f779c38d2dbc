"""Reading procurement notices from files: eForms XML notices (one notice per document, also many in a zip) and
OCDS release packages (JSON). Each yields the notices it read and the problems it met, one at a time, so a file of
any length is read in bounded memory and every bad notice is reported with its place (file, position, field).

XML is parsed with defusedxml with DTDs refused: no entity is ever expanded (billion laughs) and nothing outside
the document is fetched. No Django here: the service decides what is written.

eForms paths read (the eForms SDK's fields, BT = business term):
- BT-701 notice identifier: ``/*/cbc:ID[@schemeName='notice-id']``; BT-04 procedure identifier:
  ``/*/cbc:ContractFolderID``; BT-05 issue date ``/*/cbc:IssueDate``; BT-21 title ``cac:ProcurementProject/cbc:Name``.
- BT-105 procedure type: ``cac:TenderingProcess/cbc:ProcedureCode[@listName='procurement-procedure-type']``.
- BT-776 innovative procurement (lot): ``cac:ProcurementProjectLot/cac:ProcurementProject/
  cac:ProcurementAdditionalType/cbc:ProcurementTypeCode[@listName='innovative-acquisition']``.
- BT-262/BT-263 CPV: ``cac:MainCommodityClassification`` / ``cac:AdditionalCommodityClassification`` with
  ``cbc:ItemClassificationCode[@listName='cpv']`` (procedure and lots).
- BT-5071 place (NUTS): ``cac:RealizedLocation/cac:Address/cbc:CountrySubentityCode[@listName='nuts']``; else the
  buyer's own address.
- Buyer: ``cac:ContractingParty/cac:Party/cac:PartyIdentification/cbc:ID`` points at an organisation in
  ``efac:Organizations``; its ``cac:PartyName/cbc:Name`` and BT-501 ``cac:PartyLegalEntity/cbc:CompanyID``.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any
from xml.etree.ElementTree import Element, ParseError

import ijson
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from . import calculations

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
EXT = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"
EFEXT = "http://data.europa.eu/p27/eforms-ubl-extensions/1"
EFAC = "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1"
NS = {"cbc": CBC, "cac": CAC, "ext": EXT, "efext": EFEXT, "efac": EFAC}

# The notice documents and what each is for the statistics: a competition (contract notice), an award, or a prior
# information notice — which is how a market dialogue is announced.
ROOTS = {
    "{urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2}ContractNotice": "competition",
    "{urn:oasis:names:specification:ubl:schema:xsd:ContractAwardNotice-2}ContractAwardNotice": "award",
    "{urn:oasis:names:specification:ubl:schema:xsd:PriorInformationNotice-2}PriorInformationNotice": "prior",
}

MAX_NOTICE_BYTES = 5 * 1024 * 1024  # an eForms notice is tens of kilobytes; more is not a notice
MAX_TEXT = 300
NUTS_PATTERN = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")
ORG_NUMBER_PATTERN = re.compile(r"^\d{9}$")
NOTICE_ID_PATTERN = re.compile(r"^[\w.:/-]{1,100}$")
TOO_LARGE = "The notice is larger than %(limit)s MB."


@dataclass
class ParsedNotice:
    source: str  # "eforms" or "ocds"
    notice_id: str
    kind: str  # "competition", "award" or "prior"
    procedure_id: str = ""
    title: str = ""
    published: datetime.date | None = None
    procedure: str = ""
    innovative: list[str] = field(default_factory=list)
    cpv: list[str] = field(default_factory=list)
    nuts: str = ""
    buyer_name: str = ""
    buyer_org_number: str = ""
    position: str = ""
    file: str = ""


@dataclass(frozen=True)
class NoticeProblem:
    """A bad notice and where it is. ``template`` is the English message with ``%(name)s`` placeholders filled from
    ``params``: the msgid the Django layer shows in the reader's language (``labels.message``)."""

    file: str
    position: str
    field: str
    template: str
    params: Mapping[str, object] | None = None

    @property
    def message(self) -> str:
        """The message in English."""
        return self.template % self.params if self.params else self.template

    def as_dict(self, translate: Callable[[str, Mapping[str, object] | None], str] | None = None) -> dict[str, str]:
        message = translate(self.template, self.params) if translate else self.message
        return {"file": self.file, "position": self.position, "field": self.field, "message": message}


class Refused(ValueError):
    def __init__(self, field: str, template: str, params: Mapping[str, object] | None = None) -> None:
        self.field = field
        self.template = template
        self.params = params
        self.message = template % params if params else template
        super().__init__(self.message)


def _clean_text(value: Any, name: str, limit: int = MAX_TEXT) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Refused(name, "Expected text.")
    text = " ".join(value.split())
    if any(ord(c) < 32 or c in "\x7f\ufffe\uffff" for c in text):
        raise Refused(name, "Contains control characters.")
    return text[:limit]


def _date(value: Any, name: str) -> datetime.date:
    """An eForms or OCDS date: ``2024-03-01``, ``2024-03-01+01:00``, ``2024-03-01Z`` or a full ISO date-time."""
    if not isinstance(value, str) or not value:
        raise Refused(name, "The date is missing.")
    text = value.strip()[:10]
    try:
        date = datetime.date.fromisoformat(text)
    except ValueError:
        raise Refused(name, "“%(value)s” is not a date (YYYY-MM-DD).", {"value": value[:40]}) from None
    if not 1990 <= date.year <= 2100:
        raise Refused(name, "The year %(year)s is outside 1990–2100.", {"year": date.year})
    return date


def _check_codes(notice: ParsedNotice, fields: dict[str, str]) -> None:
    """The codes of a notice against their code lists; ``fields`` names where each kind of code came from."""
    if notice.kind != "prior" or notice.procedure:
        try:
            calculations.check_procedure(notice.procedure, field=fields["procedure"])
        except calculations.UnknownCode as exc:
            raise Refused(exc.field, exc.template, exc.params) from None
    try:
        notice.innovative = calculations.check_innovative(notice.innovative, field=fields["innovative"])
    except calculations.UnknownCode as exc:
        raise Refused(fields["innovative"], exc.template, exc.params) from None
    cpv = []
    for code in notice.cpv:
        try:
            digits = calculations.normalise_cpv(code, field=fields["cpv"])
        except calculations.UnknownCode as exc:
            raise Refused(fields["cpv"], exc.template, exc.params) from None
        if digits not in cpv:
            cpv.append(digits)
    if not cpv:
        raise Refused(fields["cpv"], "The notice has no CPV code.")
    notice.cpv = cpv[: calculations.MAX_CPV_CODES]
    if notice.nuts and not NUTS_PATTERN.match(notice.nuts):
        raise Refused(fields["nuts"], "“%(code)s” is not a NUTS code.", {"code": notice.nuts[:40]})
    if notice.buyer_org_number and not ORG_NUMBER_PATTERN.match(notice.buyer_org_number):
        notice.buyer_org_number = ""  # a foreign buyer's number: kept out of the Norwegian match, not an error
    if not NOTICE_ID_PATTERN.match(notice.notice_id):
        raise Refused(fields["notice_id"], "The notice identifier is missing or not an identifier.")


# eForms ---------------------------------------------------------------------------------------------------------


def _text(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _codes(root: Element, path: str, list_name: str) -> list[str]:
    return [_text(e) for e in root.iterfind(path, NS) if e.get("listName") == list_name and _text(e)]


EFORMS_FIELDS = {
    "procedure": "BT-105 cac:TenderingProcess/cbc:ProcedureCode",
    "innovative": "BT-776 cac:ProcurementAdditionalType/cbc:ProcurementTypeCode",
    "cpv": "BT-262 cbc:ItemClassificationCode",
    "nuts": "BT-5071 cbc:CountrySubentityCode",
    "notice_id": "BT-701 cbc:ID[@schemeName='notice-id']",
    "published": "BT-05 cbc:IssueDate",
}


def parse_eforms_document(data: bytes) -> ParsedNotice:
    """One eForms notice document as a notice; ``Refused`` naming the field (or ``xml``) when it is not one."""
    if len(data) > MAX_NOTICE_BYTES:
        raise Refused("xml", TOO_LARGE, {"limit": MAX_NOTICE_BYTES // (1024 * 1024)})
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise Refused("xml", "The document declares a DTD or entities, which are not accepted.") from None
    except (ParseError, ValueError) as exc:
        raise Refused("xml", "Not well-formed XML: %(detail)s", {"detail": str(exc)[:120]}) from None
    kind = ROOTS.get(root.tag)
    if kind is None:
        raise Refused("xml", "Not an eForms notice: the root element is %(tag)s.", {"tag": root.tag[:120]})

    notice_id = next((_text(e) for e in root.iterfind("cbc:ID", NS) if e.get("schemeName") == "notice-id"), "")
    notice = ParsedNotice(source="eforms", notice_id=notice_id, kind=kind)
    notice.procedure_id = _clean_text(_text(root.find("cbc:ContractFolderID", NS)), "BT-04")[:100]
    notice.title = _clean_text(_text(root.find("cac:ProcurementProject/cbc:Name", NS)), "BT-21")
    notice.published = _date(_text(root.find("cbc:IssueDate", NS)), EFORMS_FIELDS["published"])
    procedures = _codes(root, "cac:TenderingProcess/cbc:ProcedureCode", "procurement-procedure-type")
    notice.procedure = procedures[0] if procedures else ""
    notice.innovative = _codes(
        root,
        "cac:ProcurementProjectLot/cac:ProcurementProject/cac:ProcurementAdditionalType/cbc:ProcurementTypeCode",
        "innovative-acquisition",
    )
    for project in ("cac:ProcurementProject", "cac:ProcurementProjectLot/cac:ProcurementProject"):
        for kind_path in ("cac:MainCommodityClassification", "cac:AdditionalCommodityClassification"):
            notice.cpv += _codes(root, f"{project}/{kind_path}/cbc:ItemClassificationCode", "cpv")
            if len(notice.cpv) > 10 * calculations.MAX_CPV_CODES:
                raise Refused(EFORMS_FIELDS["cpv"], "Too many CPV codes.")

    places = _codes(
        root, "cac:ProcurementProject/cac:RealizedLocation/cac:Address/cbc:CountrySubentityCode", "nuts"
    ) or _codes(
        root,
        "cac:ProcurementProjectLot/cac:ProcurementProject/cac:RealizedLocation/cac:Address/cbc:CountrySubentityCode",
        "nuts",
    )

    buyer_ref = _text(root.find("cac:ContractingParty/cac:Party/cac:PartyIdentification/cbc:ID", NS))
    organisations = root.find("ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/efext:EformsExtension", NS)
    if organisations is not None and buyer_ref:
        for company in organisations.iterfind("efac:Organizations/efac:Organization/efac:Company", NS):
            if _text(company.find("cac:PartyIdentification/cbc:ID", NS)) != buyer_ref:
                continue
            notice.buyer_name = _clean_text(_text(company.find("cac:PartyName/cbc:Name", NS)), "BT-500")
            notice.buyer_org_number = _text(company.find("cac:PartyLegalEntity/cbc:CompanyID", NS)).replace(" ", "")
            if not places:
                places = _codes(company, "cac:PostalAddress/cbc:CountrySubentityCode", "nuts")
            break
    notice.nuts = places[0] if places else ""
    _check_codes(notice, EFORMS_FIELDS)
    return notice


def _read_limited(stream: IO[bytes], name: str) -> bytes:
    data = stream.read(MAX_NOTICE_BYTES + 1)
    if len(data) > MAX_NOTICE_BYTES:
        raise Refused("xml", TOO_LARGE, {"limit": MAX_NOTICE_BYTES // (1024 * 1024)})
    return data


def read_eforms(stream: IO[bytes], file_name: str) -> Iterator[ParsedNotice | NoticeProblem]:
    """An eForms notice file, or a zip of them (one notice per member, read one at a time)."""
    head = stream.read(4)
    stream.seek(0)
    if head.startswith(b"PK"):
        try:
            archive = zipfile.ZipFile(stream)
            members = [m for m in archive.infolist() if not m.is_dir()]
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            yield NoticeProblem(file_name, "", "zip", "Not a readable zip file: %(detail)s", {"detail": str(exc)[:120]})
            return
        for number, member in enumerate(members, start=1):
            position = f"{number} ({member.filename[:100]})"
            try:
                if member.file_size > MAX_NOTICE_BYTES:
                    raise Refused("xml", TOO_LARGE, {"limit": MAX_NOTICE_BYTES // (1024 * 1024)})
                with archive.open(member) as handle:
                    notice = parse_eforms_document(_read_limited(handle, member.filename))
            except Refused as exc:
                yield NoticeProblem(file_name, position, exc.field, exc.template, exc.params)
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
                yield NoticeProblem(
                    file_name, position, "zip", "Member not readable: %(detail)s", {"detail": str(exc)[:120]}
                )
            else:
                notice.position = position
                yield notice
        return
    try:
        notice = parse_eforms_document(_read_limited(stream, file_name))
    except Refused as exc:
        yield NoticeProblem(file_name, "1", exc.field, exc.template, exc.params)
    else:
        notice.position = "1"
        yield notice


# OCDS ------------------------------------------------------------------------------------------------------------

# tender.procurementMethodDetails carries the national procedure's name; read as the eForms code, its English name
# or the Norwegian name used by the national notice database.
PROCEDURE_NAMES: dict[str, str] = {name.lower(): code for code, name in calculations.PROCEDURE_CODES.items()}
PROCEDURE_NAMES.update({code: code for code in calculations.PROCEDURE_CODES})
PROCEDURE_NAMES.update(
    {
        "åpen anbudskonkurranse": "open",
        "åpen tilbudskonkurranse": "open",
        "begrenset anbudskonkurranse": "restricted",
        "begrenset tilbudskonkurranse": "restricted",
        "konkurranse med forhandling": "neg-w-call",
        "konkurranse med forhandling etter forutgående kunngjøring": "neg-w-call",
        "anskaffelse etter forhandling uten forutgående kunngjøring": "neg-wo-call",
        "konkurransepreget dialog": "comp-dial",
        "innovasjonspartnerskap": "innovation",
        "negotiated with prior publication of a call for competition / competitive with negotiation": "neg-w-call",
        "negotiated without prior call for competition": "neg-wo-call",
    }
)
# Without the details, OCDS's own four methods say less: "selective" can be any multi-stage procedure.
METHOD_FALLBACK = {"open": "open", "selective": "oth-mult", "limited": "neg-wo-call", "direct": "neg-wo-call"}
RELEASE_KINDS = {"planning": "prior", "tender": "competition", "award": "award", "contract": "award"}

OCDS_FIELDS = {
    "procedure": "tender.procurementMethodDetails",
    "innovative": "tender.innovativeAcquisition",
    "cpv": "tender.items.classification",
    "nuts": "tender.items.deliveryAddresses.region",
    "notice_id": "id",
    "published": "date",
}


def _object(value: Any, name: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise Refused(name, "Expected an object.")
    return value


def _array(value: Any, name: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise Refused(name, "Expected an array.")
    return value


def parse_ocds_release(release: Any) -> ParsedNotice:
    """One OCDS release (JSON object) as a notice."""
    release = _object(release, "release")
    if not release:
        raise Refused("release", "Expected a release object.")
    tags = [t for t in _array(release.get("tag"), "tag") if isinstance(t, str)]
    kind = next((RELEASE_KINDS[t] for t in tags if t in RELEASE_KINDS), "competition")
    notice_id = release.get("id")
    if not isinstance(notice_id, str | int) or isinstance(notice_id, bool):
        raise Refused("id", "The release identifier is missing or not text.")
    ocid = _clean_text(release.get("ocid"), "ocid", 100)
    notice = ParsedNotice(source="ocds", notice_id=f"{ocid}/{notice_id}"[:100] if ocid else str(notice_id), kind=kind)
    notice.procedure_id = ocid
    notice.published = _date(release.get("date"), "date")
    tender = _object(release.get("tender"), "tender")
    notice.title = _clean_text(tender.get("title"), "tender.title")

    details = _clean_text(tender.get("procurementMethodDetails"), "tender.procurementMethodDetails").lower()
    method = _clean_text(tender.get("procurementMethod"), "tender.procurementMethod")
    if details:
        notice.procedure = PROCEDURE_NAMES.get(details, details)
    elif method:
        if method not in METHOD_FALLBACK:
            raise Refused("tender.procurementMethod", "Unknown procurement method “%(code)s”.", {"code": method[:40]})
        notice.procedure = METHOD_FALLBACK[method]

    innovative = _array(tender.get("innovativeAcquisition"), "tender.innovativeAcquisition")
    if not all(isinstance(code, str) for code in innovative):
        raise Refused("tender.innovativeAcquisition", "Expected codes as text.")
    notice.innovative = innovative[: 2 * calculations.MAX_INNOVATIVE_CODES]

    for index, item in enumerate(_array(tender.get("items"), "tender.items")[:1000]):
        item = _object(item, f"tender.items.{index}")
        classifications = [
            item.get("classification"),
            *_array(item.get("additionalClassifications"), f"tender.items.{index}.additionalClassifications"),
        ]
        for classification in classifications:
            classification = _object(classification, f"tender.items.{index}.classification")
            if str(classification.get("scheme", "")).upper() == "CPV":
                code = classification.get("id")
                if not isinstance(code, str):
                    raise Refused(f"tender.items.{index}.classification.id", "Expected a CPV code as text.")
                notice.cpv.append(code)
        for address in _array(item.get("deliveryAddresses"), f"tender.items.{index}.deliveryAddresses"):
            region = _object(address, f"tender.items.{index}.deliveryAddresses").get("region")
            if isinstance(region, str) and region and not notice.nuts:
                notice.nuts = region.strip()

    buyer = _object(release.get("buyer"), "buyer")
    buyer_id = buyer.get("id")
    notice.buyer_name = _clean_text(buyer.get("name"), "buyer.name")
    for index, party in enumerate(_array(release.get("parties"), "parties")[:1000]):
        party = _object(party, f"parties.{index}")
        roles = _array(party.get("roles"), f"parties.{index}.roles")
        if party.get("id") != buyer_id and "buyer" not in roles:
            continue
        notice.buyer_name = notice.buyer_name or _clean_text(party.get("name"), f"parties.{index}.name")
        identifier = _object(party.get("identifier"), f"parties.{index}.identifier")
        if identifier.get("scheme") == "NO-BRC" and isinstance(identifier.get("id"), str | int):
            notice.buyer_org_number = str(identifier["id"]).replace(" ", "")
        region = _object(party.get("address"), f"parties.{index}.address").get("region")
        if not notice.nuts and isinstance(region, str):
            notice.nuts = region.strip()
        break
    _check_codes(notice, OCDS_FIELDS)
    return notice


def read_ocds(stream: IO[bytes], file_name: str) -> Iterator[ParsedNotice | NoticeProblem]:
    """An OCDS release package: its ``releases`` read one at a time (ijson), never the whole file at once."""
    number = 0
    try:
        for number, release in enumerate(ijson.items(stream, "releases.item", use_float=True), start=1):
            try:
                notice = parse_ocds_release(release)
            except Refused as exc:
                yield NoticeProblem(
                    file_name, str(number), f"releases.{number - 1}.{exc.field}", exc.template, exc.params
                )
            except RecursionError:
                yield NoticeProblem(file_name, str(number), f"releases.{number - 1}", "Nested too deeply.")
            else:
                notice.position = str(number)
                yield notice
    except (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError, ValueError) as exc:
        yield NoticeProblem(
            file_name, str(number + 1), "json", "Not valid JSON: %(detail)s", {"detail": str(exc)[:120]}
        )
        return
    except RecursionError:
        yield NoticeProblem(file_name, str(number + 1), "json", "Nested too deeply.")
        return
    if number == 0:
        yield NoticeProblem(file_name, "", "releases", "No releases: not an OCDS release package.")


def read_notices(stream: IO[bytes], file_name: str) -> Iterator[ParsedNotice | NoticeProblem]:
    """Any notice file: OCDS when it is JSON, eForms otherwise (an XML document or a zip of them)."""
    if not stream.seekable():
        stream = io.BytesIO(stream.read())
    head = stream.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    stream.seek(0)
    reader = read_ocds if head.startswith((b"{", b"[")) else read_eforms
    for item in reader(stream, file_name):
        if isinstance(item, ParsedNotice):
            item.file = file_name
        yield item


ITEM_EVENTS = frozenset({"start_map", "start_array", "string", "number", "boolean", "null"})


def count_notices(stream: IO[bytes]) -> int | None:
    """How many notices a file holds, for a progress bar, read as the import reads it (a stream, in bounded memory)
    and left where it was: one for an XML document, the members of a zip, the releases of an OCDS package (counted
    from the parser's events, no release built). A file that breaks off is counted up to the break; none for a
    stream that cannot be read twice."""
    if not stream.seekable():
        return None
    start = stream.tell()
    head = stream.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    stream.seek(start)
    count = 0
    try:
        if head.startswith((b"{", b"[")):
            for prefix, event, _value in ijson.parse(stream):
                if prefix == "releases.item" and event in ITEM_EVENTS:
                    count += 1
        elif head.startswith(b"PK"):
            count = sum(1 for member in zipfile.ZipFile(stream).infolist() if not member.is_dir())
        else:
            count = 1
    except (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError, ValueError, RecursionError):
        pass
    except (zipfile.BadZipFile, OSError):
        count = 1
    stream.seek(start)
    return count
