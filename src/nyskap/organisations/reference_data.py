"""Reading and checking the reference data shipped in ``nyskap/data`` (see its SOURCES.md).

This module is pure: it reads the CSV files, checks every row and returns typed rows or a list of every
problem found. Writing to the database is :func:`nyskap.organisations.services.reference_data_load`.

Rows are numbered as in a spreadsheet: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.text import slugify

from nyskap.core.tabular import CellReader, Problem, ReferenceDataError, read_csv_rows

from .models import OrganisationKind
from .validators import organisation_number_problem

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"

MUNICIPALITIES_FILE = "municipalities_2024.csv"
COUNTIES_FILE = "counties_2024.csv"
STATE_AGENCIES_FILE = "state_agencies.csv"

# The population column the platform shows, and the year it belongs to (1 January).
POPULATION_COLUMN = "folketall_2026_01_01"
POPULATION_YEAR = 2026

MUNICIPALITY_COLUMNS = (
    "kommunenummer",
    "kommunenavn",
    "kommunenavn_offisielt",
    "andre_offisielle_navneformer",
    "fylkesnummer",
    "fylkesnavn",
    "organisasjonsnummer",
    POPULATION_COLUMN,
    "sentralitetsklasse",
    "sentralitetsindeks",
)
COUNTY_COLUMNS = (
    "fylkesnummer",
    "fylkesnavn",
    "fylkesnavn_offisielt",
    "fylkeskommune",
    "organisasjonsnummer",
    POPULATION_COLUMN,
    "statsforvalter",
    "statsforvalter_organisasjonsnummer",
)
STATE_AGENCY_COLUMNS = (
    "navn",
    "kortnavn",
    "juridisk_navn",
    "organisasjonsnummer",
    "kategori",
    "overordnet_departement_orgnr",
    "status",
    "merknad",
    "kilder",
)

# kategori in state_agencies.csv → the kind of organisation in Nyskap (docs/adr, "register updates"). Every category
# the file uses must be here: an unknown one is a problem in the file, not a guess.
STATE_CATEGORY_KINDS: dict[str, OrganisationKind] = {
    "departement": OrganisationKind.MINISTRY,
    "statsministerens kontor": OrganisationKind.MINISTRY,
    "statsforvalter": OrganisationKind.COUNTY_GOVERNOR,
    "direktorat/etat": OrganisationKind.STATE_AGENCY,
    "forvaltningsorgan med særskilte fullmakter": OrganisationKind.STATE_AGENCY,
    "særlovsselskap": OrganisationKind.STATE_AGENCY,
    "tilsyn": OrganisationKind.SUPERVISORY_AUTHORITY,
    "universitet/høgskole": OrganisationKind.UNIVERSITY,
    "helseforetak": OrganisationKind.REGIONAL_HEALTH_TRUST,
    "nemnd": OrganisationKind.TRIBUNAL,
    "ombud": OrganisationKind.OMBUD,
    "Stortingets kontrollorgan": OrganisationKind.STORTING_BODY,
    "stiftelse": OrganisationKind.OTHER_PUBLIC,
    "interesse- og arbeidsgiverorganisasjon": OrganisationKind.OTHER_PUBLIC,
}
ACTIVE_STATUS = "aktiv"
ENDED_STATUS = re.compile(r"^opphørt (\d{4}-\d{2}-\d{2})$")

# Letters that Unicode decomposition does not turn into ASCII; the rest (å, á, č, š …) lose their accents.
_SLUG_TRANSLITERATION = str.maketrans(
    {"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ŋ": "n", "Ŋ": "N", "ŧ": "t", "Ŧ": "T"}
)


def slug_base(text: str) -> str:
    """A readable ASCII slug for a Norwegian or Sami name: "Bærum" → "baerum", "Øygarden" → "oygarden"."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_SLUG_TRANSLITERATION))
    return slugify(ascii_text)[:200].strip("-") or "organisation"


@dataclass(frozen=True)
class CountyRow:
    row: int
    number: str
    name: str
    official_name: str
    county_municipality_name: str
    organisation_number: str
    population: int
    county_governor_organisation_number: str


@dataclass(frozen=True)
class MunicipalityRow:
    row: int
    number: str
    name: str
    official_name: str
    other_name_forms: str
    county_number: str
    organisation_number: str
    population: int
    centrality_class: int
    centrality_index: int


@dataclass(frozen=True)
class StateAgencyRow:
    row: int
    name: str
    short_name: str
    legal_name: str
    organisation_number: str
    category: str
    kind: OrganisationKind
    parent_organisation_number: str
    ended_on: datetime.date | None
    note: str
    sources: str

    @property
    def reference_key(self) -> str:
        return f"stat:{self.organisation_number or slug_base(self.short_name or self.name)}"


@dataclass
class ReferenceData:
    counties: list[CountyRow] = field(default_factory=list)
    municipalities: list[MunicipalityRow] = field(default_factory=list)
    state_agencies: list[StateAgencyRow] = field(default_factory=list)


