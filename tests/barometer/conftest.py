from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import translation


@pytest.fixture(autouse=True)
def _in_november_2026():
    with time_machine.travel(datetime.datetime(2026, 11, 15, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield
