"""Writes on projects. Each function owns its transaction, checks access, validates before it saves, and raises
`ProjectError` (a message fit to show the user, and the field it concerns) or Django's `PermissionDenied`.

Every phase change goes through `project_change_phase`, which checks the transition and writes the timeline.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nyskap.core.permissions import require_editor_of
from nyskap.core.slugs import unique_slug
from nyskap.core.visibility import Visibility
from nyskap.organisations.models import Organisation
from nyskap.organisations.reference_data import slug_base

from ..models import (
    Adoption,
    AdoptionHow,
    Degree,
    EffectsMeasurement,
    FundingSource,
    InnovationTypeCode,
    LifeEventCode,
    Novelty,
    Partner,
    PartnerRole,
    Phase,
    PhaseChange,
    Project,
    Sector,
    SustainableDevelopmentGoalNumber,
)
from ..search import index_project
from ..selectors import descendant_project_ids, phase_stopped_from

# Path segments next to a project slug on the pages ("ny", …) and in the API ("facets", "similar").
RESERVED_SLUGS = {"ny", "lignende", "folg", "overforing", "facets", "similar"}


class ProjectError(Exception):
    """A refused change; ``message`` is shown to the user as it is, next to ``field`` when given."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# Access


def _require_change(actor: Any, project: Project) -> None:
    if actor is None or not actor.has_perm("core.change_object", project):
        raise PermissionDenied(_("Only the project's authors and editors of its organisations can change it."))


# Validation


_TEXT_LIMITS = {"title": 200, "service_area": 200, "contact_name": 150, "source": 300}
_REQUIRED_TEXT = {
    "title": lambda: _("Give the project a title."),
    "need_problem": lambda: _("Describe the problem – the need comes before the solution."),
    "need_who": lambda: _("Describe who has the problem."),
    "need_today": lambda: _("Describe how it is handled today."),
    "need_effect": lambda: _("Describe the effect you want."),
}
_OPTIONAL_TEXT = {
    "description",
    "service_area",
    "effects_achieved",
    "lessons_learned",
    "contact_name",
    "contact_email",
    "source",
}
_CHOICES = {
    "degree": Degree,
    "novelty": Novelty,
    "sector": Sector,
    "effects_measurement": EffectsMeasurement,
    "visibility": Visibility,
}
_M2M_CHOICES: dict[str, list[Any]] = {
    "innovation_types": InnovationTypeCode.values,
    "sdgs": SustainableDevelopmentGoalNumber.values,
    "life_events": LifeEventCode.values,
}
_M2M = tuple(_M2M_CHOICES)
UPDATABLE_FIELDS = frozenset(
    [
        *_REQUIRED_TEXT,
        *_OPTIONAL_TEXT,
        *_CHOICES,
        *_M2M,
        "budget",
        "start_date",
        "end_date",
        "is_synthetic",
    ]
)


def _clean_values(values: dict[str, Any]) -> dict[str, Any]:
    """Check and normalise the given project fields; raise `ProjectError` on the first bad one."""
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        if name in _REQUIRED_TEXT or name in _OPTIONAL_TEXT:
            text = (value or "").strip()
            if name in _REQUIRED_TEXT and not text:
                raise ProjectError(_REQUIRED_TEXT[name](), field=name)
            limit = _TEXT_LIMITS.get(name)
            if limit is not None and len(text) > limit:
                raise ProjectError(_("Use at most %(limit)d characters.") % {"limit": limit}, field=name)
            if name == "contact_email" and text:
                try:
                    validate_email(text)
                except Exception:
                    raise ProjectError(_("Enter a valid e-mail address."), field=name) from None
            cleaned[name] = text
        elif name in _CHOICES:
            value = value or ""
            if name in ("effects_measurement", "visibility") and not value:
                raise ProjectError(_("Choose one of the options."), field=name)
            if value and value not in _CHOICES[name].values:
                raise ProjectError(_("Choose one of the options."), field=name)
            cleaned[name] = value
        elif name in _M2M:
            cleaned[name] = _clean_codes(name, value)
        elif name == "budget":
            if value is not None:
                value = Decimal(value)
                if value < 0 or not value.is_finite():
                    raise ProjectError(_("The budget cannot be negative."), field=name)
            cleaned[name] = value
        elif name in ("start_date", "end_date"):
            if value is not None and not isinstance(value, datetime.date):
                raise ProjectError(_("Enter a valid date."), field=name)
            cleaned[name] = value
        elif name == "is_synthetic":
            cleaned[name] = bool(value)
        else:
            raise ProjectError(_("The field “%(field)s” cannot be changed here.") % {"field": name}, field=name)
    return cleaned


