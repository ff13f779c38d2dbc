from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from nyskap.projects.models import Phase, PhaseChange, Project
from nyskap.projects.services import ProjectError, project_change_phase

from .factories import make_project

OSLO = dt.timezone(dt.timedelta(hours=1))


def _move(project: Project, actor, *phases: str) -> Project:
    for phase in phases:
        project_change_phase(project=project, to_phase=phase, actor=actor)
    project.refresh_from_db()
    return project


def _refusal(project: Project, actor, to_phase: str, **kwargs) -> ProjectError:
    with translation.override("en"), pytest.raises(ProjectError) as raised:
        project_change_phase(project=project, to_phase=to_phase, actor=actor, **kwargs)
    return raised.value


def test_when_moving_one_step_forward_through_every_phase_then_each_is_recorded(project, innovator):
    _move(project, innovator, Phase.IDEAS, Phase.DEVELOP_TEST, Phase.IMPLEMENTED, Phase.SPREAD)

    assert project.phase == Phase.SPREAD
    assert list(project.phase_changes.values_list("from_phase", "to_phase")) == [
        ("", Phase.NEED),
        (Phase.NEED, Phase.IDEAS),
        (Phase.IDEAS, Phase.DEVELOP_TEST),
        (Phase.DEVELOP_TEST, Phase.IMPLEMENTED),
        (Phase.IMPLEMENTED, Phase.SPREAD),
    ]


@pytest.mark.parametrize(
    ("path", "to_phase", "message"),
    [
        ([], Phase.DEVELOP_TEST, "A project can only go from Need to Ideas and concepts or be stopped."),
        ([], Phase.IMPLEMENTED, "A project can only go from Need to Ideas and concepts or be stopped."),
        (
            [Phase.IDEAS],
            Phase.IMPLEMENTED,
            "A project can only go from Ideas and concepts to Develop and test, back to Need with a note, "
            "or be stopped.",
        ),
        (
            [Phase.IDEAS, Phase.DEVELOP_TEST],
            Phase.SPREAD,
            "A project can only go from Develop and test to Implemented, back to Ideas and concepts with a note, "
            "or be stopped.",
        ),
        (
            [Phase.IDEAS, Phase.DEVELOP_TEST, Phase.IMPLEMENTED, Phase.SPREAD],
            Phase.NEED,
            "A project can only go from Spread back to Implemented with a note, or be stopped.",
        ),
        ([], Phase.NEED, "The project is already in Need."),
        ([], "finished", "Choose a valid phase."),
    ],
)
def test_when_skipping_or_inventing_a_phase_then_refused_with_the_reason(project, innovator, path, to_phase, message):
    _move(project, innovator, *path)
    changes_before = project.phase_changes.count()

    error = _refusal(project, innovator, to_phase)

    assert error.message == message
    assert error.field == "phase"
    project.refresh_from_db()
    assert project.phase == (path[-1] if path else Phase.NEED)
    assert project.phase_changes.count() == changes_before


def test_when_going_back_without_a_note_then_refused(project, innovator):
    _move(project, innovator, Phase.IDEAS, Phase.DEVELOP_TEST)

    error = _refusal(project, innovator, Phase.IDEAS)

    assert error.message == "Write a note on why the project goes back to Ideas and concepts."
    assert error.field == "note"
    project.refresh_from_db()
    assert project.phase == Phase.DEVELOP_TEST


def test_when_going_back_with_a_note_then_recorded(project, innovator):
    _move(project, innovator, Phase.IDEAS, Phase.DEVELOP_TEST)

    change = project_change_phase(
        project=project, to_phase=Phase.IDEAS, actor=innovator, note="Piloten viste at konseptet ikke holdt."
    )

    project.refresh_from_db()
    assert project.phase == Phase.IDEAS
    assert (change.from_phase, change.to_phase, change.note) == (
        Phase.DEVELOP_TEST,
        Phase.IDEAS,
        "Piloten viste at konseptet ikke holdt.",
    )