class _RowReader(CellReader):
    """The shared cell reader, with the organisation number the register uses."""

    def organisation_number(self, column: str, *, required: bool = True) -> str:
        value = self.text(column, required=required)
        if value:
            problem = organisation_number_problem(value)
            if problem:
                self.problem(column, problem)
        return value


def _read_rows(
    data_dir: Path, file: str, columns: tuple[str, ...], problems: list[Problem]
) -> list[tuple[int, dict[str, str]]]:
    return read_csv_rows(data_dir / file, columns, problems, file=file)


def _check_unique(
    file: str, column: str, items: list[tuple[int, str]], problems: list[Problem], what: str = "value"
) -> None:
    counts = Counter(value for _row, value in items if value)
    for row, value in items:
        if value and counts[value] > 1:
            problems.append(Problem(file, row, column, f"{what} “{value}” appears more than once."))


def _parse_counties(data_dir: Path, problems: list[Problem]) -> list[CountyRow]:
    counties = []
    for row, values in _read_rows(data_dir, COUNTIES_FILE, COUNTY_COLUMNS, problems):
        cells = _RowReader(COUNTIES_FILE, row, values, problems)
        counties.append(
            CountyRow(
                row=row,
                number=cells.digits("fylkesnummer", 2),
                name=cells.text("fylkesnavn"),
                official_name=cells.text("fylkesnavn_offisielt"),
                county_municipality_name=cells.text("fylkeskommune"),
                organisation_number=cells.organisation_number("organisasjonsnummer"),
                population=cells.integer(POPULATION_COLUMN, 0, 100_000_000),
                county_governor_organisation_number=cells.organisation_number("statsforvalter_organisasjonsnummer"),
            )
        )
    _check_unique(COUNTIES_FILE, "fylkesnummer", [(c.row, c.number) for c in counties], problems, "county number")
    return counties


def _parse_municipalities(data_dir: Path, problems: list[Problem]) -> list[MunicipalityRow]:
    municipalities = []
    for row, values in _read_rows(data_dir, MUNICIPALITIES_FILE, MUNICIPALITY_COLUMNS, problems):
        cells = _RowReader(MUNICIPALITIES_FILE, row, values, problems)
        municipality = MunicipalityRow(
            row=row,
            number=cells.digits("kommunenummer", 4),
            name=cells.text("kommunenavn"),
            official_name=cells.text("kommunenavn_offisielt"),
            other_name_forms=cells.text("andre_offisielle_navneformer", required=False),
            county_number=cells.digits("fylkesnummer", 2),
            organisation_number=cells.organisation_number("organisasjonsnummer"),
            population=cells.integer(POPULATION_COLUMN, 0, 100_000_000),
            centrality_class=cells.integer("sentralitetsklasse", 1, 6),
            centrality_index=cells.integer("sentralitetsindeks", 0, 1000),
        )
        if municipality.number[:2] != municipality.county_number and municipality.county_number:
            cells.problem(
                "kommunenummer",
                f"municipality number “{municipality.number}” does not start with its county number "
                f"“{municipality.county_number}”.",
            )
        municipalities.append(municipality)
    _check_unique(
        MUNICIPALITIES_FILE,
        "kommunenummer",
        [(m.row, m.number) for m in municipalities],
        problems,
        "municipality number",
    )
    return municipalities


def _parse_state_agencies(data_dir: Path, problems: list[Problem]) -> list[StateAgencyRow]:
    agencies = []
    for row, values in _read_rows(data_dir, STATE_AGENCIES_FILE, STATE_AGENCY_COLUMNS, problems):
        cells = _RowReader(STATE_AGENCIES_FILE, row, values, problems)
        category = cells.text("kategori")
        kind = STATE_CATEGORY_KINDS.get(category)
        if category and kind is None:
            cells.problem(
                "kategori",
                f"unknown category “{category}”; known: {', '.join(sorted(STATE_CATEGORY_KINDS))}.",
            )
        status = cells.text("status")
        ended_on = None
        ended = ENDED_STATUS.match(status)
        if ended:
            try:
                ended_on = datetime.date.fromisoformat(ended.group(1))
            except ValueError:
                cells.problem("status", f"“{ended.group(1)}” is not a valid date.")
        elif status and status != ACTIVE_STATUS:
            cells.problem("status", f"“{status}” is neither “{ACTIVE_STATUS}” nor “opphørt YYYY-MM-DD”.")
        agencies.append(
            StateAgencyRow(
                row=row,
                name=cells.text("navn"),
                short_name=cells.text("kortnavn", required=False),
                legal_name=cells.text("juridisk_navn", required=False),
                # DOGA, a foundation, has no organisation number in the sources (see SOURCES.md).
                organisation_number=cells.organisation_number("organisasjonsnummer", required=False),
                category=category,
                kind=kind or OrganisationKind.OTHER_PUBLIC,
                parent_organisation_number=cells.organisation_number("overordnet_departement_orgnr", required=False),
                ended_on=ended_on,
                note=cells.text("merknad", required=False),
                sources=cells.text("kilder", required=False),
            )
        )
    _check_unique(
        STATE_AGENCIES_FILE,
        "organisasjonsnummer",
        [(a.row, a.organisation_number) for a in agencies],
        problems,
        "organisation number",
    )
    _check_unique(
        STATE_AGENCIES_FILE,
        "kortnavn",
        [(a.row, a.reference_key) for a in agencies],
        problems,
        "reference key",
    )
    return agencies


