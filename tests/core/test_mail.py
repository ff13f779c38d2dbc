"""The shared mail helpers: the site URL, the signed unsubscribe token of each kind and the one unsubscribe view,
and batched sending."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import signing
from django.test import Client

from nyskap.core.mail import UNSUBSCRIBE_MAX_AGE, send_batched, site_url, unsubscribe_kinds
from nyskap.instruments import notifications
from nyskap.instruments.models import MatcherProfile
from nyskap.projects.following import services as following
from nyskap.projects.models import Subscription, SubscriptionKind

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def subscription(innovator) -> Subscription:
    return following.subscription_create(user=innovator, kind=SubscriptionKind.SECTOR, target="health_care")


@pytest.fixture
def profile(innovator) -> MatcherProfile:
    return MatcherProfile.objects.create(user=innovator, query="phase=ideas&needs=money", label="Penger")


def test_when_a_path_is_made_absolute_then_the_site_url_is_joined_once(settings):
    settings.SITE_URL = "https://nyskap.example/"
    assert site_url("/prosjekter/") == "https://nyskap.example/prosjekter/"
    settings.SITE_URL = ""
    assert site_url("/x/") == "/x/"


def test_when_both_kinds_are_registered_then_each_has_its_own_salt_and_url():
    kinds = unsubscribe_kinds()
    assert kinds["project_follow"] is following.UNSUBSCRIBE
    assert kinds["instruments"] is notifications.UNSUBSCRIBE
    assert following.UNSUBSCRIBE.salt != notifications.UNSUBSCRIBE.salt


def test_when_a_token_of_each_kind_is_made_then_it_reads_back_as_what_it_names(subscription, profile, innovator):
    one = following.read_unsubscribe_token(following.unsubscribe_token(subscription))
    assert (one.user_id, one.subscription_id) == (innovator.pk, subscription.pk)
    every = following.read_unsubscribe_token(following.unsubscribe_all_token(innovator))
    assert (every.user_id, every.subscription_id) == (innovator.pk, None)
    assert notifications.read_unsubscribe_token(notifications.unsubscribe_token(profile)) == profile.pk


def test_when_a_token_was_made_before_the_move_to_core_then_it_is_still_accepted(subscription, profile, innovator):
    # The exact salts and payloads of the tokens in mail already sent.
    old_digest = signing.TimestampSigner(salt="nyskap.unsubscribe").sign_object(
        {"u": innovator.pk, "s": subscription.pk}
    )
    old_alert = signing.TimestampSigner(salt="nyskap.instruments.unsubscribe").sign_object({"p": profile.pk})
    assert following.read_unsubscribe_token(old_digest).subscription_id == subscription.pk
    assert notifications.read_unsubscribe_token(old_alert) == profile.pk


def test_when_a_token_of_one_kind_is_given_to_the_other_then_it_is_refused(subscription, profile, innovator):
    digest_token = following.unsubscribe_token(subscription)
    alert_token = notifications.unsubscribe_token(profile)
    assert notifications.read_unsubscribe_token(digest_token) is None
    assert following.read_unsubscribe_token(alert_token) is None
    assert Client().post(f"/virkemidler/avmeld/{digest_token}/").status_code == 403
    assert Client().post(f"/prosjekter/folg/avmeld/{alert_token}/").status_code == 403
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    assert MatcherProfile.objects.filter(pk=profile.pk).exists()


def test_when_a_token_is_tampered_with_or_has_expired_then_it_is_refused(subscription, profile):
    with time_machine.travel(NOW, tick=False):
        digest_token = following.unsubscribe_token(subscription)
        alert_token = notifications.unsubscribe_token(profile)
    for token in (digest_token, alert_token):
        tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
        assert following.UNSUBSCRIBE.read(tampered) is None
        assert notifications.UNSUBSCRIBE.read(tampered) is None
    with time_machine.travel(NOW + UNSUBSCRIBE_MAX_AGE - dt.timedelta(minutes=1), tick=False):
        assert following.read_unsubscribe_token(digest_token) is not None
        assert notifications.read_unsubscribe_token(alert_token) == profile.pk
    with time_machine.travel(NOW + UNSUBSCRIBE_MAX_AGE + dt.timedelta(minutes=1), tick=False):
        assert following.read_unsubscribe_token(digest_token) is None
        assert notifications.read_unsubscribe_token(alert_token) is None
        assert Client().post(f"/virkemidler/avmeld/{alert_token}/").status_code == 403
    assert MatcherProfile.objects.filter(pk=profile.pk).exists()


def test_when_a_payload_of_the_wrong_shape_is_signed_with_the_right_salt_then_it_is_refused():
    assert following.UNSUBSCRIBE.read(following.UNSUBSCRIBE.token({"u": "1"})) is None
    assert notifications.UNSUBSCRIBE.read(notifications.UNSUBSCRIBE.token({"u": 1})) is None
    assert following.UNSUBSCRIBE.read(signing.TimestampSigner(salt="nyskap.unsubscribe").sign_object([1])) is None


def test_when_the_one_view_is_used_for_both_kinds_then_get_confirms_and_post_unsubscribes(subscription, profile):
    client = Client(enforce_csrf_checks=True)  # anonymous, no CSRF token: the signed token is the authority
    digest_path = following.UNSUBSCRIBE.path(following.unsubscribe_token(subscription))
    alert_path = notifications.UNSUBSCRIBE.path(notifications.unsubscribe_token(profile))
    assert digest_path.startswith("/prosjekter/folg/avmeld/") and alert_path.startswith("/virkemidler/avmeld/")

    assert client.get(digest_path).status_code == 200
    assert client.get(alert_path).status_code == 200
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    assert MatcherProfile.objects.filter(pk=profile.pk).exists()

    assert client.post(digest_path).status_code == 200
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
    assert MatcherProfile.objects.filter(pk=profile.pk).exists()
    assert client.post(alert_path).status_code == 200
    assert not MatcherProfile.objects.filter(pk=profile.pk).exists()

    # Used again: nothing left to remove, still a page and no error.
    assert client.post(digest_path).status_code == 200
    assert client.post(alert_path).status_code == 200


def test_when_mail_is_sent_in_batches_then_every_item_is_tried_and_a_failure_is_logged(caplog, innovator, leader):
    users = get_user_model().objects.filter(pk__in=[innovator.pk, leader.pk])
    tried: list[int] = []

    def send(user) -> bool:
        tried.append(user.pk)
        if user.pk == innovator.pk:
            raise RuntimeError("SMTP down")
        return True

    logger = logging.getLogger("nyskap.tests.batched")
    with caplog.at_level(logging.ERROR, logger=logger.name):
        sent = send_batched(
            users,
            send,
            logger=logger,
            failure_event="test_failed",
            failure_extra=lambda u: {"user_id": u.pk},
            batch_size=1,
        )
    assert sent == 1
    assert tried == sorted([innovator.pk, leader.pk])
    assert [(record.getMessage(), record.user_id) for record in caplog.records] == [("test_failed", innovator.pk)]
    assert send_batched(iter([3, 4]), lambda n: n == 3, logger=logger, failure_event="x") == 1