def _clean_codes(name: str, value: Iterable[Any] | None) -> list[Any]:
    """Distinct codes in the given order; every one must be a known code of the lookup table."""
    codes = list(dict.fromkeys(value or []))
    if any(code not in _M2M_CHOICES[name] for code in codes):
        raise ProjectError(_("Choose among the listed options."), field=name)
    return codes


def _check_dates(start: datetime.date | None, end: datetime.date | None) -> None:
    if start is not None and end is not None and end < start:
        raise ProjectError(_("The end date cannot be before the start date."), field="end_date")


def _set_m2m(project: Project, cleaned: dict[str, Any]) -> None:
    for name in _M2M:
        if name in cleaned:
            getattr(project, name).set(cleaned[name])


# Projects


@transaction.atomic
def project_create(
    *,
    actor: Any,
    owner: Organisation,
    title: str,
    need_problem: str,
    need_who: str,
    need_today: str,
    need_effect: str,
    visibility: str = Visibility.DRAFT,
    **fields: Any,
) -> Project:
    """Register a project in the *need* phase. The need (problem, who has it, today's situation, effect wanted) is
    required: the platform asks for the need before any solution. ``fields`` are other fields of `UPDATABLE_FIELDS`.
    The actor must be an editor or administrator of ``owner`` (or an operator) and becomes the first author."""
    require_editor_of(actor, owner)
    cleaned = _clean_values(
        {
            "title": title,
            "need_problem": need_problem,
            "need_who": need_who,
            "need_today": need_today,
            "need_effect": need_effect,
            "visibility": visibility,
            **fields,
        }
    )
    _check_dates(cleaned.get("start_date"), cleaned.get("end_date"))
    base = slug_base(cleaned["title"])
    # Words used by the library's own URLs under /prosjekter/ are never project slugs.
    taken = set(Project.objects.filter(slug__startswith=base).values_list("slug", flat=True)) | RESERVED_SLUGS
    project = Project(slug=unique_slug(base, taken), phase=Phase.NEED)
    for name, value in cleaned.items():
        if name not in _M2M:
            setattr(project, name, value)
    project.save()
    project.owners.add(owner)
    project.authors.add(actor)
    _set_m2m(project, cleaned)
    PhaseChange.objects.create(project=project, from_phase="", to_phase=Phase.NEED, actor=actor, at=timezone.now())
    index_project(project)
    return project


@transaction.atomic
def project_update(*, project: Project, actor: Any, **fields: Any) -> Project:
    """Change the given fields (names in `UPDATABLE_FIELDS`). The phase is changed only by
    `project_change_phase`; a stopped project keeps its lessons learned."""
    _require_change(actor, project)
    if "phase" in fields or "stopped_reason" in fields:
        raise ProjectError(_("Change the phase with the phase change, which records it in the timeline."), "phase")
    cleaned = _clean_values(fields)
    _check_dates(cleaned.get("start_date", project.start_date), cleaned.get("end_date", project.end_date))
    if project.phase == Phase.STOPPED and "lessons_learned" in cleaned and not cleaned["lessons_learned"]:
        raise ProjectError(_("A stopped project must share what was learned."), field="lessons_learned")
    for name, value in cleaned.items():
        if name not in _M2M:
            setattr(project, name, value)
    project.save()
    _set_m2m(project, cleaned)
    index_project(project)
    return project


