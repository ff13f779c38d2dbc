from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

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

WHITE_PAPER = Path("/work/shared/seed/meld-st-30-2019-2020.txt")


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


@pytest.mark.skipif(not WHITE_PAPER.exists(), reason="white paper text not available")
def test_when_reading_the_white_paper_then_the_seven_life_events_are_ours():
    text = WHITE_PAPER.read_text(encoding="utf-8")
    paragraph = re.search(r"Strategien peker ut syv livshendelser.*", text)
    assert paragraph is not None
    for phrase in [
        "få barn",
        "dødsfall og arv",
        "alvorlig sykt barn",
        "miste eller finne jobb",
        "være ny i Norge",
        "starte og drive en bedrift eller en frivillig organisasjon",
    ]:
        assert phrase in paragraph.group(0)


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
