"""Writes of the procurement statistics: importing notice files, all of them or none."""

from __future__ import annotations

import csv
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import transaction

from nyskap.organisations.models import Organisation

from . import calculations, labels, selectors
from .models import BuyerTally, ImportRun, ImportStatus, Notice, NoticeKind, NoticeTally
from .parsers import NoticeProblem, ParsedNotice, read_notices

BATCH_SIZE = 1000
MAX_PROBLEMS_KEPT = 500  # every problem is counted; the first ones are kept and shown


class ImportRefused(Exception):
    """The import wrote nothing; ``run`` (not saved) holds the problems."""

    def __init__(self, run: ImportRun) -> None:
        super().__init__(f"{run.problem_count} problem(s)")
        self.run = run


class _Undo(Exception):
    pass


@dataclass
class NoticeFile:
    name: str
    stream: IO[bytes]


@functools.cache
def nuts_counties() -> dict[str, str]:
    """NUTS code → county number, for regions that cover one county (data/nuts_counties.csv)."""
    path = Path(__file__).parent / "data" / "nuts_counties.csv"
    with path.open(encoding="utf-8") as handle:
        return {
            row["nuts"]: row["county_numbers"] for row in csv.DictReader(handle) if " " not in row["county_numbers"]
        }


def _buyers(org_numbers: set[str]) -> dict[str, tuple[int, str]]:
    """Organisation number → (id, county number) of the organisations of the reference data that have them."""
    if not org_numbers:
        return {}
    rows = Organisation.objects.filter(organisation_number__in=org_numbers).values_list(
        "organisation_number", "pk", "county__number"
    )
    return {number: (pk, county or "") for number, pk, county in rows}


def _notice(parsed: ParsedNotice, buyers: dict[str, tuple[int, str]], run: ImportRun | None, synthetic: bool) -> Notice:
    result = calculations.classify(
        procedure=parsed.procedure or "oth-single", innovative=parsed.innovative, cpv=parsed.cpv
    )
    if parsed.kind == NoticeKind.PRIOR and not parsed.procedure:
        result = calculations.Classification(calculations.NoticeClass.OTHER, calculations.PRIOR_INFORMATION)
    buyer_id, buyer_county = buyers.get(parsed.buyer_org_number, (None, ""))
    assert parsed.published is not None
    return Notice(
        source=parsed.source,
        notice_id=parsed.notice_id,
        kind=parsed.kind,
        procedure_id=parsed.procedure_id,
        title=parsed.title,
        buyer_name=parsed.buyer_name,
        buyer_org_number=parsed.buyer_org_number,
        buyer_id=buyer_id,
        procedure=parsed.procedure,
        innovative=parsed.innovative,
        cpv=parsed.cpv,
        cpv_division=calculations.cpv_division(parsed.cpv[0]),
        nuts=parsed.nuts,
        county_number=buyer_county or nuts_counties().get(parsed.nuts, ""),
        published=parsed.published,
        year=parsed.published.year,
        notice_class=result.notice_class.value,
        reason_code=result.reason_code,
        synthetic=synthetic,
        import_run=run,
    )


def _notices(files: Iterable[NoticeFile]) -> Iterator[ParsedNotice | NoticeProblem]:
    for notice_file in files:
        yield from read_notices(notice_file.stream, notice_file.name)


def _mark_market_dialogue() -> None:
    """Competitions whose procedure was announced by a prior information notice had a market dialogue: they become
    innovation-friendly unless they are already procurement of innovation (the reason says why)."""
    prior = Notice.objects.filter(kind=NoticeKind.PRIOR).exclude(procedure_id="").values("procedure_id")
    candidates = Notice.objects.filter(kind=NoticeKind.COMPETITION, market_dialogue=False, procedure_id__in=prior)
    changed = []
    for notice in candidates.only("pk", "procedure", "innovative", "cpv").iterator(chunk_size=BATCH_SIZE):
        result = calculations.classify(
            procedure=notice.procedure or "oth-single",
            innovative=notice.innovative,
            cpv=notice.cpv,
            market_dialogue=True,
        )
        notice.market_dialogue = True
        notice.notice_class, notice.reason_code = result.notice_class.value, result.reason_code
        changed.append(notice)
        if len(changed) >= BATCH_SIZE:
            Notice.objects.bulk_update(changed, ["market_dialogue", "notice_class", "reason_code"])
            changed = []
    Notice.objects.bulk_update(changed, ["market_dialogue", "notice_class", "reason_code"])


def tallies_rebuild() -> None:
    """Recount the tallies from the notices, in the database (INSERT … SELECT … GROUP BY): after every import and
    after notices are deleted."""
    from django.db.models import Count, Max

    with transaction.atomic():
        NoticeTally.objects.all().delete()
        BuyerTally.objects.all().delete()
        competitions = Notice.objects.filter(kind=NoticeKind.COMPETITION)
        grouped = competitions.values("year", "cpv_division", "procedure", "county_number", "notice_class").annotate(
            n=Count("pk")
        )
        _insert_select(
            NoticeTally, ["year", "cpv_division", "procedure", "county_number", "notice_class", "count"], grouped
        )
        buyers = (
            competitions.exclude(buyer_org_number="")
            .values("buyer_org_number", "year", "notice_class")
            .annotate(name=Max("buyer_name"), n=Count("pk"))
        )
        _insert_select(BuyerTally, ["buyer_org_number", "year", "notice_class", "buyer_name", "count"], buyers)
        # The years and the demo-data flag of the statistics page are read again: now for this process, and for
        # every process once the new tallies are committed.
        selectors.forget_tallies()
        transaction.on_commit(selectors.forget_tallies)


