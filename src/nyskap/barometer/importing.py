"""Importing earlier barometer microdata (CSV or XLSX) into a round in draft whose frame gives the population: a
column mapping says which of the file's columns is which breakdown variable or questionnaire item; the answers are
checked with the survey engine's own rules and stored in the engine as a closed round. All or nothing: every
problem is reported with its row (numbered as in the spreadsheet, the header being row 1) and the file's column.

Mapping, one line per column: ``their column = our key``, where our key is a breakdown variable (sector,
org_type, size_band, county, centrality — all five are needed) or an item key of the questionnaire (b1_product,
b3_novelty …). A several-choice answer lists its option keys separated by ``;``. Unmapped columns are ignored.

It runs as a background job (`jobs`), queued by the upload page once `microdata_import_check` has passed. Every row
is read and checked outside any transaction, so the job's progress page sees the count grow; then everything is
written in one transaction, after the round's state is checked again under a lock."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nyskap.core.permissions import require_editor_of
from nyskap.core.spreadsheets import CellProblem, SpreadsheetError, cell_text, read_table
from nyskap.core.tabular import choice_lookup, normalise_key
from nyskap.surveys import selectors as survey_selectors
from nyskap.surveys import services as survey_services
from nyskap.surveys.errors import SurveyError

from . import questionnaire
from .frame import LOOKUPS_FIELDS, FrameError
from .models import STRATUM_VARIABLES, Round, RoundStatus, Workplace
from .services import BarometerError, cell_of

MAX_MAPPING_LINES = 200


class MappingError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_mapping(text: str, kind: str) -> dict[str, str]:
    """Their normalised column name → our key. Raises `MappingError` naming the first bad line."""
    items = {item["key"]: item for block in questionnaire.data(kind)["blocks"] for item in block["items"]}
    mapping: dict[str, str] = {}
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_MAPPING_LINES:
        raise MappingError(_("The mapping can have at most 200 lines."))
    for number, line in enumerate(lines, start=1):
        theirs, separator, ours = line.partition("=")
        theirs, ours = normalise_key(theirs), ours.strip()
        if not separator or not theirs or not ours:
            raise MappingError(_("Line %(line)d: write “their column = our key”.") % {"line": number})
        if ours not in STRATUM_VARIABLES and ours not in items:
            raise MappingError(
                _("Line %(line)d: “%(key)s” is no variable or item.") % {"line": number, "key": ours[:60]}
            )
        if ours in mapping.values() or theirs in mapping:
            raise MappingError(_("Line %(line)d: a column or key is mapped twice.") % {"line": number})
        mapping[theirs] = ours
    missing = [v for v in STRATUM_VARIABLES if v not in mapping.values()]
    if missing:
        raise MappingError(
            _("Map a column to every breakdown variable (missing: %(keys)s).") % {"keys": ", ".join(missing)}
        )
    return mapping


RowCounter = Callable[[], None]
TotalCounter = Callable[[int], None]


def _require_importable(round: Round) -> None:
    if round.status != RoundStatus.DRAFT:
        raise BarometerError(_("Only a round in draft can change its frame or sample."))
    if not Workplace.objects.filter(round=round).exists():
        raise BarometerError(_("Upload the frame first."), "file")


def microdata_import_check(*, actor: Any, round: Round, mapping_text: str) -> dict[str, str]:
    """The refusals that need no file, made where the file is uploaded (so nothing is queued) and again by the
    import: an editor of the owner (else `PermissionDenied`), a round in draft with a frame and a good mapping (else
    `BarometerError`, naming the form's field). The mapping, their normalised column name → our key."""
    require_editor_of(actor, round.owner)
    _require_importable(round)
    try:
        return parse_mapping(mapping_text, round.kind)
    except MappingError as error:
        raise BarometerError(error.message, "mapping") from None


@dataclass
class _Answers:
    responses: list[tuple[str, dict[str, Any]]]  # (the engine's unit, the answers) per row with answers
    numbers: list[int]  # the spreadsheet's row number of each response
    columns: dict[str, str]  # our key → their column as the header spells it


def microdata_import(
    *,
    actor: Any,
    round: Round,
    upload: IO[bytes],
    filename: str,
    mapping_text: str,
    on_total: TotalCounter | None = None,
    on_row: RowCounter | None = None,
) -> int:
    """Import the file's answers; the round becomes closed. The number of responses imported. Every row is checked
    before anything is written (`FrameError` lists every problem; nothing is written). ``on_total`` is told the
    number of rows below the header once the file is read, and ``on_row`` is called for each of them as it is checked
    (a background import's progress)."""
    mapping = microdata_import_check(actor=actor, round=round, mapping_text=mapping_text)
    answers = _read_answers(round, upload, filename, mapping, on_total=on_total, on_row=on_row)
    return _write(actor=actor, round=round, answers=answers)


def _read_answers(
    round: Round,
    upload: IO[bytes],
    filename: str,
    mapping: dict[str, str],
    *,
    on_total: TotalCounter | None,
    on_row: RowCounter | None,
) -> _Answers:
    items = {item["key"]: item for block in questionnaire.data(round.kind)["blocks"] for item in block["items"]}
    lookups = {name: choice_lookup(choices) for name, choices in LOOKUPS_FIELDS.items()}
    # A county as the frame spells it, whatever its case here (the engine tells unit names apart without case).
    counties = {c.casefold(): c for c in Workplace.objects.filter(round=round).values_list("county", flat=True)}
    try:
        rows = list(read_table(upload, filename))
    except SpreadsheetError as error:
        raise FrameError([CellProblem("", 0, "", error.message)]) from None
    if not rows:
        raise FrameError([CellProblem("", 1, "", _("The file is empty."))])
    if on_total is not None:
        on_total(len(rows) - 1)
    header = [normalise_key(cell_text(cell)) for cell in rows[0]]
    positions = {
        mapping[name]: (index, cell_text(rows[0][index])) for index, name in enumerate(header) if name in mapping
    }
    problems = [
        CellProblem("", 1, theirs, _("There is no such column."))
        for theirs, ours in mapping.items()
        if ours not in positions
    ]
    if problems:
        raise FrameError(problems)
    responses: list[tuple[str, dict[str, Any]]] = []
    numbers: list[int] = []
    for number, cells in enumerate(rows[1:], start=2):
        if on_row is not None:
            on_row()
        values = {
            ours: cell_text(cells[index]) if index < len(cells) else "" for ours, (index, _c) in positions.items()
        }
        if not any(values.values()):
            continue
        breakdown = []
        for variable in STRATUM_VARIABLES:
            raw = values[variable]
            if variable == "county":
                county = " ".join(raw.split())
                valid = county and "|" not in county and len(county) <= 100
                code = counties.get(county.casefold(), county) if valid else None
            else:
                code = lookups[variable].get(normalise_key(raw))
            if code is None:
                problems.append(
                    CellProblem(
                        "",
                        number,
                        positions[variable][1],
                        _("“%(value)s” is not one of the options.") % {"value": raw[:60]},
                    )
                )
            breakdown.append(str(code))
        answers: dict[str, Any] = {}
        for key, raw in values.items():
            if key in STRATUM_VARIABLES or not raw:
                continue
            answers[key] = (
                [part.strip() for part in raw.split(";") if part.strip()] if items[key]["kind"] == "multiple" else raw
            )
        responses.append((" | ".join(breakdown), answers))
        numbers.append(number)
    if problems:
        raise FrameError(problems)
    if not responses:
        raise FrameError([CellProblem("", 2, "", _("The file has no answers."))])
    return _Answers(responses, numbers, {ours: theirs for ours, (_i, theirs) in positions.items()})


@transaction.atomic
def _write(*, actor: Any, round: Round, answers: _Answers) -> int:
    # The round's state again, under a lock: it may have moved on since the file was read (another import, the
    # fieldwork started, a new frame); and its frame's population.
    round.status = Round.objects.select_for_update().filter(pk=round.pk).values_list("status", flat=True).get()
    _require_importable(round)
    _check_population(round, answers.responses)
    responses = answers.responses
    cells = sorted({unit for unit, _answers in responses})
    version = survey_selectors.latest_published_version(questionnaire.key(round.kind))
    if version is None:
        raise BarometerError(_("The questionnaire is not loaded."), "file")
    today = timezone.localdate()
    try:
        survey_round = survey_services.round_create(
            actor=actor,
            organisation=round.owner,
            data=survey_services.RoundInput(
                title=round.title,
                version=version,
                opens_on=today,
                closes_on=today,
                threshold=round.min_cell,
                share_in_benchmarks=False,
                units=cells,
            ),
        )
        survey_services.round_close(actor=actor, round=survey_round)
        imported = survey_services.responses_import(actor=actor, round=survey_round, responses=responses)
    except SurveyError as error:
        if not error.errors:
            raise BarometerError(error.message, "file") from None
        found = []
        for key, message in error.errors.items():
            index, _sep, item = key.partition(":")
            column = answers.columns.get(item, item) if item != "unit" else ""
            found.append(CellProblem("", answers.numbers[int(index)] if index.isdigit() else 0, column, message))
        raise FrameError(found) from None
    round.survey_round = survey_round
    round.status = RoundStatus.CLOSED
    round.save(update_fields=["survey_round", "status"])
    Workplace.objects.filter(round=round).update(email=None)
    return imported


def _check_population(round: Round, responses: list[tuple[str, dict[str, Any]]]) -> None:
    """Every stratum with answers needs at least as many workplaces in the frame."""

    def stratum(values: tuple[str, ...]) -> str:
        return " | ".join(values[STRATUM_VARIABLES.index(v)] for v in round.strata) or "all"

    population = Counter(stratum(tuple(cell_of(w).split(" | "))) for w in Workplace.objects.filter(round=round))
    answered = Counter(stratum(tuple(unit.split(" | "))) for unit, _answers in responses)
    problems = [
        CellProblem(
            "",
            0,
            "",
            _("The stratum “%(stratum)s” has %(n)d answers but %(N)d workplaces in the frame.")
            % {"stratum": h, "n": n, "N": population.get(h, 0)},
        )
        for h, n in sorted(answered.items())
        if n > population.get(h, 0)
    ]
    if problems:
        raise FrameError(problems)
