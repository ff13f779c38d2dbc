"""Following projects, organisations, sectors and saved searches; the daily digest; unsubscribing from the mail."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail, signing
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import translation

from nyskap.core.visibility import Visibility
from nyskap.projects.following import services as following
from nyskap.projects.following.services import SubscriptionError, send_digest, subscription_create
from nyskap.projects.models import Phase, Sector, Subscription, SubscriptionKind
from nyskap.projects.services import project_change_phase, project_update
from nyskap.projects.tasks import send_daily_digests

from .factories import make_project

OSLO = ZoneInfo("Europe/Oslo")
EARLIER = dt.datetime(2025, 2, 3, 9, 0, tzinfo=OSLO)  # projects that exist before anyone follows
DAY_0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=OSLO)  # following starts
DAY_0_NOON = dt.datetime(2025, 3, 3, 12, 0, tzinfo=OSLO)  # things happen
DAY_1 = dt.datetime(2025, 3, 4, 6, 15, tzinfo=OSLO)  # the first digest
DAY_1_NOON = dt.datetime(2025, 3, 4, 12, 0, tzinfo=OSLO)
DAY_2 = dt.datetime(2025, 3, 5, 6, 15, tzinfo=OSLO)  # the second digest

UNSUBSCRIBE_PATH = re.compile(r"https?://[^\s\"<>]+/prosjekter/folg/avmeld/([^/\s\"<>]+)/")


def at(moment: dt.datetime) -> time_machine.travel:
    return time_machine.travel(moment, tick=False)


def digest_of(user, capture) -> list[mail.EmailMessage]:
    """Run the user's digest and return the mails it delivered."""
    mail.outbox.clear()
    with capture(execute=True):
        send_digest(user)
    return list(mail.outbox)


def in_default_language(text) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def html_of(message) -> str:
    (html, mimetype), *_rest = message.alternatives
    assert mimetype == "text/html"
    return html


def unsubscribe_link_for(message, label: str) -> str:
    """The unsubscribe URL printed under ``label`` in the plain-text digest."""
    match = re.search(rf"^- {re.escape(label)} \(.*\)\n  .* (\S+)$", message.body, re.MULTILINE)
    assert match, message.body
    return match.group(1)


def path_of(url: str) -> str:
    return url.removeprefix(settings.SITE_URL.rstrip("/"))


# The digest


def test_when_a_followed_project_changes_phase_then_the_digest_lists_it(
    innovator, colleague, home_municipality, django_capture_on_commit_callbacks
):
    with at(EARLIER):
        project = make_project(actor=innovator, owner=home_municipality, visibility=Visibility.ORGANISATION)
    with at(DAY_0):
        subscription = subscription_create(user=colleague, kind=SubscriptionKind.PROJECT, target=project.slug)
    with at(DAY_0_NOON):
        project_change_phase(project=project, to_phase=Phase.IDEAS, actor=innovator)
    with at(DAY_1):
        sent = digest_of(colleague, django_capture_on_commit_callbacks)

    assert len(sent) == 1
    message = sent[0]
    assert message.to == [colleague.email]
    with translation.override(settings.LANGUAGE_CODE):
        expected_subject = following.ngettext(
            "Nyskap: %(count)d update on what you follow", "Nyskap: %(count)d updates on what you follow", 1
        ) % {"count": 1}
    assert message.subject == expected_subject
    assert f"- Varm mat: {in_default_language(Phase.NEED.label)} → {in_default_language(Phase.IDEAS.label)}" in (
        message.body
    )
    assert f"{settings.SITE_URL.rstrip('/')}/prosjekter/{project.slug}/" in message.body
    assert f'<a href="{settings.SITE_URL.rstrip("/")}/prosjekter/{project.slug}/">Varm mat</a>' in html_of(message)
    subscription.refresh_from_db()
    assert subscription.last_sent_at == DAY_1