def _insert_select(model: Any, columns: list[str], queryset: Any) -> None:
    """``INSERT INTO model (columns) SELECT …`` with the queryset's SQL: the rows never pass through Python."""
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({names}) {sql}", params)  # our own table and query


@dataclass
class Checked:
    """What reading every notice found: how many were read and the problems (every one counted, the first kept)."""

    notices_read: int = 0
    problem_count: int = 0
    problems: list[dict[str, str]] = field(default_factory=list)


def notices_check(*, files: Iterable[NoticeFile], on_notice: Callable[[], None] | None = None) -> Checked:
    """Read every notice of every file and check it, writing nothing and holding no transaction: the background
    import's first pass, whose progress (``on_notice`` after each notice or problem) its owner sees while it runs.
    A notice given twice is found within a batch here, and against the notices already written by the import."""
    checked = Checked()
    in_batch: set[tuple[str, str]] = set()

    def problem(item: NoticeProblem) -> None:
        checked.problem_count += 1
        if len(checked.problems) < MAX_PROBLEMS_KEPT:
            checked.problems.append(item.as_dict(labels.message))

    for item in _notices(files):
        if isinstance(item, NoticeProblem):
            problem(item)
        else:
            checked.notices_read += 1
            key = (item.source, item.notice_id)
            if key in in_batch:
                problem(_twice(item))
            else:
                in_batch.add(key)
                if len(in_batch) >= BATCH_SIZE:
                    in_batch.clear()
        if on_notice is not None:
            on_notice()
    return checked


def _twice(parsed: ParsedNotice) -> NoticeProblem:
    return NoticeProblem(
        parsed.file, parsed.position, "notice_id", "The notice %(id)s appears twice.", {"id": parsed.notice_id}
    )


def notices_import(*, files: Iterable[NoticeFile], actor: Any = None, synthetic: bool = False) -> ImportRun:
    """Read every notice of every file and write them in one transaction: all of them when no notice is bad, none
    (and ``ImportRefused`` with every problem) otherwise. Notices already imported (same source and identifier) are
    left as they are. Memory stays bounded: notices are read one at a time and written in batches."""
    files = list(files)
    names = [f.name for f in files]
    run = ImportRun(created_by=actor if getattr(actor, "pk", None) else None, file_names=names, synthetic=synthetic)
    problems: list[dict[str, str]] = []
    # Memory stays bounded: only the current batch is held. A notice given twice is found within its batch, or in
    # the database among the notices this import has already written.
    in_batch: set[tuple[str, str]] = set()
    batch: list[ParsedNotice] = []

    def flush() -> None:
        rows = Notice.objects.filter(notice_id__in=[p.notice_id for p in batch]).values_list(
            "source", "notice_id", "import_run_id"
        )
        existing = {(source, notice_id): run_id for source, notice_id, run_id in rows}
        for parsed in batch:
            if existing.get((parsed.source, parsed.notice_id), -1) == run.pk:
                problem(_twice(parsed))
        if run.problem_count:
            batch.clear()
            in_batch.clear()
            return
        buyers = _buyers({p.buyer_org_number for p in batch if p.buyer_org_number})
        new = [_notice(p, buyers, run, synthetic) for p in batch if (p.source, p.notice_id) not in existing]
        Notice.objects.bulk_create(new, batch_size=BATCH_SIZE)
        run.notices_created += len(new)
        run.notices_skipped += len(batch) - len(new)
        batch.clear()
        in_batch.clear()

    def problem(item: NoticeProblem) -> None:
        run.problem_count += 1
        if len(problems) < MAX_PROBLEMS_KEPT:
            problems.append(item.as_dict(labels.message))

    run.status = ImportStatus.IMPORTED
    try:
        with transaction.atomic():  # the run and its notices: undone as a whole when any notice is bad
            run.save()
            for item in _notices(files):
                if isinstance(item, NoticeProblem):
                    problem(item)
                    continue
                run.notices_read += 1
                key = (item.source, item.notice_id)
                if key in in_batch:
                    problem(_twice(item))
                    continue
                if run.problem_count:
                    continue  # nothing more is written once one notice is bad; the rest are still checked
                batch.append(item)
                in_batch.add(key)
                if len(batch) >= BATCH_SIZE:
                    flush()
            flush()
            if run.problem_count:
                raise _Undo
            _mark_market_dialogue()
            if run.notices_created:
                tallies_rebuild()
            run.save()
            return run
    except _Undo:
        pass
    # Nothing of the import is kept, not even its record: the problems go back to the caller (the page shows them,
    # the command prints them).
    run.pk = None
    run.status = ImportStatus.REFUSED
    run.notices_created = run.notices_skipped = 0
    run.problems = problems
    raise ImportRefused(run)