def _cross_check(data: ReferenceData, problems: list[Problem]) -> None:
    """Links between the files: every reference must point at a row that exists, of the right kind.

    A file that could not be read at all (missing, or a column missing) is left out, so one broken header does
    not make every row of the other files a problem too."""
    unreadable = {p.file for p in problems if p.row is None or p.row == 1}
    county_numbers = {c.number for c in data.counties}
    for m in data.municipalities if COUNTIES_FILE not in unreadable else []:
        if re.fullmatch(r"\d{2}", m.county_number) and m.county_number not in county_numbers:
            problems.append(
                Problem(
                    MUNICIPALITIES_FILE,
                    m.row,
                    "fylkesnummer",
                    f"unknown county “{m.county_number}”: it is not in {COUNTIES_FILE}.",
                )
            )

    by_number = {a.organisation_number: a for a in data.state_agencies if a.organisation_number}
    for a in data.state_agencies:
        if not a.parent_organisation_number:
            continue
        parent = by_number.get(a.parent_organisation_number)
        if parent is None:
            problems.append(
                Problem(
                    STATE_AGENCIES_FILE,
                    a.row,
                    "overordnet_departement_orgnr",
                    f"no row in {STATE_AGENCIES_FILE} has organisation number “{a.parent_organisation_number}”.",
                )
            )
        elif parent.kind != OrganisationKind.MINISTRY:
            problems.append(
                Problem(
                    STATE_AGENCIES_FILE,
                    a.row,
                    "overordnet_departement_orgnr",
                    f"“{a.parent_organisation_number}” ({parent.name}) is not a ministry.",
                )
            )

    municipality_numbers = {m.organisation_number: m for m in data.municipalities}
    for c in data.counties:
        governor = by_number.get(c.county_governor_organisation_number)
        if (
            STATE_AGENCIES_FILE not in unreadable
            and c.county_governor_organisation_number
            and (governor is None or governor.kind != OrganisationKind.COUNTY_GOVERNOR)
        ):
            problems.append(
                Problem(
                    COUNTIES_FILE,
                    c.row,
                    "statsforvalter_organisasjonsnummer",
                    f"no statsforvalter in {STATE_AGENCIES_FILE} has organisation number "
                    f"“{c.county_governor_organisation_number}”.",
                )
            )
        # Oslo: the municipality is also the county municipality (same organisation number).
        shared = municipality_numbers.get(c.organisation_number)
        if shared is not None and shared.county_number != c.number:
            problems.append(
                Problem(
                    COUNTIES_FILE,
                    c.row,
                    "organisasjonsnummer",
                    f"“{c.organisation_number}” belongs to municipality {shared.number} {shared.name}, "
                    f"which is not in county {c.number}.",
                )
            )

    # One organisation number, one organisation (the Oslo case above is the same organisation, not a clash).
    numbered: list[tuple[str, int, str]] = [
        (MUNICIPALITIES_FILE, m.row, m.organisation_number) for m in data.municipalities
    ]
    numbered += [
        (COUNTIES_FILE, c.row, c.organisation_number)
        for c in data.counties
        if c.organisation_number not in municipality_numbers
    ]
    numbered += [(STATE_AGENCIES_FILE, a.row, a.organisation_number) for a in data.state_agencies]
    owners: dict[str, tuple[str, int]] = {}
    for file, row, number in numbered:
        if not number:
            continue
        owner = owners.setdefault(number, (file, row))
        if owner[0] != file:
            problems.append(
                Problem(
                    file,
                    row,
                    "organisasjonsnummer",
                    f"organisation number “{number}” is also used in {owner[0]}, row {owner[1]}.",
                )
            )


def read_reference_data(data_dir: Path = DEFAULT_DATA_DIR) -> ReferenceData:
    """Read and check all three files; raise :class:`ReferenceDataError` listing every problem found."""
    problems: list[Problem] = []
    data = ReferenceData(
        counties=_parse_counties(data_dir, problems),
        municipalities=_parse_municipalities(data_dir, problems),
        state_agencies=_parse_state_agencies(data_dir, problems),
    )
    _cross_check(data, problems)
    if problems:
        raise ReferenceDataError(problems)
    return data