def test_when_a_new_project_appears_in_a_followed_sector_then_the_digest_lists_it_and_not_others(
    innovator, colleague, home_municipality, django_capture_on_commit_callbacks
):
    with at(DAY_0):
        subscription_create(user=colleague, kind=SubscriptionKind.SECTOR, target=Sector.HEALTH_CARE)
    with at(DAY_0_NOON):
        make_project(
            actor=innovator,
            owner=home_municipality,
            title="Digital tilsyn",
            sector=Sector.HEALTH_CARE,
            visibility=Visibility.NETWORK,
        )
        make_project(
            actor=innovator,
            owner=home_municipality,
            title="Ny skolerute",
            sector=Sector.EDUCATION,
            visibility=Visibility.NETWORK,
        )
    with at(DAY_1):
        sent = digest_of(colleague, django_capture_on_commit_callbacks)

    assert len(sent) == 1
    assert "- Digital tilsyn (Øygarden kommune)" in sent[0].body
    assert "Ny skolerute" not in sent[0].body
    assert "Ny skolerute" not in html_of(sent[0])


def test_when_a_new_project_appears_in_a_followed_organisation_then_only_the_visible_one_is_mailed(
    innovator, outsider, home_municipality, django_capture_on_commit_callbacks
):
    with at(DAY_0):
        subscription_create(user=outsider, kind=SubscriptionKind.ORGANISATION, target=home_municipality.slug)
    with at(DAY_0_NOON):
        make_project(actor=innovator, owner=home_municipality, title="Delt med nettverket", visibility="network")
        make_project(actor=innovator, owner=home_municipality, title="Bare for Øygarden", visibility="organisation")
        make_project(actor=innovator, owner=home_municipality, title="Utkast", visibility="draft")
    with at(DAY_1):
        sent = digest_of(outsider, django_capture_on_commit_callbacks)

    assert len(sent) == 1
    body = sent[0].body
    assert "Delt med nettverket" in body
    assert "Bare for Øygarden" not in body and "Bare for Øygarden" not in html_of(sent[0])
    assert "Utkast" not in body and "Utkast" not in html_of(sent[0])


def test_when_a_new_project_matches_a_saved_search_then_the_digest_lists_it(
    innovator, colleague, home_municipality, django_capture_on_commit_callbacks
):
    with at(DAY_0):
        subscription = subscription_create(
            user=colleague, kind=SubscriptionKind.SEARCH, target="q=middag&sector=health_care"
        )
    with at(DAY_0_NOON):
        make_project(
            actor=innovator,
            owner=home_municipality,
            title="Middag på døra",
            sector=Sector.HEALTH_CARE,
            visibility=Visibility.NETWORK,
        )
        make_project(  # the right sector, but not about dinner
            actor=innovator,
            owner=home_municipality,
            title="Trygghetsalarm",
            sector=Sector.HEALTH_CARE,
            need_problem="Alarmene svikter om natta.",
            need_effect="Alarmer som virker.",
            visibility=Visibility.NETWORK,
        )
        make_project(  # about dinner, but in another sector
            actor=innovator, owner=home_municipality, title="Skolemat", sector=Sector.EDUCATION, visibility="network"
        )
    with at(DAY_1):
        sent = digest_of(colleague, django_capture_on_commit_callbacks)

    assert subscription.query == "q=middag&sector=health_care"
    assert len(sent) == 1
    assert "Middag på døra" in sent[0].body
    assert "Trygghetsalarm" not in sent[0].body
    assert "Skolemat" not in sent[0].body


def test_when_a_followed_project_became_private_then_its_phase_change_is_never_mailed(
    innovator, outsider, home_municipality, django_capture_on_commit_callbacks
):
    with at(EARLIER):
        project = make_project(actor=innovator, owner=home_municipality, visibility=Visibility.NETWORK)
    with at(DAY_0):
        subscription_create(user=outsider, kind=SubscriptionKind.PROJECT, target=project)
    with at(DAY_0_NOON):
        project_update(project=project, actor=innovator, visibility=Visibility.ORGANISATION)
        project_change_phase(project=project, to_phase=Phase.IDEAS, actor=innovator)
    with at(DAY_1):
        sent = digest_of(outsider, django_capture_on_commit_callbacks)

    assert sent == []
    assert Subscription.objects.get(user=outsider).last_sent_at is None


