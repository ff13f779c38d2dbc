"""The attacks on survey anonymity (ADR 0006, threat model), each tried as an attacker would and shown to fail:
a leader padding or stuffing a round, an operator reopening a round whose results were seen, and personal links
kept where an operator can read them. The culture-specific attacks (national figures, unanimous units, free text)
are in tests/culture/test_attacks.py."""

from __future__ import annotations

import datetime
import json
import logging
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client

from nyskap.surveys.errors import SurveyError
from nyskap.surveys.forms import parse_email_list
from nyskap.surveys.housekeeping import survey_housekeeping
from nyskap.surveys.models import (
    EmailDomain,
    EmailException,
    FrozenRoundError,
    Invitation,
    InvitationBatch,
    Response,
    Round,
    Unit,
)
from nyskap.surveys.selectors import resolve_token, round_progress
from nyskap.surveys.services import response_save, round_close, round_invite, round_reopen, round_results_opened

from ..helpers import english
from .factories import invite, make_round, submit

pytestmark = pytest.mark.django_db


def api_post(client: Client, url: str, payload: dict):
    return client.post(url, json.dumps(payload), content_type="application/json")


@pytest.fixture
def small_unit_round(innovator, home_municipality, version) -> Round:
    """Threshold 5, the shared link switched on, a unit "Liten enhet" with one real (invited) respondent."""
    round = make_round(
        actor=innovator, organisation=home_municipality, version=version, units=["Liten enhet"], link_enabled=True
    )
    submit(round, {"l1": "1", "l2": "2", "free": "Min ekte kommentar"}, unit=round.units.get())
    return round


# Attack 1: padding a small unit through the shared link, and stuffing a round by script.


def test_when_the_owner_posts_made_up_answers_into_a_unit_by_the_shared_link_then_each_is_refused_at_the_unit(
    small_unit_round,
):
    client = english(Client())
    unit = small_unit_round.units.get()
    url = f"/api/v1/surveys/respond/{small_unit_round.link_token}"
    for _ in range(4):
        ticket = client.get(url).json()["ticket"]
        refused = api_post(client, url, {"answers": {"l1": 3, "l2": 3}, "unit": unit.pk, "ticket": ticket})
        assert refused.status_code == 422
        assert refused.json()["errors"][0]["field"] == "unit"
    assert Response.objects.filter(unit=unit).count() == 1


def test_when_a_unit_is_named_then_the_refusal_is_in_norwegian_and_names_the_unit(small_unit_round):
    client = Client()
    url = f"/api/v1/surveys/respond/{small_unit_round.link_token}"
    ticket = client.get(url).json()["ticket"]
    refused = api_post(client, url, {"answers": {"l1": 3}, "unit": small_unit_round.units.get().pk, "ticket": ticket})
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "unit", "message": refused.json()["message"]},
    ]
    assert "enhet" in refused.json()["message"].lower()


def test_when_padded_through_the_link_then_neither_the_unit_nor_the_round_reaches_a_threshold(small_unit_round):
    """The fakes can only go in without a unit, and a round with a shared link needs 10 answers: 1 + 4 shows
    nothing; the unit stays at its one real answer."""
    client = Client()
    url = f"/api/v1/surveys/respond/{small_unit_round.link_token}"
    for _ in range(4):
        ticket = client.get(url).json()["ticket"]
        assert api_post(client, url, {"answers": {"l1": 3, "l2": 3}, "ticket": ticket}).status_code == 201
    assert Response.objects.filter(unit__isnull=False).count() == 1
    assert Response.objects.filter(via_link=True, unit__isnull=True).count() == 4
    small_unit_round.refresh_from_db()
    assert small_unit_round.disclosure_threshold == 10
    progress = round_progress(small_unit_round)
    assert (progress.by_link, [(u.invited, u.answered) for u in progress.units]) == (4, [(1, 1)])


