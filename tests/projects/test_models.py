from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from nyskap.projects.models import (
    Adoption,
    AdoptionHow,
    InnovationType,
    LifeEvent,
    LifeEventCode,
    Partner,
    PartnerRole,
    Phase,
    Project,
    SustainableDevelopmentGoal,
)


def _violates(**kwargs) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        kwargs.pop("model").objects.create(**kwargs)


def test_when_migrated_then_the_lookup_tables_hold_every_code(db):
    assert sorted(InnovationType.objects.values_list("code", flat=True)) == [
        "communication",
        "organisation",
        "process",
        "product",
        "service",
    ]
    assert list(SustainableDevelopmentGoal.objects.values_list("number", flat=True)) == list(range(1, 18))
    assert sorted(LifeEvent.objects.values_list("code", flat=True)) == sorted(LifeEventCode.values)
    assert LifeEvent.objects.count() == 7


def test_when_life_events_are_shown_in_bokmal_then_they_are_the_seven_of_the_white_paper():
    # Meld. St. 30 (2019–2020) ch. 6: "Strategien peker ut syv livshendelser …" — få barn, dødsfall og arv, alvorlig
    # sykt barn, miste eller finne jobb, være ny i Norge, starte og drive en bedrift eller en frivillig organisasjon.
    from django.utils import translation

    with translation.override("nb"):
        labels = {str(label) for label in LifeEventCode.labels}
    assert labels == {
        "Få barn",
        "Alvorlig sykt barn",
        "Miste og finne jobb",
        "Ny i Norge",
        "Starte og drive en bedrift",
        "Starte og drive en frivillig organisasjon",
        "Dødsfall og arv",
    }


def test_when_the_end_is_before_the_start_then_the_database_refuses(db):
    _violates(
        model=Project,
        title="X",
        slug="x",
        need_problem="p",
        need_who="w",
        need_today="t",
        need_effect="e",
        start_date=dt.date(2024, 2, 1),
        end_date=dt.date(2024, 1, 31),
    )


def test_when_stopped_without_a_reason_then_the_database_refuses(db):
    _violates(
        model=Project,
        title="X",
        slug="x",
        need_problem="p",
        need_who="w",
        need_today="t",
        need_effect="e",
        phase=Phase.STOPPED,
    )


def test_when_a_partner_has_no_organisation_and_no_name_then_the_database_refuses(project):
    _violates(model=Partner, project=project, role=PartnerRole.RESEARCH)


def test_when_an_adoption_names_both_or_no_adopter_then_the_database_refuses(project, home_municipality):
    other = Project.objects.create(title="Y", slug="y", need_problem="p", need_who="w", need_today="t", need_effect="e")
    common = {
        "model": Adoption,
        "source_project": project,
        "how": AdoptionHow.COPIED,
        "adopted_on": dt.date(2024, 1, 1),
        "source_phase": Phase.NEED,
    }
    _violates(**common)
    _violates(**common, adopting_project=other, adopting_organisation=home_municipality)
    _violates(**{**common, "adopting_project": project})
    assert Adoption.objects.count() == 0