def test_when_nothing_is_new_then_no_mail_is_sent(
    innovator, colleague, home_municipality, django_capture_on_commit_callbacks
):
    with at(EARLIER):
        project = make_project(actor=innovator, owner=home_municipality, visibility=Visibility.ORGANISATION)
    with at(DAY_0):
        subscription_create(user=colleague, kind=SubscriptionKind.PROJECT, target=project)
        subscription_create(user=colleague, kind=SubscriptionKind.SECTOR, target=Sector.CULTURE)
    with at(DAY_1):
        sent = digest_of(colleague, django_capture_on_commit_callbacks)

    assert sent == []
    assert list(Subscription.objects.filter(user=colleague).values_list("last_sent_at", flat=True)) == [None, None]


def test_when_the_subscriber_made_the_change_then_it_is_not_news_to_them(
    innovator, home_municipality, django_capture_on_commit_callbacks
):
    with at(DAY_0):
        subscription_create(user=innovator, kind=SubscriptionKind.ORGANISATION, target=home_municipality)
    with at(DAY_0_NOON):
        project = make_project(actor=innovator, owner=home_municipality, visibility=Visibility.ORGANISATION)
        project_change_phase(project=project, to_phase=Phase.IDEAS, actor=innovator)
    with at(DAY_1):
        assert digest_of(innovator, django_capture_on_commit_callbacks) == []


def test_when_a_digest_was_sent_then_the_next_one_reports_only_what_happened_since(
    innovator, colleague, home_municipality, django_capture_on_commit_callbacks
):
    with at(EARLIER):
        project = make_project(actor=innovator, owner=home_municipality, visibility=Visibility.ORGANISATION)
    with at(DAY_0):
        subscription_create(user=colleague, kind=SubscriptionKind.PROJECT, target=project)
        subscription_create(user=colleague, kind=SubscriptionKind.ORGANISATION, target=home_municipality)
    with at(DAY_0_NOON):
        project_change_phase(project=project, to_phase=Phase.IDEAS, actor=innovator)
    with at(DAY_1):
        first = digest_of(colleague, django_capture_on_commit_callbacks)
        again = digest_of(colleague, django_capture_on_commit_callbacks)
    with at(DAY_1_NOON):
        project_change_phase(project=project, to_phase=Phase.DEVELOP_TEST, actor=innovator)
    with at(DAY_2):
        second = digest_of(colleague, django_capture_on_commit_callbacks)

    ideas, develop = in_default_language(Phase.IDEAS.label), in_default_language(Phase.DEVELOP_TEST.label)
    assert len(first) == 1
    # Followed both as a project and through its organisation: listed once.
    assert first[0].body.count(f"→ {ideas}") == 1
    assert again == []
    assert len(second) == 1
    assert f"→ {develop}" in second[0].body
    assert f"→ {ideas}" not in second[0].body
    assert set(Subscription.objects.filter(user=colleague).values_list("last_sent_at", flat=True)) == {DAY_2}


def test_when_the_daily_task_runs_then_every_subscriber_gets_one_digest(
    innovator, colleague, outsider, home_municipality, django_capture_on_commit_callbacks
):
    with at(DAY_0):
        subscription_create(user=colleague, kind=SubscriptionKind.SECTOR, target=Sector.HEALTH_CARE)
        subscription_create(user=colleague, kind=SubscriptionKind.ORGANISATION, target=home_municipality)
        subscription_create(user=outsider, kind=SubscriptionKind.SECTOR, target=Sector.HEALTH_CARE)
    with at(DAY_0_NOON):
        make_project(actor=innovator, owner=home_municipality, sector=Sector.HEALTH_CARE, visibility="network")
    mail.outbox.clear()
    with at(DAY_1), django_capture_on_commit_callbacks(execute=True):
        sent = send_daily_digests.call(batch_size=1)

    assert sent == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted([colleague.email, outsider.email])


def test_when_the_command_runs_then_the_digest_task_is_queued_and_sends(
    innovator, colleague, home_municipality, django_capture_on_commit_callbacks, capsys
):
    with at(DAY_0):
        subscription_create(user=colleague, kind=SubscriptionKind.SECTOR, target=Sector.HEALTH_CARE)
    with at(DAY_0_NOON):
        make_project(actor=innovator, owner=home_municipality, sector=Sector.HEALTH_CARE, visibility="network")
    mail.outbox.clear()
    with at(DAY_1), django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests")  # the tests' ImmediateBackend runs the queued task at once

    assert "Queued the digest task" in capsys.readouterr().out
    assert [message.to for message in mail.outbox] == [[colleague.email]]
    mail.outbox.clear()
    with at(DAY_2), django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", "--now")
    assert capsys.readouterr().out == "Sent 0 digest e-mails.\n"
    assert mail.outbox == []