@transaction.atomic
def project_add_partner(
    *,
    project: Project,
    actor: Any,
    role: str,
    organisation: Organisation | None = None,
    name: str = "",
    contribution: str = "",
) -> Partner:
    _require_change(actor, project)
    name = name.strip()
    if role not in PartnerRole.values:
        raise ProjectError(_("Choose one of the options."), field="role")
    if organisation is None and not name:
        raise ProjectError(_("Choose an organisation or write the partner's name."), field="organisation")
    if organisation is not None and project.partners.filter(organisation=organisation).exists():
        raise ProjectError(_("%(organisation)s is already a partner.") % {"organisation": organisation}, "organisation")
    return Partner.objects.create(
        project=project, organisation=organisation, name=name, role=role, contribution=contribution.strip()
    )


@transaction.atomic
def project_add_funding(
    *, project: Project, actor: Any, source_name: str, amount: Decimal, year: int | None = None
) -> FundingSource:
    _require_change(actor, project)
    source_name = source_name.strip()
    if not source_name:
        raise ProjectError(_("Name the source of the funding."), field="source_name")
    if amount < 0:
        raise ProjectError(_("The amount cannot be negative."), field="amount")
    if year is not None and not 1900 <= year <= 2200:
        raise ProjectError(_("Enter a year with four digits."), field="year")
    return FundingSource.objects.create(project=project, source_name=source_name, amount=amount, year=year)


# Phases

# The next phase along the triple diamond (DOMAIN.md §7.3); one step back is allowed with a note.
FORWARD: dict[str, str] = {
    Phase.NEED: Phase.IDEAS,
    Phase.IDEAS: Phase.DEVELOP_TEST,
    Phase.DEVELOP_TEST: Phase.IMPLEMENTED,
    Phase.IMPLEMENTED: Phase.SPREAD,
}
BACK: dict[str, str] = {later: earlier for earlier, later in FORWARD.items()}


def _transition_refusal(current: str) -> str:
    label = Phase(current).label
    forward, back = FORWARD.get(current), BACK.get(current)
    if forward and back:
        return _(
            "A project can only go from %(current)s to %(forward)s, back to %(back)s with a note, or be stopped."
        ) % {"current": label, "forward": Phase(forward).label, "back": Phase(back).label}
    if forward:
        return _("A project can only go from %(current)s to %(forward)s or be stopped.") % {
            "current": label,
            "forward": Phase(forward).label,
        }
    assert back is not None
    return _("A project can only go from %(current)s back to %(back)s with a note, or be stopped.") % {
        "current": label,
        "back": Phase(back).label,
    }


@transaction.atomic
def project_change_phase(
    *,
    project: Project,
    to_phase: str,
    actor: Any,
    note: str = "",
    stopped_reason: str = "",
    lessons_learned: str | None = None,
) -> PhaseChange:
    """Move the project to ``to_phase`` and record it in the timeline. Allowed: one step forward
    (need → ideas → develop and test → implemented → spread); one step back with a note; from any phase to
    *stopped* with a reason and lessons learned (given here or already on the project); from *stopped* back to the
    phase it was stopped from (reopen)."""
    _require_change(actor, project)
    caller_copy = project
    project = Project.objects.select_for_update().get(pk=project.pk)  # two editors at once: one waits
    note = note.strip()
    current = project.phase
    if to_phase not in Phase.values:
        raise ProjectError(_("Choose a valid phase."), field="phase")
    if to_phase == current:
        raise ProjectError(_("The project is already in %(phase)s.") % {"phase": Phase(current).label}, "phase")

    if current == Phase.STOPPED:
        stopped_from = phase_stopped_from(project)
        if stopped_from is None or to_phase != stopped_from:
            if stopped_from is None:
                raise ProjectError(_("The timeline does not say which phase the project was stopped from."), "phase")
            raise ProjectError(
                _("A stopped project can only be reopened in the phase it was stopped from (%(phase)s).")
                % {"phase": Phase(stopped_from).label},
                field="phase",
            )
        project.stopped_reason = ""
    elif to_phase == Phase.STOPPED:
        stopped_reason = stopped_reason.strip()
        lessons = (project.lessons_learned if lessons_learned is None else lessons_learned).strip()
        if not stopped_reason:
            raise ProjectError(_("Say why the project is stopped."), field="stopped_reason")
        if not lessons:
            raise ProjectError(
                _("Share what was learned before you stop the project – also what did not work."),
                field="lessons_learned",
            )
        project.stopped_reason = stopped_reason
        project.lessons_learned = lessons
        note = note or stopped_reason
    elif to_phase == FORWARD.get(current):
        pass
    elif to_phase == BACK.get(current):
        if not note:
            raise ProjectError(
                _("Write a note on why the project goes back to %(phase)s.") % {"phase": Phase(to_phase).label},
                field="note",
            )
    else:
        raise ProjectError(_transition_refusal(current), field="phase")

    project.phase = to_phase
    project.save(update_fields=["phase", "stopped_reason", "lessons_learned", "updated_at"])
    for name in ("phase", "stopped_reason", "lessons_learned", "updated_at"):
        setattr(caller_copy, name, getattr(project, name))
    return PhaseChange.objects.create(
        project=project, from_phase=current, to_phase=to_phase, actor=actor, at=timezone.now(), note=note
    )