def test_when_a_round_takes_answers_by_link_then_its_threshold_is_never_below_10_or_the_invitation_threshold(
    innovator, home_municipality, version
):
    from nyskap.surveys.services import RoundInput, round_create

    data = RoundInput(
        title="Lenke",
        version=version,
        opens_on=datetime.date(2026, 11, 15),
        closes_on=datetime.date(2026, 11, 30),
        threshold=12,
        link_enabled=True,
        link_threshold=10,
    )
    with pytest.raises(SurveyError) as error:
        round_create(actor=innovator, organisation=home_municipality, data=data)
    assert error.value.field == "link_threshold"
    data.link_threshold = 9
    data.threshold = 5
    with pytest.raises(SurveyError):
        round_create(actor=innovator, organisation=home_municipality, data=data)
    assert Round.objects.count() == 0


def test_when_a_script_posts_100_answers_from_one_address_then_it_is_stopped_after_ten(small_unit_round):
    client = Client()
    url = f"/api/v1/surveys/respond/{small_unit_round.link_token}"
    statuses = []
    for _ in range(100):
        drawn = client.get(url)
        ticket = drawn.json()["ticket"] if drawn.status_code == 200 else "none"
        statuses.append(api_post(client, url, {"answers": {"l1": 3}, "ticket": ticket}).status_code)
    assert statuses[:10] == [201] * 10
    assert set(statuses[10:]) == {429}
    assert Response.objects.filter(via_link=True).count() == 10


def test_when_a_script_posts_without_a_ticket_or_reuses_one_then_nothing_is_stored(small_unit_round):
    client = english(Client())
    url = f"/api/v1/surveys/respond/{small_unit_round.link_token}"
    without = api_post(client, url, {"answers": {"l1": 3}})
    assert without.status_code == 422
    assert without.json()["errors"][0]["field"] == "ticket"
    ticket = client.get(url).json()["ticket"]
    assert api_post(client, url, {"answers": {"l1": 3}, "ticket": ticket}).status_code == 201
    reused = api_post(client, url, {"answers": {"l1": 3}, "ticket": ticket})
    assert reused.status_code == 422
    assert reused.json()["errors"][0]["field"] == "ticket"
    assert Response.objects.filter(via_link=True).count() == 1


def test_when_the_owners_cap_of_link_answers_is_reached_then_the_link_takes_no_more(
    innovator, home_municipality, version
):
    round = make_round(actor=innovator, organisation=home_municipality, version=version, link_enabled=True, link_cap=3)
    statuses = []
    for index in range(5):
        client = Client(REMOTE_ADDR=f"10.0.0.{index}")
        url = f"/api/v1/surveys/respond/{round.link_token}"
        ticket = client.get(url).json()["ticket"]
        statuses.append(api_post(client, url, {"answers": {"l1": 3}, "ticket": ticket}).status_code)
    assert statuses == [201, 201, 201, 410, 410]
    assert Response.objects.count() == 3


def test_when_a_round_is_by_invitation_only_then_its_shared_link_takes_nothing(innovator, home_municipality, version):
    round = make_round(actor=innovator, organisation=home_municipality, version=version)
    client = english(Client())
    url = f"/api/v1/surveys/respond/{round.link_token}"
    assert client.get(url).status_code == 410
    assert api_post(client, url, {"answers": {"l1": 3}}).status_code == 410
    page = client.get(f"/undersokelser/svar/{round.link_token}/")
    assert page.status_code == 410
    assert Response.objects.count() == 0


def test_when_more_answer_than_were_invited_then_the_rate_is_not_capped_and_the_page_says_so(
    as_innovator, small_unit_round
):
    invite(small_unit_round, small_unit_round.units.get())  # two invited in all, one answered
    client = Client()
    url = f"/api/v1/surveys/respond/{small_unit_round.link_token}"
    for index in range(3):
        other = Client(REMOTE_ADDR=f"10.1.0.{index}")
        ticket = other.get(url).json()["ticket"]
        assert api_post(other, url, {"answers": {"l1": 3}, "ticket": ticket}).status_code == 201
    del client
    progress = round_progress(small_unit_round)
    assert (progress.responses, progress.invited, progress.rate, progress.by_link) == (4, 2, 2.0, 3)
    page = english(as_innovator).get(f"/undersokelser/runde/{small_unit_round.pk}/").content.decode()
    assert "response rate 200 %" in page
    assert "There are more answers than people invited or asked." in page
    assert "3 answers came through the shared link." in page


# Invitations carry their unit; only the organisation's addresses; the audit trail says who invited whom.


def test_when_a_leader_invites_outside_the_organisations_domains_then_it_is_refused_naming_the_address(
    innovator, home_municipality, version, operator
):
    round = make_round(actor=innovator, organisation=home_municipality, version=version)
    with pytest.raises(SurveyError) as error:
        round_invite(actor=innovator, round=round, emails=parse_email_list("a@x.no\nmeg@privat.no"))
    assert error.value.field == "emails"
    assert "“meg@privat.no” is not in the organisation's registered e-mail domains." in error.value.message
    assert Invitation.objects.count() == 0
    exception = EmailException.objects.create(
        organisation=home_municipality, email="meg@privat.no", reason="Innleid konsulent", added_by=operator
    )
    from auditlog.models import LogEntry

    assert "Innleid konsulent" in str(LogEntry.objects.get_for_object(exception).get().changes)
    assert round_invite(actor=innovator, round=round, emails=["a@x.no", "meg@privat.no"]).sent == 2
    EmailDomain.objects.create(organisation=home_municipality, domain="oygarden.kommune.no")
    assert round_invite(actor=innovator, round=round, emails=["ny@skole.oygarden.kommune.no"]).sent == 1


def test_when_invited_to_a_unit_then_the_answer_counts_for_that_unit_and_the_batch_is_on_record(
    as_innovator, innovator, home_municipality, version, django_capture_on_commit_callbacks
):
    round = make_round(actor=innovator, organisation=home_municipality, version=version, units=["Helse", "Skole"])
    health = round.units.get(name="Helse")
    with pytest.raises(SurveyError) as error:
        round_invite(actor=innovator, round=round, emails=["a@x.no"])
    assert error.value.field == "unit"
    with django_capture_on_commit_callbacks(execute=True):
        round_invite(actor=innovator, round=round, emails=["a@x.no", "b@x.no", "c@x.no"], unit=health)
    token = re.search(r"/undersokelser/svar/([^/]+)/", mail.outbox[0].body).group(1)
    response_save(access=resolve_token(token), data={"l1": "4"}, submit=True)
    assert Response.objects.get().unit == health
    batch = InvitationBatch.objects.get()
    assert (batch.invited_by, batch.unit, batch.count) == (innovator, health, 3)
    page = english(as_innovator).get(f"/undersokelser/runde/{round.pk}/").content.decode()
    assert "Who invited whom" in page
    assert "Ina Innovatør" in page
    assert re.search(r"<th scope=\"row\">Helse</th><td>3</td><td>1</td>", page)


# Attack 2 and 4: reopening a round whose figures were seen, by the leader or by an operator; dates.


@pytest.fixture
def seen_round(innovator, home_municipality, version) -> Round:
    round = make_round(actor=innovator, organisation=home_municipality, version=version, units=["Helse"])
    for value in "12345":
        submit(round, {"l1": value}, unit=round.units.get())
    round = round_close(actor=innovator, round=round)
    round_results_opened(round=round)
    round.refresh_from_db()
    return round


def test_when_an_operator_reopens_a_seen_round_in_the_admin_then_nothing_changes(as_operator, seen_round):
    url = f"/drift/surveys/round/{seen_round.pk}/change/"
    page = as_operator.get(url).content.decode()
    assert 'name="threshold"' not in page
    assert 'name="closes_on"' not in page
    assert 'name="units-0-name"' not in page
    response = as_operator.post(
        url,
        {
            "organisation": seen_round.organisation_id,
            "version": seen_round.version_id,
            "title": seen_round.title,
            "opens_on": "2026-11-01",
            "closes_on": "2026-12-31",
            "threshold": "3",
            "link_threshold": "10",
            "link_cap": "200",
            "units-TOTAL_FORMS": "1",
            "units-INITIAL_FORMS": "1",
            "units-0-id": seen_round.units.get().pk,
            "units-0-round": seen_round.pk,
            "units-0-name": "Omdøpt",
        },
    )
    assert response.status_code in (200, 302)
    stored = Round.objects.get(pk=seen_round.pk)
    assert (stored.threshold, stored.closes_on, stored.closed_early) == (5, datetime.date(2026, 11, 30), True)
    assert list(stored.units.values_list("name", flat=True)) == ["Helse"]


def test_when_anyone_changes_a_frozen_round_in_code_then_the_model_refuses(seen_round, innovator):
    for change in [{"threshold": 3}, {"closed_early": False}, {"closes_on": datetime.date(2026, 12, 31)}]:
        round = Round.objects.get(pk=seen_round.pk)
        for name, value in change.items():
            setattr(round, name, value)
        with pytest.raises(FrozenRoundError):
            round.save()
    with pytest.raises(FrozenRoundError):
        Unit.objects.create(round=seen_round, name="Ny")
    with pytest.raises(FrozenRoundError):
        seen_round.units.get().delete()
    with pytest.raises(SurveyError, match="frozen"):
        round_reopen(actor=innovator, round=seen_round)
    with pytest.raises(SurveyError):
        resolve_token(invite(seen_round))
    late = api_post(Client(), f"/api/v1/surveys/respond/{invite(seen_round)}", {"answers": {"l1": 3}})
    assert late.status_code == 410
    assert Response.objects.count() == 5


def test_when_a_leader_reopens_a_seen_round_on_the_page_then_it_stays_closed(as_innovator, seen_round):
    response = english(as_innovator).post(f"/undersokelser/runde/{seen_round.pk}/gjenapne/", follow=True)
    assert "it is frozen" in response.content.decode()
    assert Round.objects.get(pk=seen_round.pk).closed_early is True


@pytest.mark.parametrize(
    ("opens_on", "closes_on", "field"),
    [
        ("0001-01-01", "2026-11-30", "opens_on"),
        ("2026-11-15", "9999-12-31", "closes_on"),
        ("2026-11-13", "2026-11-30", "opens_on"),
        ("2026-11-20", "2026-11-19", "closes_on"),
    ],
)
def test_when_round_dates_are_absurd_then_the_form_refuses_them_at_the_field(
    as_leader, version, opens_on, closes_on, field
):
    response = as_leader.post(
        "/undersokelser/ny/oygarden/",
        {
            "title": "Evig",
            "version": version.pk,
            "opens_on": opens_on,
            "closes_on": closes_on,
            "threshold": "5",
        },
    )
    assert response.status_code == 200
    assert re.search(rf'id="id_{field}_error">[^<]+<', response.content.decode())
    assert Round.objects.count() == 0


def test_when_an_operator_sets_absurd_dates_in_the_admin_then_the_field_is_refused(as_operator, innovator, version):
    round = make_round(actor=innovator, organisation=innovator.memberships.get().organisation, version=version)
    response = as_operator.post(
        f"/drift/surveys/round/{round.pk}/change/",
        {
            "organisation": round.organisation_id,
            "version": round.version_id,
            "title": round.title,
            "opens_on": "2026-11-01",
            "closes_on": "9999-12-31",
            "threshold": "5",
            "link_threshold": "10",
            "link_cap": "200",
            "units-TOTAL_FORMS": "0",
            "units-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert Round.objects.get(pk=round.pk).closes_on == datetime.date(2026, 11, 30)


# Attack 5: personal links and addresses kept where an operator can read them.


def _everything_stored() -> dict[str, str]:
    """Every table's rows as text, table by table."""
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            found[table] = " ".join(str(value) for row in cursor.fetchall() for value in row)
    return found


def _tables_holding(needle: str) -> set[str]:
    return {table for table, text in _everything_stored().items() if needle.lower() in text.lower()}


@pytest.mark.django_db(transaction=True)
def test_when_invitations_are_sent_by_the_worker_then_no_table_holds_a_token_and_addresses_go_at_close(
    settings, innovator, home_municipality, version, caplog
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django.tasks import task_backends

    task_backends.__dict__.pop("settings", None)  # the backends are built from settings on first use
    caplog.set_level(logging.DEBUG)
    try:
        tokens, worker_output = _send_through_the_worker_and_search(innovator, home_municipality, version)
    finally:
        task_backends.__dict__.pop("settings", None)
        for name in ("django_tasks_db", "django.tasks"):
            logging.getLogger(name).setLevel(logging.NOTSET)
    logged = caplog.text + worker_output
    assert "nyskap.surveys.tasks.send_invitation" in logged  # the worker logged each task, by path and id
    for needle in [*tokens, "per.hansen@x.no", "kari.nord@x.no"]:
        assert needle not in logged


def _send_through_the_worker_and_search(innovator, home_municipality, version):
    from django_tasks_db.models import DBTaskResult

    round = make_round(actor=innovator, organisation=home_municipality, version=version, units=["Helse"])
    round_invite(actor=innovator, round=round, emails=["per.hansen@x.no", "kari.nord@x.no"], unit=round.units.get())
    assert mail.outbox == []
    queued = list(DBTaskResult.objects.values_list("args_kwargs", flat=True))
    ids = sorted(Invitation.objects.values_list("pk", flat=True))
    assert sorted(q["args"][0] for q in queued) == ids
    assert all(q == {"args": [q["args"][0]], "kwargs": {}} for q in queued)
    from io import StringIO

    output = StringIO()
    call_command("db_worker", "--batch", verbosity=3, stdout=output)
    assert sorted(m.to[0] for m in mail.outbox) == ["kari.nord@x.no", "per.hansen@x.no"]
    tokens = [re.search(r"/undersokelser/svar/([^/]+)/", m.body).group(1) for m in mail.outbox]
    assert set(DBTaskResult.objects.values_list("return_value", flat=True)) == {None}
    for token in tokens:
        assert _tables_holding(token) == set()
    assert _tables_holding("per.hansen@x.no") == {"surveys_invitation"}
    # The invitee answers; the link works once.
    response_save(access=resolve_token(tokens[0]), data={"l1": "4"}, submit=True)
    round_close(actor=innovator, round=round)
    for address in ["per.hansen@x.no", "kari.nord@x.no"]:
        assert _tables_holding(address) == set()
    assert Invitation.objects.filter(round=round).count() == 2  # the count per unit stays
    done = survey_housekeeping()
    assert done.tasks_pruned == 2
    assert not DBTaskResult.objects.filter(task_path__startswith="nyskap.surveys.").exists()
    return tokens, output.getvalue()


def test_when_an_operator_looks_in_the_task_admin_then_no_personal_link_is_there(
    as_operator, innovator, home_municipality, version, django_capture_on_commit_callbacks
):
    round = make_round(actor=innovator, organisation=home_municipality, version=version)
    with django_capture_on_commit_callbacks(execute=True):
        round_invite(actor=innovator, round=round, emails=["a@x.no"])
    token = re.search(r"/undersokelser/svar/([^/]+)/", mail.outbox[0].body).group(1)
    for table, text in _everything_stored().items():
        assert token not in text, table
        if table != "surveys_invitation":
            assert "a@x.no" not in text, table
