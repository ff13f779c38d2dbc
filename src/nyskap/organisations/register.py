"""Reading the Central Coordinating Register's bulk download of entities (Enhetsregisteret, "enheter") and working
out what it would change in Nyskap: a dry run (docs/adr, "register updates").

The register publishes the entities gzip-compressed as one JSON array (``/enhetsregisteret/api/enheter/lastned``)
and as CSV with dotted column names (``…/lastned/csv``). Both are read as a stream — JSON with ijson, CSV with the
standard library — so a file of over a million entities is read in bounded memory: only the entities that matter
(public bodies selected by institutional sector code and organisation form, and entities Nyskap already has) are
kept. JSON Lines (one entity per line) is read too.

This module does not write. :func:`register_plan` returns a :class:`RegisterPlan`: the new bodies, renamed bodies,
deleted bodies (with the register's deletion date) and changed parents, and every problem found, each naming the
line, row or entity and the field. Writing is :func:`nyskap.organisations.services.register_import_apply`.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import gzip
import io
import itertools
import json
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import ijson
from django.utils.translation import gettext as _

from nyskap.core.text import has_refused_characters, remove_refused_characters

from .models import Organisation, OrganisationKind
from .validators import organisation_number_problem

# Problems kept for showing; the rest are counted. A broken national file must not fill the memory with messages.
MAX_PROBLEMS = 200

# Organisation form → kind of a new body. Forms not named here give a directorate or agency in the state sector
# (sector codes 61xx) and "other public body" elsewhere; an operator can change the kind afterwards.
FORM_KINDS: dict[str, str] = {
    "KOMM": OrganisationKind.MUNICIPALITY,
    "FYLK": OrganisationKind.COUNTY_MUNICIPALITY,
    "IKS": OrganisationKind.INTER_MUNICIPAL,
    "KF": OrganisationKind.OTHER_PUBLIC,
    "FKF": OrganisationKind.OTHER_PUBLIC,
}

# The fields of an entity Nyskap reads, as the register names them in JSON (nested) and CSV (dotted).
NUMBER, NAME, FORM, SECTOR, PARENT, DELETED = (
    "organisasjonsnummer",
    "navn",
    "organisasjonsform.kode",
    "institusjonellSektorkode.kode",
    "overordnetEnhet",
    "slettedato",
)
REQUIRED_CSV_COLUMNS = (NUMBER, NAME, FORM, SECTOR)

# Register names are in capitals; these stay so when a name is written in ordinary case for a new body.
KEEP_CAPITALS = {"AS", "HF", "RHF", "IKS", "KF", "FKF", "SF", "IKT", "NAV", "KS", "NTNU", "NMBU", "NHH", "UIT"}


_UNDECODABLE = re.compile("[\udc80-\udcff]")


class FatalRegisterError(Exception):
    """The file cannot be read on: nothing from it may be applied."""


@dataclass(frozen=True)
class Entity:
    number: str
    name: str
    form: str
    sector: str
    parent: str
    deleted_on: datetime.date | None


@dataclass
class RegisterPlan:
    """What an import would do. Plain values only, so that it can be stored (JSON) between preview and apply."""

    file_format: str = ""
    read: int = 0
    selected: int = 0
    new: list[dict[str, Any]] = field(default_factory=list)
    renamed: list[dict[str, Any]] = field(default_factory=list)
    names_recorded: list[dict[str, Any]] = field(default_factory=list)
    ended: list[dict[str, Any]] = field(default_factory=list)
    parents: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)
    problem_count: int = 0
    fatal: bool = False
    # Decides from (number, sector code, form) whether an entity matters; the others are not checked further, so
    # a national file is read quickly and its private entities' oddities are not reported.
    wanted: Callable[[str, str, str], bool] | None = field(default=None, repr=False)

    @property
    def change_count(self) -> int:
        return len(self.new) + len(self.renamed) + len(self.names_recorded) + len(self.ended) + len(self.parents)

    def problem(self, where: str, column: str, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            # A message may quote the bad value: keep it storable (no NUL, no lone surrogates) on every database.
            self.problems.append({"where": where, "field": column, "message": remove_refused_characters(message)})

    def as_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in ("new", "renamed", "names_recorded", "ended", "parents")}


def display_name(register_name: str) -> str:
    """The register's capitals in ordinary case: "DIREKTORATET FOR EKSEMPEL RHF" → "Direktoratet for eksempel RHF"."""
    words = register_name.strip().lower().split(" ")
    out = [word.upper() if word.upper().strip("()") in KEEP_CAPITALS else word for word in words]
    text = " ".join(out)
    return text[:1].upper() + text[1:]


