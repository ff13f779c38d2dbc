"""Files in the Central Coordinating Register's bulk-download structure ("enheter", JSON array or CSV with dotted
column names, gzip-compressed), written by the tests themselves: no downloaded data is checked in.

``entity()`` builds one entity with the register's fields; ``write_json`` / ``write_csv`` / ``write_json_lines``
stream any number of them to a file, so the benchmark can write 1.2 million without holding them in memory."""

from __future__ import annotations

import csv
import gzip
import io
import json
import random
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from nyskap.organisations.validators import mod11_check_digit

SECTORS = {
    "6100": "Statsforvaltningen",
    "6500": "Kommuneforvaltningen",
    "2100": "Private aksjeselskaper mv.",
    "8200": "Personlig næringsdrivende",
    "7000": "Ideelle organisasjoner",
}
FORMS = {
    "STAT": "Staten",
    "ORGL": "Organisasjonsledd",
    "SÆR": "Annet foretak iflg. særskilt lov",
    "KOMM": "Kommune",
    "FYLK": "Fylkeskommune",
    "IKS": "Interkommunalt selskap",
    "AS": "Aksjeselskap",
    "ENK": "Enkeltpersonforetak",
    "FLI": "Forening/lag/innretning",
}

# The CSV download's columns, in the register's order (dotted names for nested fields).
CSV_COLUMNS = [
    "organisasjonsnummer", "navn", "organisasjonsform.kode", "organisasjonsform.beskrivelse",
    "naeringskode1.kode", "naeringskode1.beskrivelse", "naeringskode2.kode", "naeringskode2.beskrivelse",
    "naeringskode3.kode", "naeringskode3.beskrivelse", "hjelpeenhetskode.kode", "hjelpeenhetskode.beskrivelse",
    "harRegistrertAntallAnsatte", "antallAnsatte", "hjemmeside",
    "postadresse.adresse", "postadresse.poststed", "postadresse.postnummer", "postadresse.kommune",
    "postadresse.kommunenummer", "postadresse.land", "postadresse.landkode",
    "forretningsadresse.adresse", "forretningsadresse.poststed", "forretningsadresse.postnummer",
    "forretningsadresse.kommune", "forretningsadresse.kommunenummer", "forretningsadresse.land",
    "forretningsadresse.landkode", "institusjonellSektorkode.kode", "institusjonellSektorkode.beskrivelse",
    "sisteInnsendteAarsregnskap", "registreringsdatoenhetsregisteret", "stiftelsesdato", "registrertIMvaRegisteret",
    "frivilligMvaRegistrertBeskrivelser", "registrertIFrivillighetsregisteret", "registrertIForetaksregisteret",
    "registrertIStiftelsesregisteret", "konkurs", "konkursdato", "underAvvikling", "underAvviklingDato",
    "underTvangsavviklingEllerTvangsopplosning", "overordnetEnhet", "maalform", "vedtektsdato",
    "vedtektsfestetFormaal", "aktivitet", "slettedato",
]  # fmt: skip


def valid_number(seed: int) -> str:
    """A nine-digit organisation number with a valid MOD11 check digit: ``seed`` (8 digits) or the next valid."""
    while (digit := mod11_check_digit(f"{seed:08d}")) is None:
        seed += 1
    return f"{seed:08d}{digit}"


