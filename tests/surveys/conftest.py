from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import translation

from nyskap.surveys.models import QuestionnaireVersion, Round

from .factories import make_round, make_version


@pytest.fixture(autouse=True)
def _in_november_2026():
    """Rounds in these tests run through November 2026; the clock is fixed in the middle of it."""
    with time_machine.travel(datetime.datetime(2026, 11, 15, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages are asserted as their English msgids (pages are asserted with the language cookie)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _survey_domains(request):
    """The home municipality's registered e-mail domains: invitations in these tests go to x.no addresses."""
    if "home_municipality" in request.fixturenames:
        from nyskap.surveys.models import EmailDomain

        EmailDomain.objects.create(organisation=request.getfixturevalue("home_municipality"), domain="x.no")


@pytest.fixture
def version() -> QuestionnaireVersion:
    return make_version()


@pytest.fixture
def survey_round(innovator, home_municipality, version) -> Round:
    """Open by invitation and by the shared link, with the units Helse and Skole."""
    return make_round(
        actor=innovator, organisation=home_municipality, version=version, units=["Helse", "Skole"], link_enabled=True
    )
