"""Anonymity by design, proved on the tables: a response row holds no user, e-mail, invitation, IP address or
time of day; invitations hold no time and no reference to a response; nothing orders responses; the audit log
records nothing about answering."""

from __future__ import annotations

import datetime
import uuid

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.db import connection

from nyskap.surveys.models import Answer, Invitation, Response
from nyskap.surveys.selectors import resolve_resume, resolve_token
from nyskap.surveys.services import response_save, round_invite

from .factories import make_round, make_version

pytestmark = pytest.mark.django_db


def _columns(model) -> dict[str, str]:
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, model._meta.db_table)
    return {column.name: connection.introspection.get_field_type(column.type_code, column) for column in description}


def test_the_response_table_has_only_the_columns_that_cannot_identify_anybody():
    assert set(_columns(Response)) == {"id", "round_id", "unit_id", "via_link", "submitted", "saved_on", "resume_hash"}
    assert _columns(Response)["saved_on"] == "DateField"


def test_the_answer_table_has_no_sequence_number_and_no_time():
    columns = _columns(Answer)
    assert set(columns) == {"response_id", "item_id", "value", "dont_know", "choice", "choices", "text"}
    assert not any(kind in ("DateTimeField", "AutoField", "BigAutoField") for kind in columns.values())


def test_the_invitation_table_has_no_time_and_no_reference_to_a_response():
    columns = _columns(Invitation)
    # ``language`` is the language the leader chose for the invitation mail (one of three; ADR 0006).
    assert set(columns) == {"id", "round_id", "unit_id", "email", "token_hash", "used", "reminders_sent", "language"}
    relations = {f.related_model for f in Invitation._meta.get_fields() if f.is_relation}
    assert Response not in relations
    assert Invitation not in {f.related_model for f in Response._meta.get_fields() if f.is_relation}


def test_when_invited_people_answer_then_the_stored_rows_cannot_be_joined_or_ordered(
    innovator, home_municipality, django_capture_on_commit_callbacks
):
    survey_round = make_round(actor=innovator, organisation=home_municipality, version=make_version())
    with django_capture_on_commit_callbacks(execute=True):
        round_invite(actor=innovator, round=survey_round, emails=["a@x.no", "b@x.no", "c@x.no"])
    tokens = [m.body.split("/undersokelser/svar/")[1].split("/")[0] for m in mail.outbox]
    # b saves a draft first and submits it later; a and c submit at once.
    draft = response_save(access=resolve_token(tokens[1]), data={"l1": "2"}, unit_id=None, submit=False)
    response_save(access=resolve_token(tokens[0]), data={"l1": "4"}, unit_id=None, submit=True)
    response_save(access=resolve_token(tokens[2]), data={"l1": "5", "free": "Fint"}, unit_id=None, submit=True)
    response_save(access=resolve_resume(draft.resume_secret), data={"l1": "3"}, unit_id=None, submit=True)

    rows = list(Response.objects.values())
    assert len(rows) == 3
    for row in rows:
        assert isinstance(row["id"], uuid.UUID) and row["id"].version == 4
        assert row["saved_on"] == datetime.date(2026, 11, 15)
        assert row["submitted"] is True
        assert row["resume_hash"] is None
    assert all(i.used for i in Invitation.objects.all())
    stored = {str(v) for row in Invitation.objects.values() for v in row.values()}
    for row in rows:
        assert str(row["id"]) not in stored
    # No value of any response or answer mentions an address, a token or a time.
    everything = " ".join(str(v) for v in list(Response.objects.values_list()) + list(Answer.objects.values_list()))
    for needle in ["a@x.no", "b@x.no", "c@x.no", *tokens, draft.resume_secret, "12:00"]:
        assert needle not in everything


def test_when_people_answer_then_the_audit_log_records_nothing_about_responses_or_invitations(
    innovator, home_municipality, django_capture_on_commit_callbacks
):
    survey_round = make_round(actor=innovator, organisation=home_municipality, version=make_version())
    with django_capture_on_commit_callbacks(execute=True):
        round_invite(actor=innovator, round=survey_round, emails=["a@x.no"])
    token = mail.outbox[0].body.split("/undersokelser/svar/")[1].split("/")[0]
    before = LogEntry.objects.count()
    response_save(access=resolve_token(token), data={"l1": "4"}, unit_id=None, submit=True)
    assert LogEntry.objects.count() == before
    logged_models = set(LogEntry.objects.values_list("content_type__model", flat=True))
    assert logged_models.isdisjoint({"response", "answer", "invitation"})
