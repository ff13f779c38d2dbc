"""Many projects written at once (imports): one transaction, the same checks as one project, bulk inserts."""

from __future__ import annotations

import datetime
import functools
import itertools
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nyskap.core.visibility import Visibility
from nyskap.organisations.models import Organisation
from nyskap.organisations.reference_data import slug_base
from nyskap.organisations.services import unique_slug

from ..models import (
    Phase,
    PhaseChange,
    Project,
)
from ..search import bump_library_version, index_projects
from .projects import (
    _M2M,
    RESERVED_SLUGS,
    ProjectError,
    _check_dates,
    _clean_values,
    require_editor_of,
)

# Many projects at once (imports)

_PHASE_PATH = [Phase.NEED, Phase.IDEAS, Phase.DEVELOP_TEST, Phase.IMPLEMENTED, Phase.SPREAD]


@dataclass
class BulkProjectRow:
    """One project to create: its fields, the phase it has reached and, if stopped, why (and from which phase)."""

    fields: dict[str, Any]
    phase: str = Phase.NEED
    stopped_reason: str = ""
    stopped_from: str = Phase.NEED


@transaction.atomic
def projects_bulk_create(*, actor: Any, owner: Organisation, rows: list[BulkProjectRow], note: str) -> list[Project]:
    """Create many projects for `owner` in a few statements per table — the same checks, timeline and audit trail
    as `project_create` and `project_change_phase`, row by row, without a round trip per field.

    Raises `BulkProjectError` listing every bad row (0-based index, field, message); nothing is written then.
    """
    require_editor_of(actor, owner)
    problems: list[tuple[int, str, str]] = []
    cleaned_rows: list[dict[str, Any]] = []
    for index, row in enumerate(rows):
        try:
            cleaned = _clean_values({"visibility": Visibility.DRAFT, **row.fields})
            _check_dates(cleaned.get("start_date"), cleaned.get("end_date"))
            if row.phase == Phase.STOPPED and not (row.stopped_reason.strip() and cleaned.get("lessons_learned")):
                raise ProjectError(_("A stopped project must say why it was stopped and what was learned."), "phase")
            if row.phase not in Phase.values:
                raise ProjectError(_("Choose one of the options."), "phase")
        except ProjectError as exc:
            problems.append((index, exc.field or "", exc.message))
            continue
        cleaned_rows.append(cleaned)
    if problems:
        raise BulkProjectError(problems)

    now = timezone.now()
    taken = set(Project.objects.values_list("slug", flat=True)) | RESERVED_SLUGS
    created: list[Project] = []
    # Written in chunks so that memory stays flat however long the file is (all inside the one transaction).
    for start in range(0, len(rows), BULK_CHUNK):
        created += _bulk_write(
            actor=actor,
            owner=owner,
            rows=rows[start : start + BULK_CHUNK],
            cleaned_rows=cleaned_rows[start : start + BULK_CHUNK],
            note=note,
            now=now,
            taken=taken,
        )
    bump_library_version()
    return created


BULK_CHUNK = 500


def _bulk_write(
    *,
    actor: Any,
    owner: Organisation,
    rows: list[BulkProjectRow],
    cleaned_rows: list[dict[str, Any]],
    note: str,
    now: datetime.datetime,
    taken: set[str],
) -> list[Project]:
    projects = []
    for row, cleaned in zip(rows, cleaned_rows, strict=True):
        project = Project(
            slug=unique_slug(slug_base(cleaned["title"]), taken),
            phase=row.phase,
            stopped_reason=row.stopped_reason.strip() if row.phase == Phase.STOPPED else "",
            created_at=now,
            updated_at=now,
        )
        for name, value in cleaned.items():
            if name not in _M2M:
                setattr(project, name, value)
        projects.append(project)
    Project.objects.bulk_create(projects, batch_size=500)
    if any(project.pk is None for project in projects):
        by_slug = dict(Project.objects.filter(slug__in=[p.slug for p in projects]).values_list("slug", "pk"))
        for project in projects:
            project.pk = by_slug[project.slug]

    Project.owners.through.objects.bulk_create(
        [Project.owners.through(project_id=p.pk, organisation_id=owner.pk) for p in projects], batch_size=1000
    )
    Project.authors.through.objects.bulk_create(
        [Project.authors.through(project_id=p.pk, user_id=actor.pk) for p in projects], batch_size=1000
    )
    for name, column in (
        ("innovation_types", "innovationtype_id"),
        ("sdgs", "sustainabledevelopmentgoal_id"),
        ("life_events", "lifeevent_id"),
    ):
        through = getattr(Project, name).through
        through.objects.bulk_create(
            [
                through(project_id=p.pk, **{column: code})
                for p, cleaned in zip(projects, cleaned_rows, strict=True)
                for code in cleaned.get(name, [])
            ],
            batch_size=1000,
        )

    changes = []
    for project, row in zip(projects, rows, strict=True):
        step = functools.partial(PhaseChange, project=project, actor=actor, at=now)
        changes.append(step(from_phase="", to_phase=Phase.NEED))
        stop_at = row.stopped_from if row.phase == Phase.STOPPED else row.phase
        path = _PHASE_PATH[: _PHASE_PATH.index(Phase(stop_at)) + 1] if stop_at in _PHASE_PATH else [Phase.NEED]
        changes += [step(from_phase=a, to_phase=b, note=note) for a, b in itertools.pairwise(path)]
        if row.phase == Phase.STOPPED:
            changes.append(step(from_phase=path[-1], to_phase=Phase.STOPPED, note=note))
    PhaseChange.objects.bulk_create(changes, batch_size=1000)

    # One audit entry per project, as a save through the model would have written.
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(Project)
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                content_type=content_type,
                object_pk=str(project.pk),
                object_id=project.pk,
                object_repr=str(project),
                action=LogEntry.Action.CREATE,
                changes={name: ["None", str(value)] for name, value in cleaned.items()},
                actor=actor,
                timestamp=now,
                additional_data={"source": note},
            )
            for project, cleaned in zip(projects, cleaned_rows, strict=True)
        ],
        batch_size=1000,
    )
    index_projects(Project.objects.filter(pk__in=[p.pk for p in projects]))
    return projects


class BulkProjectError(Exception):
    def __init__(self, problems: list[tuple[int, str, str]]) -> None:
        super().__init__(f"{len(problems)} row(s) cannot be created")
        self.problems = problems