# Unsubscribing from the mail


@pytest.fixture
def digest_with_two_subscriptions(innovator, colleague, home_municipality, django_capture_on_commit_callbacks):
    with at(EARLIER):
        project = make_project(actor=innovator, owner=home_municipality, visibility=Visibility.ORGANISATION)
    with at(DAY_0):
        by_project = subscription_create(user=colleague, kind=SubscriptionKind.PROJECT, target=project)
        by_organisation = subscription_create(
            user=colleague, kind=SubscriptionKind.ORGANISATION, target=home_municipality
        )
    with at(DAY_0_NOON):
        project_change_phase(project=project, to_phase=Phase.IDEAS, actor=innovator)
    with at(DAY_1):
        (message,) = digest_of(colleague, django_capture_on_commit_callbacks)
    return message, by_project, by_organisation


@pytest.fixture
def next_morning():
    with at(DAY_2):
        yield


def test_when_the_unsubscribe_link_is_followed_then_get_confirms_and_post_removes_only_that_subscription(
    digest_with_two_subscriptions, next_morning
):
    message, by_project, by_organisation = digest_with_two_subscriptions
    link = unsubscribe_link_for(message, by_project.label)
    assert link in html_of(message)
    client = Client(enforce_csrf_checks=True)  # anonymous: the signed token is the authority

    confirm = client.get(path_of(link))
    assert confirm.status_code == 200
    assert f"{by_project.label} (".encode() in confirm.content
    assert by_organisation.label.encode() not in confirm.content
    assert Subscription.objects.filter(pk=by_project.pk).exists()

    done = client.post(path_of(link))
    assert done.status_code == 200
    assert list(Subscription.objects.filter(user=by_project.user)) == [by_organisation]

    again = client.post(path_of(link))
    assert again.status_code == 200
    assert list(Subscription.objects.filter(user=by_project.user)) == [by_organisation]


def test_when_the_unsubscribe_token_is_tampered_with_then_it_is_refused_and_nothing_is_deleted(
    digest_with_two_subscriptions, colleague, outsider, next_morning
):
    message, by_project, _by_organisation = digest_with_two_subscriptions
    token = UNSUBSCRIBE_PATH.search(unsubscribe_link_for(message, by_project.label)).group(1)
    forged_payload = signing.TimestampSigner(salt="another.salt").sign_object({"u": colleague.pk})
    tampered = [
        token[:-1] + ("A" if token[-1] != "A" else "B"),
        token.replace(token.split(":")[0], signing.b64_encode(b'{"u":%d}' % outsider.pk).decode(), 1),
        forged_payload,
        "no-such-token",
    ]
    client = Client()
    client.cookies["django_language"] = "en"
    for bad in tampered:
        for method in (client.get, client.post):
            response = method(f"/prosjekter/folg/avmeld/{bad}/")
            assert response.status_code == 403, bad
            assert b"The unsubscribe link is not valid" in response.content
    assert Subscription.objects.filter(user=colleague).count() == 2


def test_when_the_unsubscribe_link_has_expired_then_it_is_refused(digest_with_two_subscriptions, colleague):
    message, by_project, _by_organisation = digest_with_two_subscriptions
    link = unsubscribe_link_for(message, by_project.label)
    with at(DAY_1 + following.UNSUBSCRIBE_MAX_AGE + dt.timedelta(days=1)):
        response = Client().post(path_of(link))
    assert response.status_code == 403
    assert Subscription.objects.filter(user=colleague).count() == 2