def _where_line(number: int) -> str:
    return _("line %(number)s") % {"number": number}


def _where_entity(number: int) -> str:
    return _("entity no. %(number)s") % {"number": number}


def _text(value: Any) -> str | None:
    """A string value, stripped; None when the value is there but not text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return None


def _entity_from_values(values: dict[str, Any], where: str, plan: RegisterPlan) -> Entity | None:
    """Check the fields Nyskap reads; note every problem; None when the entity cannot be used or does not matter."""
    if plan.wanted is not None:
        number, sector, form = values.get(NUMBER), values.get(SECTOR) or "", values.get(FORM)
        if (
            isinstance(number, str)
            and isinstance(sector, str)
            and isinstance(form, str)
            and form.strip()
            and not plan.wanted(number.strip(), sector.strip(), form.strip())
        ):
            return None
    problems_before = plan.problem_count
    cells: dict[str, str] = {}
    not_text: set[str] = set()
    for column in (NUMBER, NAME, FORM, SECTOR, PARENT, DELETED):
        value = _text(values.get(column))
        if value is None:
            plan.problem(where, column, _("the value is not text."))
            not_text.add(column)
            value = ""
        elif "\ufffd" in value or _UNDECODABLE.search(value):
            plan.problem(where, column, _("the text is not valid UTF-8; the file must be UTF-8."))
        elif has_refused_characters(value):
            plan.problem(where, column, _("the text contains control characters, which are not allowed."))
        cells[column] = value
    for column in (NUMBER, NAME, FORM):
        if not cells[column] and column not in not_text:
            plan.problem(where, column, _("the value is missing."))
    for column in (NUMBER, PARENT):
        if cells[column]:
            problem = organisation_number_problem(cells[column])
            if problem:
                plan.problem(where, column, problem)
    deleted_on = None
    if cells[DELETED]:
        try:
            deleted_on = datetime.date.fromisoformat(cells[DELETED])
        except ValueError:
            plan.problem(where, DELETED, _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": cells[DELETED][:40]})
    if plan.problem_count != problems_before:
        return None
    return Entity(
        number=cells[NUMBER],
        name=cells[NAME],
        form=cells[FORM],
        sector=cells[SECTOR],
        parent=cells[PARENT],
        deleted_on=deleted_on,
    )


def _flatten(entity: Any) -> dict[str, Any] | None:
    """The JSON entity's fields Nyskap reads, named as in the CSV (``organisasjonsform.kode``)."""
    if not isinstance(entity, dict):
        return None
    values = {name: entity.get(name) for name in (NUMBER, NAME, PARENT, DELETED)}
    for outer, name in (("organisasjonsform", FORM), ("institusjonellSektorkode", SECTOR)):
        nested = entity.get(outer)
        if isinstance(nested, dict):
            values[name] = nested.get("kode")
        elif nested is not None:
            values[name] = 0  # not text: reported as such
    return values


def _open(stream: IO[bytes]) -> Any:
    """The file's bytes, un-gzipped when it is gzip-compressed (recognised by its first bytes, not its name)."""
    raw = stream if hasattr(stream, "peek") else io.BufferedReader(stream, 1 << 16)  # type: ignore[arg-type,type-var]
    if raw.peek(2)[:2] == b"\x1f\x8b":
        return io.BufferedReader(gzip.GzipFile(fileobj=raw, mode="rb"), 1 << 16)  # type: ignore[arg-type]
    return raw


