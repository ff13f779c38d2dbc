"""The survey engine's services: versions freeze, rounds open and close, invitations are single use, answers are
validated before anything is stored."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from nyskap.surveys.errors import SurveyError
from nyskap.surveys.forms import parse_email_list
from nyskap.surveys.models import (
    Answer,
    FrozenVersionError,
    Invitation,
    Item,
    Response,
    Round,
    Unit,
    hash_secret,
)
from nyskap.surveys.selectors import Access, resolve_resume, resolve_token, round_progress
from nyskap.surveys.services import (
    RoundInput,
    link_ticket_issue,
    response_save,
    round_close,
    round_create,
    round_invite,
    round_reopen,
    round_request_reminders,
    version_new_draft,
)

from .factories import invite, make_round, make_version, submit

pytestmark = pytest.mark.django_db


def by_link(round: Round) -> dict:
    """Keyword arguments for one answer through the shared link: its access and a fresh one-time ticket."""
    return {"access": Access(round=round), "ticket": link_ticket_issue(round=round)}


def test_when_a_published_item_is_changed_then_it_is_refused_and_a_new_version_carries_the_change(version):
    item = version.items.get(key="l1")
    item.text_nb = "Endret"
    with pytest.raises(FrozenVersionError):
        item.save()
    assert Item.objects.get(pk=item.pk).text_nb == "Spørsmål"
    draft = version_new_draft(version=version)
    assert draft.number == 2
    assert draft.is_published is False
    assert draft.items.count() == 6
    copied = draft.items.get(key="l1")
    assert copied.dimension.version == draft
    copied.text_nb = "Endret"
    copied.save()
    assert version.items.get(key="l1").text_nb == "Spørsmål"


def test_when_a_leader_creates_a_round_then_it_has_its_units_and_default_threshold(survey_round, innovator):
    assert survey_round.threshold == 5
    assert list(survey_round.units.values_list("name", flat=True)) == ["Helse", "Skole"]
    assert survey_round.created_by == innovator
    assert survey_round.is_open()


@pytest.mark.parametrize("persona", ["outsider", "colleague"])
def test_when_a_non_leader_creates_a_round_then_it_is_refused(request, persona, home_municipality, version):
    with pytest.raises(PermissionDenied):
        make_round(actor=request.getfixturevalue(persona), organisation=home_municipality, version=version)
    assert Round.objects.count() == 0


def test_when_the_threshold_is_under_3_then_the_round_is_refused(innovator, home_municipality, version):
    with pytest.raises(SurveyError) as error:
        make_round(actor=innovator, organisation=home_municipality, version=version, threshold=2)
    assert error.value.field == "threshold"
    assert error.value.message == "The anonymity threshold must be at least 3."
    assert Round.objects.count() == 0


def test_when_the_database_is_given_a_threshold_under_3_then_the_constraint_refuses_it(survey_round):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Round.objects.filter(pk=survey_round.pk).update(threshold=2)


def test_when_a_draft_version_is_used_then_the_round_is_refused(innovator, home_municipality):
    draft = make_version(publish=False)
    with pytest.raises(SurveyError, match="Only a published questionnaire"):
        round_create(
            actor=innovator,
            organisation=home_municipality,
            data=RoundInput(
                title="X", version=draft, opens_on=datetime.date(2026, 11, 1), closes_on=datetime.date(2026, 11, 2)
            ),
        )


def test_when_invited_then_each_address_gets_a_single_use_link_and_only_its_hash_is_stored(
    survey_round, innovator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = round_invite(
            actor=innovator,
            round=survey_round,
            unit=survey_round.units.first(),
            emails=parse_email_list("a@x.no, b@x.no;\nA@x.no"),
        )
    assert (result.sent, result.already_invited) == (2, 0)
    assert sorted(m.to[0] for m in mail.outbox) == ["a@x.no", "b@x.no"]
    token = mail.outbox[0].body.split("/undersokelser/svar/")[1].split("/")[0]
    invitation = Invitation.objects.get(email=mail.outbox[0].to[0])
    assert invitation.token_hash == hash_secret(token)
    assert token not in invitation.token_hash
    access = resolve_token(token)
    assert access.invitation == invitation
    response_save(access=access, data={"l1": "4"}, submit=True)
    invitation.refresh_from_db()
    assert invitation.used is True
    with pytest.raises(SurveyError) as error:
        resolve_token(token)
    assert error.value.message.startswith("This link has already been used.")
    with django_capture_on_commit_callbacks(execute=True):
        again = round_invite(
            actor=innovator, round=survey_round, unit=survey_round.units.first(), emails=["a@x.no", "c@x.no"]
        )
    assert (again.sent, again.already_invited) == (1, 1)


def test_when_an_address_is_malformed_then_the_list_is_refused_with_the_address():
    with pytest.raises(SurveyError) as error:
        parse_email_list("ok@x.no\nnot-an-address")
    assert error.value.message == "“not-an-address” is not a valid e-mail address."
    assert error.value.field == "emails"


def test_when_reminders_are_sent_then_only_unused_invitations_get_a_fresh_link(
    survey_round, innovator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        round_invite(actor=innovator, round=survey_round, unit=survey_round.units.first(), emails=["a@x.no", "b@x.no"])
    first = {m.to[0]: m.body.split("/undersokelser/svar/")[1].split("/")[0] for m in mail.outbox}
    response_save(access=resolve_token(first["a@x.no"]), data={"l1": "3"}, submit=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert round_request_reminders(actor=innovator, round=survey_round) == 1
    assert [m.to[0] for m in mail.outbox] == ["b@x.no"]
    assert (
        mail.outbox[0].subject == "Påminnelse: Kulturundersøkelse høsten 2026"
        or "Kulturundersøkelse" in mail.outbox[0].subject
    )
    fresh = mail.outbox[0].body.split("/undersokelser/svar/")[1].split("/")[0]
    assert resolve_token(fresh).invitation.email == "b@x.no"
    with pytest.raises(SurveyError, match="not valid"):
        resolve_token(first["b@x.no"])
    assert Invitation.objects.get(email="b@x.no").reminders_sent == 1


def test_when_a_forged_link_is_used_then_it_is_refused():
    with pytest.raises(SurveyError) as error:
        resolve_token("forged-token")
    assert error.value.message == "This survey link is not valid. Check that you copied the whole link."


def test_when_the_round_is_closed_early_then_answers_are_refused_and_it_can_be_reopened(survey_round, innovator):
    round_close(actor=innovator, round=survey_round)
    with pytest.raises(SurveyError) as error:
        resolve_token(survey_round.link_token)
    assert error.value.message == "The survey is closed; answers can no longer be given."
    with pytest.raises(SurveyError):
        response_save(**by_link(Round.objects.get(pk=survey_round.pk)), data={"l1": "3"}, submit=True)
    assert Response.objects.count() == 0
    round_reopen(actor=innovator, round=survey_round)
    assert resolve_token(survey_round.link_token).round == survey_round


def test_when_the_close_date_has_passed_then_reopening_is_refused(innovator, home_municipality, version):
    past = make_round(
        actor=innovator,
        organisation=home_municipality,
        version=version,
        opens_on=datetime.date(2026, 10, 1),
        closes_on=datetime.date(2026, 10, 31),
    )
    Round.objects.filter(pk=past.pk).update(closed_early=True)
    with pytest.raises(SurveyError, match="can no longer be reopened"):
        round_reopen(actor=innovator, round=past)


def test_when_an_outsider_closes_a_round_then_it_is_refused(survey_round, outsider):
    with pytest.raises(PermissionDenied):
        round_close(actor=outsider, round=survey_round)
    assert Round.objects.get(pk=survey_round.pk).closed_early is False


def test_when_impossible_values_are_given_then_every_error_is_named_and_nothing_is_stored(survey_round):
    with pytest.raises(SurveyError) as error:
        response_save(
            **by_link(survey_round),
            data={"l1": "7", "one": "z", "many": ["x", "q"], "num": "101", "free": "x" * 5001, "nope": "1"},
            submit=True,
        )
    assert error.value.errors == {
        "l1": "Choose a point from 1 to 5.",
        "one": "Choose one of the options.",
        "many": "Choose among the options.",
        "num": "The number can be at most 100.",
        "free": "Write at most 5000 characters.",
        "nope": "There is no such question in this survey.",
    }
    assert Response.objects.count() == 0
    assert Answer.objects.count() == 0


def test_when_a_required_item_is_missing_then_submitting_is_refused_but_saving_a_draft_is_not(survey_round):
    with pytest.raises(SurveyError) as error:
        response_save(**by_link(survey_round), data={"l2": "3"}, submit=True)
    assert error.value.errors == {"l1": "Answer this question."}
    result = response_save(**by_link(survey_round), data={"l2": "3"}, submit=False)
    assert result.resume_secret
    assert Response.objects.get().submitted is False


def test_when_a_draft_is_resumed_and_submitted_then_the_secret_is_dropped_and_the_unit_kept(survey_round):
    unit = Unit.objects.get(round=survey_round, name="Skole")
    saved = response_save(
        access=resolve_token(invite(survey_round, unit)), data={"l2": "dk", "num": "12,5"}, submit=False
    )
    draft = Response.objects.get()
    assert draft.resume_hash == hash_secret(saved.resume_secret)
    access = resolve_resume(saved.resume_secret)
    assert access.draft == draft
    response_save(access=access, data={"l1": "5", "l2": "4", "many": ["x", "y"], "free": "Bra"}, submit=True)
    response = Response.objects.get()
    assert (response.submitted, response.resume_hash, response.unit) == (True, None, unit)
    answers = {a.item.key: a for a in Answer.objects.filter(response=response).select_related("item")}
    assert sorted(answers) == ["free", "l1", "l2", "many"]
    assert (answers["l1"].value, answers["l2"].value, answers["many"].choices) == (5.0, 4.0, ["x", "y"])
    with pytest.raises(SurveyError, match="already been submitted"):
        resolve_resume(saved.resume_secret)


@pytest.mark.parametrize("channel", ["link", "invitation"])
def test_when_a_respondent_names_a_unit_then_it_is_refused_at_the_unit(survey_round, channel):
    unit = survey_round.units.get(name="Helse")
    access = by_link(survey_round) if channel == "link" else {"access": resolve_token(invite(survey_round))}
    with pytest.raises(SurveyError) as error:
        response_save(**access, data={"l1": "3"}, unit_id=unit.pk, submit=True)
    assert error.value.field == "unit"
    assert error.value.message.startswith("The unit cannot be chosen")
    assert Response.objects.count() == 0


def test_when_responses_come_in_then_progress_counts_submitted_ones_against_invitations(
    survey_round, innovator, django_capture_on_commit_callbacks
):
    unit = survey_round.units.get(name="Helse")
    with django_capture_on_commit_callbacks(execute=True):
        round_invite(actor=innovator, round=survey_round, unit=unit, emails=[f"p{i}@x.no" for i in range(4)])
    token = mail.outbox[0].body.split("/undersokelser/svar/")[1].split("/")[0]
    response_save(access=resolve_token(token), data={"l1": "3"}, submit=True)
    response_save(**by_link(survey_round), data={"l1": "3"}, submit=False)
    progress = round_progress(survey_round)
    assert (progress.responses, progress.invited, progress.rate, progress.by_link) == (1, 4, 0.25, 0)
    assert [(u.name, u.invited, u.answered) for u in progress.units] == [("Helse", 4, 1), ("Skole", 0, 0)]


def test_when_a_round_has_closed_then_its_drafts_are_discarded_and_submitted_answers_kept(survey_round, innovator):
    from io import StringIO

    from django.core.management import call_command

    response_save(**by_link(survey_round), data={"l1": "3"}, submit=False)
    submit(survey_round, {"l1": "4"})
    out = StringIO()
    call_command("discard_survey_drafts", stdout=out)
    assert out.getvalue().strip() == "Drafts deleted: 0. Address lists erased: 0. Mail tasks pruned: 0."
    round_close(actor=innovator, round=survey_round)
    call_command("discard_survey_drafts", stdout=out)
    assert out.getvalue().splitlines()[-1].startswith("Drafts deleted: 1.")
    assert list(Response.objects.values_list("submitted", flat=True)) == [True]
