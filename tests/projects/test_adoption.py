from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import translation

from nyskap.accounts.models import User
from nyskap.core.visibility import Visibility
from nyskap.organisations.models import Organisation
from nyskap.projects.models import Adoption, AdoptionHow, Phase, Project
from nyskap.projects.selectors import adoption_summary, family_tree
from nyskap.projects.services import ProjectError, project_adopt, project_change_phase

from ..accounts.factories import editor_in
from .factories import make_project

OSLO = dt.timezone(dt.timedelta(hours=1))


@dataclass
class Family:
    root: Project
    bodo: Project
    troms: Project
    rogaland_body: Organisation
    ha_body: Organisation
    troms_editor: User
    rogaland_editor: User


def _organisation_of(user: User) -> Organisation:
    return user.memberships.get().organisation


@pytest.fixture
def family(innovator, outsider, home_municipality, other_municipality) -> Family:
    """Root (Øygarden, implemented 1 March 2023) ← Bodø project ← Tromsø project ← Stavanger (an organisation);
    Hå (an organisation) adopted the root directly."""
    with time_machine.travel(dt.datetime(2023, 1, 10, 12, 0, tzinfo=OSLO), tick=False):
        root = make_project(actor=innovator, owner=home_municipality, title="Varm mat", visibility=Visibility.PUBLIC)
        for phase in (Phase.IDEAS, Phase.DEVELOP_TEST):
            project_change_phase(project=root, to_phase=phase, actor=innovator)
    with time_machine.travel(dt.datetime(2023, 3, 1, 12, 0, tzinfo=OSLO), tick=False):
        project_change_phase(project=root, to_phase=Phase.IMPLEMENTED, actor=innovator)

    troms_editor = editor_in("Tromsø kommune", county_number="55", county_name="Troms")
    rogaland_editor = editor_in("Stavanger kommune", county_number="11", county_name="Rogaland")
    ha_editor = editor_in("Hå kommune", county_number="11", county_name="Rogaland")

    bodo = make_project(actor=outsider, owner=other_municipality, title="Varm mat Bodø", visibility=Visibility.PUBLIC)
    troms = make_project(
        actor=troms_editor, owner=_organisation_of(troms_editor), title="Varm mat Tromsø", visibility=Visibility.PUBLIC
    )
    project_adopt(
        source=root,
        adopter_project=bodo,
        how=AdoptionHow.ADAPTED,
        adopted_on=dt.date(2023, 6, 1),
        actor=outsider,
        note="Tilpasset lange avstander.",
    )
    project_adopt(
        source=root,
        adopter_organisation=_organisation_of(ha_editor),
        how=AdoptionHow.COPIED,
        adopted_on=dt.date(2023, 9, 1),
        actor=ha_editor,
    )
    project_adopt(
        source=bodo, adopter_project=troms, how=AdoptionHow.COPIED, adopted_on=dt.date(2024, 1, 10), actor=troms_editor
    )
    project_adopt(
        source=troms,
        adopter_organisation=_organisation_of(rogaland_editor),
        how=AdoptionHow.COPIED,
        adopted_on=dt.date(2024, 5, 1),
        actor=rogaland_editor,
    )
    return Family(
        root=root,
        bodo=bodo,
        troms=troms,
        rogaland_body=_organisation_of(rogaland_editor),
        ha_body=_organisation_of(ha_editor),
        troms_editor=troms_editor,
        rogaland_editor=rogaland_editor,
    )


def test_when_adopted_then_the_adoption_is_stored_with_the_source_phase(family, outsider):
    adoption = Adoption.objects.get(source_project=family.root, adopting_project=family.bodo)

    assert (adoption.how, adoption.adopted_on, adoption.source_phase, adoption.created_by, adoption.note) == (
        AdoptionHow.ADAPTED,
        dt.date(2023, 6, 1),
        Phase.IMPLEMENTED,
        outsider,
        "Tilpasset lange avstander.",
    )


def test_when_a_project_adopts_itself_then_refused(family, innovator):
    with translation.override("en"), pytest.raises(ProjectError) as raised:
        project_adopt(
            source=family.root,
            adopter_project=family.root,
            how=AdoptionHow.COPIED,
            adopted_on=dt.date(2024, 1, 1),
            actor=innovator,
        )

    assert raised.value.message == "A project cannot adopt itself."
    assert Adoption.objects.count() == 4


def test_when_a_project_adopts_its_own_descendant_then_the_cycle_is_refused(family, innovator):
    with translation.override("en"), pytest.raises(ProjectError) as raised:
        project_adopt(
            source=family.troms,
            adopter_project=family.root,
            how=AdoptionHow.ADAPTED,
            adopted_on=dt.date(2024, 6, 1),
            actor=innovator,
        )

    assert raised.value.message == "Varm mat cannot adopt Varm mat Tromsø: Varm mat Tromsø already builds on Varm mat."
    assert raised.value.field == "adopter_project"
    assert Adoption.objects.filter(adopting_project=family.root).count() == 0


def test_when_the_same_adoption_is_registered_twice_then_refused(family, outsider):
    with translation.override("en"), pytest.raises(ProjectError) as raised:
        project_adopt(
            source=family.root,
            adopter_project=family.bodo,
            how=AdoptionHow.COPIED,
            adopted_on=dt.date(2023, 7, 1),
            actor=outsider,
        )

    assert raised.value.message == "This adoption is already registered."
    assert Adoption.objects.filter(source_project=family.root, adopting_project=family.bodo).count() == 1