def _first_byte(stream: Any) -> bytes:
    head = stream.peek(64)
    head = head.removeprefix(codecs.BOM_UTF8).lstrip()
    return head[:1]


def _read_json_array(stream: io.BufferedReader, plan: RegisterPlan) -> Iterator[Entity]:
    plan.file_format = "json"
    count = 0
    try:
        for count, item in enumerate(ijson.items(stream, "item"), start=1):
            where = _where_entity(count)
            values = _flatten(item)
            if values is None:
                plan.problem(where, "", _("the entity is not a JSON object."))
                continue
            entity = _entity_from_values(values, where, plan)
            if entity is not None:
                yield entity
    except (ijson.JSONError, UnicodeDecodeError) as exc:
        plan.problem(
            _("after entity no. %(number)s") % {"number": count},
            "",
            _("the file is not valid JSON (%(error)s); it was not read to the end.") % {"error": str(exc)[:120]},
        )
        raise FatalRegisterError from exc
    finally:
        plan.read = count


def _read_json_lines(stream: io.BufferedReader, plan: RegisterPlan) -> Iterator[Entity]:
    plan.file_format = "jsonl"
    for number, line in enumerate(stream, start=1):
        plan.read = number
        if not line.strip():
            continue
        where = _where_line(number)
        try:
            item = json.loads(line.decode("utf-8-sig" if number == 1 else "utf-8"))
        except UnicodeDecodeError:
            plan.problem(where, "", _("the line is not valid UTF-8; the file must be UTF-8."))
            continue
        except ValueError as exc:
            plan.problem(where, "", _("the line is not valid JSON (%(error)s).") % {"error": str(exc)[:120]})
            continue
        values = _flatten(item)
        if values is None:
            plan.problem(where, "", _("the line is not a JSON object."))
            continue
        entity = _entity_from_values(values, where, plan)
        if entity is not None:
            yield entity


