from __future__ import annotations

import pytest
from django.core.management import call_command

from nyskap.challenges.models import Challenge, ChallengeStatus, ProgrammeStageKind
from nyskap.organisations.models import OrganisationKind

from ..organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_load_challenges_is_idempotent_and_labelled(capsys):
    OrganisationFactory(name="Bergen kommune", organisation_number="964338531", kind=OrganisationKind.MUNICIPALITY)
    OrganisationFactory(name="Stavanger kommune", organisation_number="964965226", kind=OrganisationKind.MUNICIPALITY)
    OrganisationFactory(name="DFØ", organisation_number="986252932", kind=OrganisationKind.STATE_AGENCY)
    call_command("load_challenges")
    call_command("load_challenges")
    assert Challenge.objects.count() == 3
    assert all(c.is_example for c in Challenge.objects.all())
    robot = Challenge.objects.get(slug="aktiviseringsrobot-pa-sykehjem")
    assert robot.status == ChallengeStatus.IN_USE and robot.outcome.suppliers == "Innocom AS"
    assert list(robot.status_changes.values_list("status", flat=True))[-1] == "in_use"
    programme = Challenge.objects.get(slug="enklere-soknad-for-oppstartsselskaper")
    assert programme.stages.count() == len(ProgrammeStageKind)
    assert "left out" in capsys.readouterr().out
