"""Shedding load (nyskap.core.overload): a request that waited too long for a worker is refused at once with 503 and
Retry-After, without the database; everything else passes through."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from nyskap.core.overload import waited_seconds

pytestmark = pytest.mark.django_db


@pytest.fixture
def shedding(settings):
    settings.REQUEST_QUEUE_TIMEOUT_SECONDS = 10
    settings.REQUEST_QUEUE_RETRY_AFTER_SECONDS = 5
    return settings


def _get(path: str, stamp: str | None) -> object:
    headers = {"HTTP_X_REQUEST_START": stamp} if stamp is not None else {}
    return Client().get(path, secure=True, **headers)


def test_when_a_request_waited_longer_than_the_limit_then_it_is_refused_with_retry_after_and_no_query(
    shedding, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = _get("/prosjekter/", f"t={time.time() - 30:.3f}")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    assert "Nyskap er opptatt akkurat nå" in response.content.decode()


@pytest.mark.parametrize(
    "stamp",
    [
        None,  # no proxy stamp
        "t={fresh}",  # waited a second
        "t={future}",  # the proxy's clock is ahead: a clock error, not a queue
        "t={ancient}",  # more than an hour: a clock error
        "t=soon",
        "t=nan",
        "",
    ],
)
def test_when_the_request_is_fresh_or_the_stamp_cannot_be_trusted_then_it_is_served(shedding, stamp):
    now = time.time()
    if stamp is not None:
        stamp = stamp.format(fresh=now - 1, future=now + 60, ancient=now - 7200)
    assert _get("/prosjekter/", stamp).status_code == 200


def test_the_health_paths_are_never_refused(shedding):
    stamp = f"t={time.time() - 30:.3f}"
    assert _get("/helse/live/", stamp).status_code == 200
    assert _get("/helse/", stamp).status_code in (200, 503)
    assert "Retry-After" not in _get("/helse/live/", stamp)


def test_when_the_limit_is_zero_then_nothing_is_refused(settings):
    settings.REQUEST_QUEUE_TIMEOUT_SECONDS = 0
    assert _get("/prosjekter/", f"t={time.time() - 3000:.3f}").status_code == 200


def test_the_stamp_is_read_in_seconds_milliseconds_and_microseconds():
    now = 1_733_512_345.5
    assert waited_seconds("t=1733512340.5", now) == pytest.approx(5.0)
    assert waited_seconds("t=1733512340500", now) == pytest.approx(5.0)
    assert waited_seconds("t=1733512340500000", now) == pytest.approx(5.0)
    assert waited_seconds("1733512340.5", now) == pytest.approx(5.0)
    assert waited_seconds("t=-1", now) is None
    assert waited_seconds("t=inf", now) is None