def _read_csv(stream: io.BufferedReader, plan: RegisterPlan) -> Iterator[Entity]:
    plan.file_format = "csv"
    # Undecodable bytes become lone surrogates, so the row and field can be named instead of failing the file.
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
    header_line = text.readline()
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(itertools.chain([header_line], text), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        plan.problem(_where_line(1), "", _("the file has no CSV header."))
        raise FatalRegisterError from exc
    missing = [column for column in REQUIRED_CSV_COLUMNS if column not in header]
    if missing:
        for column in missing:
            plan.problem(_where_line(1), column, _("the column is missing from the header."))
        raise FatalRegisterError
    width = len(header)
    count = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            count += 1
            plan.problem(_where_line(reader.line_num), "", _("the row is not valid CSV (%(error)s).") % {"error": exc})
            continue
        count += 1
        plan.read = count
        where = _where_line(reader.line_num)
        if not row:
            continue
        if len(row) != width:
            plan.problem(
                where,
                "",
                _("the row has %(count)s fields; the header has %(width)s.") % {"count": len(row), "width": width},
            )
            continue
        entity = _entity_from_values(dict(zip(header, row, strict=True)), where, plan)
        if entity is not None:
            yield entity


def read_entities(stream: IO[bytes], plan: RegisterPlan) -> Iterator[Entity]:
    """Every usable entity in the file, in order; problems go to ``plan``. Raises :class:`FatalRegisterError` when
    the file cannot be read on (not gzip though it says so, not JSON, no CSV header)."""
    try:
        source = _open(stream)
        first = _first_byte(source)
    except (OSError, EOFError, zlib.error) as exc:
        plan.problem(_where_line(1), "", _("the file cannot be read (%(error)s).") % {"error": str(exc)[:120]})
        raise FatalRegisterError from exc
    if not first:
        plan.problem(_where_line(1), "", _("the file is empty."))
        raise FatalRegisterError
    if first == b"[":
        reader = _read_json_array(source, plan)
    elif first == b"{":
        reader = _read_json_lines(source, plan)
    else:
        reader = _read_csv(source, plan)
    try:
        yield from reader
    except (OSError, EOFError, zlib.error) as exc:
        plan.problem(
            _("after entity no. %(number)s") % {"number": plan.read},
            "",
            _("the compressed file is damaged or cut short (%(error)s).") % {"error": str(exc)[:120]},
        )
        raise FatalRegisterError from exc


def kind_for(entity: Entity) -> str:
    if entity.form in FORM_KINDS:
        return FORM_KINDS[entity.form]
    return OrganisationKind.STATE_AGENCY if entity.sector.startswith("61") else OrganisationKind.OTHER_PUBLIC


def has_content(organisation: Organisation) -> bool:
    """Anything in Nyskap points at the organisation (members, projects, instruments, surveys, subordinates …)."""
    for relation in Organisation._meta.related_objects:
        model = relation.related_model
        if model._base_manager.filter(**{relation.field.name: organisation}).exists():
            return True
    return False


def register_plan(stream: IO[bytes], *, sector_codes: list[str], organisation_forms: list[str]) -> RegisterPlan:
    """Read the whole file and work out the changes (nothing is written)."""
    plan = RegisterPlan()
    known: dict[str, dict[str, Any]] = {
        row["organisation_number"]: dict(row)
        for row in Organisation.objects.exclude(organisation_number="").values(
            "pk", "organisation_number", "name", "legal_name", "ended_on", "parent__organisation_number"
        )
    }
    sectors, forms = set(sector_codes), set(organisation_forms)
    plan.wanted = lambda number, sector, form: number in known or (sector in sectors and form in forms)
    seen: set[str] = set()
    wanted_parents: list[dict[str, Any]] = []
    try:
        for entity in read_entities(stream, plan):
            body = known.get(entity.number)
            selected = entity.sector in sectors and entity.form in forms
            if body is None and not selected:
                continue
            plan.selected += 1
            if entity.number in seen:
                plan.problem(_("number %(number)s") % {"number": entity.number}, NUMBER, _("the entity appears twice."))
                continue
            seen.add(entity.number)
            if entity.deleted_on is not None:
                if body is not None and body["ended_on"] is None:
                    plan.ended.append(
                        {
                            "number": entity.number,
                            "pk": body["pk"],
                            "name": body["name"],
                            "deleted_on": entity.deleted_on.isoformat(),
                        }
                    )
                continue
            if body is None:
                plan.new.append(
                    {
                        "number": entity.number,
                        "register_name": entity.name,
                        "name": display_name(entity.name),
                        "kind": kind_for(entity),
                        "form": entity.form,
                        "sector": entity.sector,
                        "parent": entity.parent if entity.parent != entity.number else "",
                    }
                )
                continue
            if body["legal_name"] and body["legal_name"] != entity.name:
                plan.renamed.append(
                    {"number": entity.number, "pk": body["pk"], "name": body["name"], "old": body["legal_name"],
                     "new": entity.name}
                )  # fmt: skip
            elif not body["legal_name"]:
                plan.names_recorded.append(
                    {"number": entity.number, "pk": body["pk"], "name": body["name"], "new": entity.name}
                )
            old_parent = body["parent__organisation_number"] or ""
            if entity.parent and entity.parent != old_parent and entity.parent != entity.number:
                wanted_parents.append(
                    {"number": entity.number, "pk": body["pk"], "name": body["name"], "old": old_parent,
                     "new": entity.parent}
                )  # fmt: skip
    except FatalRegisterError:
        plan.fatal = True
    # A parent is linked only when Nyskap has it, or gets it from this file; other parents are not public bodies
    # Nyskap follows.
    new_numbers = {item["number"] for item in plan.new}
    for item in plan.new:
        if item["parent"] and item["parent"] not in known and item["parent"] not in new_numbers:
            item["parent"] = ""
    plan.parents = [item for item in wanted_parents if item["new"] in known or item["new"] in new_numbers]
    for item in plan.ended:
        organisation = Organisation.objects.get(pk=item["pk"])
        item["action"] = "end" if organisation.reference_key or has_content(organisation) else "delete"
    return plan