def entity(
    number: str,
    name: str,
    *,
    form: str = "AS",
    sector: str | None = "2100",
    parent: str | None = None,
    deleted_on: str | None = None,
) -> dict[str, Any]:
    """One entity as the JSON download has it."""
    address = {
        "land": "Norge",
        "landkode": "NO",
        "postnummer": "8900",
        "poststed": "BRØNNØYSUND",
        "adresse": ["Havnegata 48"],
        "kommune": "BRØNNØY",
        "kommunenummer": "1813",
    }
    value: dict[str, Any] = {
        "organisasjonsnummer": number,
        "navn": name,
        "organisasjonsform": {
            "kode": form,
            "beskrivelse": FORMS.get(form, form),
            "_links": {"self": {"href": f"https://data.brreg.no/enhetsregisteret/api/organisasjonsformer/{form}"}},
        },
        "registreringsdatoEnhetsregisteret": "1995-08-09",
        "registrertIMvaregisteret": False,
        "naeringskode1": {"kode": "84.110", "beskrivelse": "Generell offentlig administrasjon"},
        "harRegistrertAntallAnsatte": True,
        "antallAnsatte": 42,
        "forretningsadresse": address,
        "postadresse": dict(address, adresse=["Postboks 900"]),
        "registrertIForetaksregisteret": False,
        "registrertIStiftelsesregisteret": False,
        "registrertIFrivillighetsregisteret": False,
        "konkurs": False,
        "underAvvikling": False,
        "underTvangsavviklingEllerTvangsopplosning": False,
        "maalform": "Bokmål",
        "_links": {"self": {"href": f"https://data.brreg.no/enhetsregisteret/api/enheter/{number}"}},
    }
    if sector is not None:
        value["institusjonellSektorkode"] = {"kode": sector, "beskrivelse": SECTORS.get(sector, sector)}
    if parent:
        value["overordnetEnhet"] = parent
    if deleted_on:
        value["slettedato"] = deleted_on
    return value


def filler(count: int, *, start: int = 81_000_000, seed: int = 15) -> Iterator[dict[str, Any]]:
    """``count`` private entities (companies, sole proprietors, associations) that an import leaves alone."""
    rng = random.Random(seed)
    number = start
    forms = [("AS", "2100"), ("ENK", "8200"), ("FLI", "7000")]
    for i in range(count):
        value = valid_number(number)
        number = int(value[:8]) + 1
        form, sector = forms[rng.randrange(3)]
        yield entity(value, f"EKSEMPEL {i} {form}", form=form, sector=sector)


def csv_row(value: dict[str, Any]) -> dict[str, str]:
    row: dict[str, str] = {}
    for column in CSV_COLUMNS:
        outer, _dot, inner = column.partition(".")
        cell = value.get(outer)
        if inner:
            cell = cell.get(inner) if isinstance(cell, dict) else None
        if isinstance(cell, list):
            cell = ", ".join(cell)
        if isinstance(cell, bool):
            cell = "true" if cell else "false"
        row[column] = "" if cell is None else str(cell)
    return row


def _open(path: Path, compress: bool) -> io.BufferedIOBase:
    return gzip.open(path, "wb", compresslevel=1) if compress else path.open("wb")  # type: ignore[return-value]


def write_json(path: Path, entities: Iterable[dict[str, Any]], *, compress: bool = True) -> Path:
    """A JSON array, one entity after another (the register's ``lastned`` format)."""
    with _open(path, compress) as handle:
        handle.write(b"[")
        for i, value in enumerate(entities):
            handle.write((b"," if i else b"") + json.dumps(value, ensure_ascii=False).encode())
        handle.write(b"]")
    return path


def write_json_lines(path: Path, lines: Iterable[dict[str, Any] | bytes], *, compress: bool = True) -> Path:
    with _open(path, compress) as handle:
        for line in lines:
            handle.write((line if isinstance(line, bytes) else json.dumps(line, ensure_ascii=False).encode()) + b"\n")
    return path


def write_csv(
    path: Path, rows: Iterable[dict[str, Any] | bytes], *, compress: bool = True, encoding: str = "utf-8"
) -> Path:
    """The CSV download: a header of dotted column names, every value quoted. ``bytes`` items are written as they
    are (a broken row)."""
    with _open(path, compress) as handle:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writeheader()
        handle.write(buffer.getvalue().encode(encoding))
        for row in rows:
            if isinstance(row, bytes):
                handle.write(row)
                continue
            buffer.seek(0)
            buffer.truncate()
            writer.writerow(csv_row(row))
            handle.write(buffer.getvalue().encode(encoding, errors="replace"))
    return path