def test_when_stopping_without_a_reason_then_refused(project, innovator):
    error = _refusal(project, innovator, Phase.STOPPED, lessons_learned="Vi lærte mye.")

    assert (error.message, error.field) == ("Say why the project is stopped.", "stopped_reason")
    project.refresh_from_db()
    assert (project.phase, project.lessons_learned) == (Phase.NEED, "")


def test_when_stopping_without_lessons_learned_then_refused(project, innovator):
    error = _refusal(project, innovator, Phase.STOPPED, stopped_reason="Ingen leverandør kunne levere.")

    assert error.message == "Share what was learned before you stop the project – also what did not work."
    assert error.field == "lessons_learned"
    project.refresh_from_db()
    assert (project.phase, project.stopped_reason) == (Phase.NEED, "")


def test_when_stopping_with_blank_lessons_then_refused(project, innovator):
    error = _refusal(project, innovator, Phase.STOPPED, stopped_reason="For dyrt.", lessons_learned="   ")

    assert error.field == "lessons_learned"


def test_when_stopping_with_reason_and_lessons_then_stopped_and_recorded(project, innovator):
    _move(project, innovator, Phase.IDEAS, Phase.DEVELOP_TEST)

    change = project_change_phase(
        project=project,
        to_phase=Phase.STOPPED,
        actor=innovator,
        stopped_reason="  For dyrt i drift.  ",
        lessons_learned="Regn på driftskostnader tidlig.",
    )

    project.refresh_from_db()
    assert (project.phase, project.stopped_reason, project.lessons_learned) == (
        Phase.STOPPED,
        "For dyrt i drift.",
        "Regn på driftskostnader tidlig.",
    )
    assert (change.from_phase, change.to_phase, change.note) == (
        Phase.DEVELOP_TEST,
        Phase.STOPPED,
        "For dyrt i drift.",
    )


def test_when_lessons_are_already_on_the_project_then_stopping_needs_only_the_reason(innovator, home_municipality):
    project = make_project(actor=innovator, owner=home_municipality, lessons_learned="Involver brukerne tidlig.")

    project_change_phase(project=project, to_phase=Phase.STOPPED, actor=innovator, stopped_reason="Omorganisering.")

    project.refresh_from_db()
    assert (project.phase, project.lessons_learned) == (Phase.STOPPED, "Involver brukerne tidlig.")


def test_when_reopening_a_stopped_project_then_it_returns_to_the_phase_it_was_stopped_from(project, innovator):
    _move(project, innovator, Phase.IDEAS)
    project_change_phase(
        project=project, to_phase=Phase.STOPPED, actor=innovator, stopped_reason="Pause.", lessons_learned="Noe."
    )

    error = _refusal(project, innovator, Phase.DEVELOP_TEST)
    assert error.message == (
        "A stopped project can only be reopened in the phase it was stopped from (Ideas and concepts)."
    )

    project_change_phase(project=project, to_phase=Phase.IDEAS, actor=innovator, note="Ny finansiering.")
    project.refresh_from_db()
    assert (project.phase, project.stopped_reason, project.lessons_learned) == (Phase.IDEAS, "", "Noe.")
    assert project.phase_changes.last().note == "Ny finansiering."


def test_when_phases_change_then_the_timeline_records_actor_time_and_note(innovator, leader, home_municipality):
    with time_machine.travel(dt.datetime(2024, 3, 1, 9, 0, tzinfo=OSLO), tick=False):
        project = make_project(actor=innovator, owner=home_municipality)
    with time_machine.travel(dt.datetime(2024, 5, 15, 14, 30, tzinfo=OSLO), tick=False):
        project_change_phase(project=project, to_phase=Phase.IDEAS, actor=leader, note="Innsikt ferdig.")

    timeline = list(PhaseChange.objects.filter(project=project).values_list("to_phase", "actor", "at", "note"))

    assert timeline == [
        (Phase.NEED, innovator.pk, dt.datetime(2024, 3, 1, 8, 0, tzinfo=dt.UTC), ""),
        (Phase.IDEAS, leader.pk, dt.datetime(2024, 5, 15, 13, 30, tzinfo=dt.UTC), "Innsikt ferdig."),
    ]