# Reuse


@transaction.atomic
def project_adopt(
    *,
    source: Project,
    actor: Any,
    how: str,
    adopted_on: datetime.date,
    adopter_project: Project | None = None,
    adopter_organisation: Organisation | None = None,
    note: str = "",
) -> Adoption:
    """Record that ``adopter_project`` (or ``adopter_organisation``, a body that took the solution into use without
    a project) adopted ``source``. The actor must be able to see the source and to change the adopter (an editor of
    the adopting organisation). Refused: self-adoption, cycles (a project cannot adopt one of its own descendants),
    and the same adoption twice. Adopting a source that is not yet implemented is allowed — bodies do reuse ideas
    from pilots — and the source's phase at the time is stored in ``Adoption.source_phase``."""
    if (adopter_project is None) == (adopter_organisation is None):
        raise ProjectError(_("Choose either the adopting project or the adopting organisation."), "adopter_project")
    if actor is None or not actor.has_perm("core.view_object", source):
        raise PermissionDenied(_("You cannot see this project."))
    if adopter_project is not None:
        _require_change(actor, adopter_project)
    else:
        assert adopter_organisation is not None
        require_editor_of(actor, adopter_organisation)
    if how not in AdoptionHow.values:
        raise ProjectError(_("Choose one of the options."), field="how")
    if not isinstance(adopted_on, datetime.date):
        raise ProjectError(_("Enter a valid date."), field="adopted_on")
    if adopted_on > timezone.localdate():
        raise ProjectError(_("The adoption date cannot be in the future."), field="adopted_on")

    if adopter_project is not None:
        if adopter_project.pk == source.pk:
            raise ProjectError(_("A project cannot adopt itself."), field="adopter_project")
        if source.pk in descendant_project_ids(adopter_project.pk):
            raise ProjectError(
                _("%(adopter)s cannot adopt %(source)s: %(source)s already builds on %(adopter)s.")
                % {"adopter": adopter_project, "source": source},
                field="adopter_project",
            )
        duplicate = Adoption.objects.filter(source_project=source, adopting_project=adopter_project).exists()
    else:
        duplicate = Adoption.objects.filter(source_project=source, adopting_organisation=adopter_organisation).exists()
    if duplicate:
        raise ProjectError(_("This adoption is already registered."), field="adopter_project")

    return Adoption.objects.create(
        source_project=source,
        adopting_project=adopter_project,
        adopting_organisation=adopter_organisation,
        how=how,
        adopted_on=adopted_on,
        note=note.strip(),
        source_phase=Project.objects.filter(pk=source.pk).values_list("phase", flat=True).get(),
        created_by=actor,
    )