def test_when_the_digest_is_sent_then_it_carries_one_click_list_unsubscribe_headers(
    digest_with_two_subscriptions, next_morning
):
    message, by_project, _by_organisation = digest_with_two_subscriptions
    header = message.extra_headers["List-Unsubscribe"]
    assert re.fullmatch(rf"<{re.escape(settings.SITE_URL.rstrip('/'))}/prosjekter/folg/avmeld/[^/\s]+/>", header)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.message()["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # RFC 8058: the mail provider POSTs "List-Unsubscribe=One-Click" without cookies or a CSRF token.
    response = Client(enforce_csrf_checks=True).post(path_of(header[1:-1]), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Subscription.objects.filter(user=by_project.user).count() == 0


# Following and the subscriptions page


def test_when_an_outsider_follows_an_organisation_only_project_then_it_is_refused(project, outsider, as_outsider):
    with pytest.raises(PermissionDenied):
        subscription_create(user=outsider, kind=SubscriptionKind.PROJECT, target=project)

    response = as_outsider.post("/prosjekter/folg/ny/", {"kind": "project", "target": project.slug})
    missing = as_outsider.post("/prosjekter/folg/ny/", {"kind": "project", "target": "no-such-project"})
    assert response.status_code == 403
    assert missing.status_code == 403  # the same answer: following does not reveal which projects exist
    assert Subscription.objects.count() == 0


def test_when_a_member_follows_a_project_then_they_are_sent_back_and_following_again_changes_nothing(
    project, colleague, as_colleague
):
    data = {"kind": "project", "target": project.slug, "next": "/prosjekter/varm-mat/"}
    first = as_colleague.post("/prosjekter/folg/ny/", data)
    second = as_colleague.post("/prosjekter/folg/ny/", data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == "/prosjekter/varm-mat/"
    subscription = Subscription.objects.get()
    assert (subscription.user, subscription.kind, subscription.project, subscription.label) == (
        colleague,
        SubscriptionKind.PROJECT,
        project,
        "Varm mat",
    )
    assert following.is_following(user=colleague, kind="project", target=project.slug) is True

    unfollow = as_colleague.post("/prosjekter/folg/slutt/", {**data, "next": "https://evil.example/"})
    assert unfollow.status_code == 302
    assert unfollow["Location"] == "/prosjekter/folg/"
    assert Subscription.objects.count() == 0


@pytest.mark.parametrize(
    ("next_url", "done"),
    [
        ("a\x01b\x0bc\x1f", False),  # refused by the form (the text rule), so nothing is followed
        ("a\x00b", False),
        ("\u202eevil", False),
        ("project_follow:list", True),  # a view's name: once reversed, and a server error when it was no name
        ("a b", True),
        ("prosjekter", True),
        ("//evil.example/", True),
    ],
)
def test_when_next_is_not_a_path_on_this_site_then_the_button_goes_to_my_subscriptions(
    project, colleague, as_colleague, next_url, done
):
    """``next`` comes back from the page as sent: a name Django could take for a view, a bare word or another
    host is not followed, and a refused character is refused with the rest of the form."""
    data = {"kind": "project", "target": project.slug, "next": next_url}
    followed = as_colleague.post("/prosjekter/folg/ny/", data)
    assert (followed.status_code, followed["Location"]) == (302, "/prosjekter/folg/")
    assert Subscription.objects.filter(user=colleague, project=project).count() == int(done)
    unfollowed = as_colleague.post("/prosjekter/folg/slutt/", data)
    assert (unfollowed.status_code, unfollowed["Location"]) == (302, "/prosjekter/folg/")
    assert Subscription.objects.count() == 0


def test_when_a_search_is_followed_then_the_query_is_normalised_and_validated(colleague, home_municipality):
    subscription = subscription_create(
        user=colleague,
        kind=SubscriptionKind.SEARCH,
        target="?sort=title&sector=health_care&q=+varm++mat&page=3&phase=ideas&phase=need&sector=education",
    )
    assert subscription.query == "q=varm+mat&phase=ideas&phase=need&sector=education&sector=health_care"
    same = subscription_create(
        user=colleague, kind="search", target="phase=need&phase=ideas&sector=education&sector=health_care&q=varm mat"
    )
    assert same.pk == subscription.pk
    assert subscription.label.startswith("“varm mat” · ")

    with pytest.raises(SubscriptionError):
        subscription_create(user=colleague, kind=SubscriptionKind.SEARCH, target="phase=bogus")
    with pytest.raises(SubscriptionError):
        subscription_create(user=colleague, kind=SubscriptionKind.SEARCH, target="sort=title&page=2")
    with pytest.raises(SubscriptionError):
        subscription_create(user=colleague, kind=SubscriptionKind.SECTOR, target="astrology")
    assert Subscription.objects.count() == 1


def test_when_a_subscription_names_the_wrong_target_for_its_kind_then_the_database_refuses_it(colleague, project):
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(user=colleague, kind=SubscriptionKind.SECTOR, project=project, label="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(user=colleague, kind=SubscriptionKind.SEARCH, query="", label="x")
    Subscription.objects.create(user=colleague, kind=SubscriptionKind.SECTOR, sector=Sector.CULTURE, label="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(user=colleague, kind=SubscriptionKind.SECTOR, sector=Sector.CULTURE, label="y")
    assert Subscription.objects.count() == 1


def test_when_anonymous_opens_my_subscriptions_then_they_are_sent_to_log_in(db, anonymous):
    response = anonymous.get("/prosjekter/folg/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/prosjekter/folg/")
    assert anonymous.post("/prosjekter/folg/ny/", {"kind": "sector", "target": "culture"}).status_code == 302
    assert Subscription.objects.count() == 0


def test_when_a_user_opens_my_subscriptions_then_only_their_own_are_listed_and_removable(
    colleague, outsider, as_colleague, home_municipality
):
    mine = subscription_create(user=colleague, kind=SubscriptionKind.SECTOR, target=Sector.CULTURE)
    theirs = subscription_create(user=outsider, kind=SubscriptionKind.ORGANISATION, target=home_municipality)

    page = as_colleague.get("/prosjekter/folg/")
    assert page.status_code == 200
    assert page.content.count(b"<h1") == 1
    assert f'action="/prosjekter/folg/{mine.pk}/slett/"'.encode() in page.content
    assert f"/prosjekter/folg/{theirs.pk}/slett/".encode() not in page.content
    assert b"\xc3\x98ygarden kommune" not in page.content  # the outsider's subscription's label

    refused = as_colleague.post(f"/prosjekter/folg/{theirs.pk}/slett/")
    assert refused.status_code == 404
    removed = as_colleague.post(f"/prosjekter/folg/{mine.pk}/slett/")
    assert removed.status_code == 302
    assert list(Subscription.objects.all()) == [theirs]


def test_when_the_follow_button_is_included_then_it_renders_a_post_form_with_csrf(colleague, project):
    request = RequestFactory().get("/prosjekter/varm-mat/")
    request.user = colleague
    html = render_to_string(
        "projects/follow/_button.html",
        {"kind": "project", "target": project.slug, "is_following": False},
        request=request,
    )
    assert 'method="post" action="/prosjekter/folg/ny/"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert f'name="target" value="{project.slug}"' in html
    assert 'name="next" value="/prosjekter/varm-mat/"' in html
    following_html = render_to_string(
        "projects/follow/_button.html",
        {"kind": "project", "target": project.slug, "is_following": True},
        request=request,
    )
    assert 'action="/prosjekter/folg/slutt/"' in following_html


@pytest.mark.parametrize(
    ("language", "subject", "line"),
    [
        ("en", "Nyskap: 1 update on what you follow", "- Varm mat: Need → Ideas"),
        ("nb", "Nyskap: 1 oppdatering om det du følger", "- Varm mat: Behov → Idéer og konsepter"),
        ("nn", "Nyskap: 1 oppdatering om det du følgjer", "- Varm mat: Behov → Idear og konsept"),
    ],
)
def test_when_the_follower_chose_a_language_then_the_digest_is_in_it(
    innovator, colleague, home_municipality, django_capture_on_commit_callbacks, language, subject, line
):
    colleague.language = language
    colleague.save()
    with at(EARLIER):
        project = make_project(actor=innovator, owner=home_municipality, visibility=Visibility.ORGANISATION)
    with at(DAY_0):
        subscription_create(user=colleague, kind=SubscriptionKind.PROJECT, target=project.slug)
    with at(DAY_0_NOON):
        project_change_phase(project=project, to_phase=Phase.IDEAS, actor=innovator)
    with at(DAY_1):
        [message] = digest_of(colleague, django_capture_on_commit_callbacks)
    assert message.subject == subject
    assert line in message.body