def test_when_both_or_no_adopter_is_given_then_refused(family, outsider, other_municipality):
    for adopters in ({}, {"adopter_project": family.bodo, "adopter_organisation": other_municipality}):
        with translation.override("en"), pytest.raises(ProjectError) as raised:
            project_adopt(
                source=family.troms, how=AdoptionHow.COPIED, adopted_on=dt.date(2024, 7, 1), actor=outsider, **adopters
            )
        assert raised.value.message == "Choose either the adopting project or the adopting organisation."
    assert Adoption.objects.count() == 4


def test_when_the_adoption_date_is_in_the_future_then_refused(family, outsider, other_municipality):
    with time_machine.travel(dt.datetime(2024, 8, 1, 12, 0, tzinfo=OSLO), tick=False), pytest.raises(ProjectError):
        project_adopt(
            source=family.troms,
            adopter_organisation=other_municipality,
            how=AdoptionHow.COPIED,
            adopted_on=dt.date(2024, 8, 2),
            actor=outsider,
        )


def test_when_the_outsider_registers_an_adoption_for_a_project_they_cannot_change_then_refused(family, outsider):
    with pytest.raises(PermissionDenied):
        project_adopt(
            source=family.bodo,
            adopter_project=family.troms,
            how=AdoptionHow.COPIED,
            adopted_on=dt.date(2024, 2, 1),
            actor=outsider,
        )

    assert Adoption.objects.count() == 4


def test_when_the_outsider_adopts_on_behalf_of_another_organisation_then_refused(family, outsider, home_municipality):
    with pytest.raises(PermissionDenied):
        project_adopt(
            source=family.troms,
            adopter_organisation=home_municipality,
            how=AdoptionHow.COPIED,
            adopted_on=dt.date(2024, 2, 1),
            actor=outsider,
        )

    assert Adoption.objects.count() == 4


def test_when_the_source_is_not_visible_to_the_actor_then_refused(
    innovator, outsider, home_municipality, other_municipality
):
    hidden = make_project(actor=innovator, owner=home_municipality, visibility=Visibility.ORGANISATION)

    with pytest.raises(PermissionDenied):
        project_adopt(
            source=hidden,
            adopter_organisation=other_municipality,
            how=AdoptionHow.COPIED,
            adopted_on=dt.date(2024, 2, 1),
            actor=outsider,
        )

    assert Adoption.objects.count() == 0


def test_when_adopting_before_the_source_is_implemented_then_allowed_and_the_phase_recorded(
    innovator, outsider, home_municipality, other_municipality
):
    pilot = make_project(actor=innovator, owner=home_municipality, visibility=Visibility.PUBLIC)
    project_change_phase(project=pilot, to_phase=Phase.IDEAS, actor=innovator)

    adoption = project_adopt(
        source=pilot,
        adopter_organisation=other_municipality,
        how=AdoptionHow.ADAPTED,
        adopted_on=dt.date(2024, 2, 1),
        actor=outsider,
    )

    assert adoption.source_phase == Phase.IDEAS
    summary = adoption_summary(pilot)
    assert summary.implemented_on is None
    assert [timing.days_from_implementation for timing in summary.adoptions] == [None]


def test_when_reading_the_family_tree_then_three_levels_breadth_first(family, django_assert_num_queries):
    with django_assert_num_queries(2):
        tree = family_tree(family.root)
        rows = [(str(node.adopter), node.depth, str(node.parent)) for node in tree]

    assert rows == [
        ("Varm mat Bodø", 1, "Varm mat"),
        ("Hå kommune", 1, "Varm mat"),
        ("Varm mat Tromsø", 2, "Varm mat Bodø"),
        ("Stavanger kommune", 3, "Varm mat Tromsø"),
    ]


def test_when_an_adopter_is_reached_along_two_paths_then_it_appears_once_nearest_the_root(family):
    project_adopt(
        source=family.root,
        adopter_organisation=family.rogaland_body,
        how=AdoptionHow.COPIED,
        adopted_on=dt.date(2024, 6, 1),
        actor=family.rogaland_editor,
    )

    tree = family_tree(family.root)

    assert [(str(node.adopter), node.depth) for node in tree] == [
        ("Varm mat Bodø", 1),
        ("Hå kommune", 1),
        ("Stavanger kommune", 1),
        ("Varm mat Tromsø", 2),
    ]


def test_when_summarising_then_bodies_counties_and_days_are_exact(family, django_assert_num_queries):
    with django_assert_num_queries(5):
        summary = adoption_summary(family.root)

    assert summary.adopting_bodies == 4
    assert summary.by_county == [("Rogaland", 2), ("Nordland", 1), ("Troms", 1)]
    assert summary.implemented_on == dt.date(2023, 3, 1)
    assert [(str(t.node.adopter), t.days_from_implementation) for t in summary.adoptions] == [
        ("Varm mat Bodø", 92),
        ("Hå kommune", 184),
        ("Varm mat Tromsø", 315),
        ("Stavanger kommune", 427),
    ]


def test_when_an_adopting_project_is_co_owned_by_the_source_owner_then_only_the_others_count(family, home_municipality):
    family.bodo.owners.add(home_municipality)

    summary = adoption_summary(family.root)

    assert summary.adopting_bodies == 4
    assert ("Vestland", 1) not in summary.by_county


def test_when_a_project_has_no_adopters_then_the_summary_is_empty(project):
    summary = adoption_summary(project)

    assert (summary.adopting_bodies, summary.by_county, summary.implemented_on, summary.adoptions) == (0, [], None, [])
