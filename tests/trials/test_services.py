"""The trial's services: one per status transition, each with its rule and its refusals; amendments; results
entry (nothing half-saved); the overdue trials and their reminders."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from nyskap.trials import rules, selectors, services
from nyskap.trials.models import (
    Amendment,
    ApprovalStep,
    Registration,
    Result,
    StatusChange,
    Trial,
    TrialDecision,
    TrialKind,
    TrialStatus,
)
from nyskap.trials.services import TrialError
from nyskap.trials.tasks import send_overdue_reminders

from .factories import PLAN, approve_under_the_act, make_trial, run_to_end

pytestmark = pytest.mark.django_db


def fields_of(error: TrialError) -> list[str]:
    return [field for field, _message in error.problems]


def test_a_new_trial_is_planned_owned_and_authored(innovator, home_municipality):
    trial = make_trial(actor=innovator, owner=home_municipality)
    assert trial.status == TrialStatus.PLANNED
    assert trial.slug == "sms-paminnelse"
    assert list(trial.owners.all()) == [home_municipality]
    assert list(trial.authors.all()) == [innovator]


def test_only_an_editor_of_the_owner_may_create(outsider, home_municipality):
    with pytest.raises(PermissionDenied):
        make_trial(actor=outsider, owner=home_municipality)
    assert Trial.objects.count() == 0


def test_a_trial_needs_an_owner(innovator):
    with pytest.raises(TrialError) as refused:
        services.trial_create(actor=innovator, owners=[], fields={"title": "X", "kind": TrialKind.PILOT})
    assert fields_of(refused.value) == ["owners"]


def test_a_trial_cannot_end_before_it_starts(innovator, home_municipality):
    with pytest.raises(TrialError) as refused:
        make_trial(
            actor=innovator,
            owner=home_municipality,
            starts_on=datetime.date(2025, 1, 1),
            ends_on=datetime.date(2024, 1, 1),
        )
    assert refused.value.problems == [("ends_on", "Forsøket kan ikke slutte før det begynner.")]
    assert Trial.objects.count() == 0


def test_a_trial_under_the_act_may_last_four_years_and_not_a_day_more(innovator, home_municipality):
    start = datetime.date(2025, 1, 1)
    make_trial(
        actor=innovator,
        owner=home_municipality,
        kind=TrialKind.FORSOKSLOVEN,
        starts_on=start,
        ends_on=datetime.date(2029, 1, 1),
    )
    with pytest.raises(TrialError) as refused:
        make_trial(
            actor=innovator,
            owner=home_municipality,
            kind=TrialKind.FORSOKSLOVEN,
            starts_on=start,
            ends_on=datetime.date(2029, 1, 2),
        )
    assert fields_of(refused.value) == ["ends_on"]
    # A pilot has no such limit.
    make_trial(actor=innovator, owner=home_municipality, starts_on=start, ends_on=datetime.date(2035, 1, 1))
    assert Trial.objects.count() == 2


def test_one_extension_of_at_most_two_years_unless_until_a_reform(innovator, home_municipality):
    act = {
        "kind": TrialKind.FORSOKSLOVEN,
        "starts_on": datetime.date(2025, 1, 1),
        "ends_on": datetime.date(2028, 12, 31),
    }
    with pytest.raises(TrialError) as refused:
        make_trial(actor=innovator, owner=home_municipality, extended_to=datetime.date(2031, 1, 1), **act)
    assert fields_of(refused.value) == ["extended_to"]
    trial = make_trial(
        actor=innovator,
        owner=home_municipality,
        extended_to=datetime.date(2032, 1, 1),
        extension_reform="Ny barnevernlov",
        **act,
    )
    assert trial.extended_to == datetime.date(2032, 1, 1)


def test_preregistration_freezes_the_plan_with_its_fingerprint(innovator, home_municipality):
    trial = make_trial(actor=innovator, owner=home_municipality)
    registration = services.preregister(actor=innovator, trial=trial)
    trial.refresh_from_db()
    assert trial.status == TrialStatus.PREREGISTERED
    expected_plan = {**PLAN, "secondary_outcomes": ["Tid brukt på ombooking", "Tilfredshet"]}
    assert registration.plan == expected_plan
    assert registration.fingerprint == rules.plan_fingerprint(expected_plan)
    assert len(registration.fingerprint) == 64
    assert registration.registered_by == innovator
    assert list(StatusChange.objects.values_list("status", "by")) == [(TrialStatus.PREREGISTERED, innovator.pk)]


def test_preregistration_needs_a_hypothesis_and_an_outcome(innovator, home_municipality):
    trial = make_trial(actor=innovator, owner=home_municipality, hypothesis="", primary_outcome="")
    with pytest.raises(TrialError) as refused:
        services.preregister(actor=innovator, trial=trial)
    assert fields_of(refused.value) == ["hypothesis", "primary_outcome"]
    assert Registration.objects.count() == 0
    trial.refresh_from_db()
    assert trial.status == TrialStatus.PLANNED


def test_an_amendment_after_registration_needs_a_reason_and_keeps_the_diff(innovator, home_municipality):
    trial = make_trial(actor=innovator, owner=home_municipality)
    services.preregister(actor=innovator, trial=trial)
    with pytest.raises(TrialError) as refused:
        services.trial_update(actor=innovator, trial=trial, fields={"planned_sample_size": 1000})
    assert fields_of(refused.value) == ["amendment_reason"]
    assert Amendment.objects.count() == 0
    assert Trial.objects.get(pk=trial.pk).planned_sample_size == 800
    services.trial_update(
        actor=innovator, trial=trial, fields={"planned_sample_size": 1000}, amendment_reason="Færre frafall enn ventet."
    )
    amendment = Amendment.objects.get()
    assert (amendment.number, amendment.fields) == (1, ["planned_sample_size"])
    assert (amendment.before["planned_sample_size"], amendment.after["planned_sample_size"]) == (800, 1000)
    assert amendment.fingerprint == rules.plan_fingerprint(amendment.after)
    assert amendment.fingerprint != Registration.objects.get().fingerprint
    # A change outside the plan is no amendment.
    services.trial_update(actor=innovator, trial=trial, fields={"title": "SMS-påminnelse i Øygarden"})
    assert Amendment.objects.count() == 1
    assert [view.changes for view in selectors.amendments(trial)] == [[("Planlagt utvalgsstørrelse", 800, 1000)]]


def test_approval_under_the_act_is_refused_while_a_step_or_answer_is_missing(innovator, home_municipality):
    trial = make_trial(actor=innovator, owner=home_municipality, kind=TrialKind.FORSOKSLOVEN)
    services.preregister(actor=innovator, trial=trial)
    approve_under_the_act(trial, innovator)
    ApprovalStep.objects.filter(step="ministry_approval").delete()
    trial.checklist_answers.filter(item="restricts_rights").delete()
    with pytest.raises(TrialError) as refused:
        services.approve(actor=innovator, trial=trial)
    assert fields_of(refused.value) == [
        "steps.ministry_approval",
        "checklist.restricts_rights",
        "checklist.restricts_rights",
    ]
    trial.refresh_from_db()
    assert trial.status == TrialStatus.PREREGISTERED
    approve_under_the_act(trial, innovator)
    assert services.approve(actor=innovator, trial=trial).status == TrialStatus.APPROVED


def test_a_yes_to_a_limit_refuses_approval(innovator, home_municipality):
    trial = make_trial(actor=innovator, owner=home_municipality, kind=TrialKind.FORSOKSLOVEN)
    services.preregister(actor=innovator, trial=trial)
    approve_under_the_act(trial, innovator)
    services.checklist_answer_set(
        actor=innovator, trial=trial, item="restricts_rights", answer=True, reason="Plikt til å møte."
    )
    with pytest.raises(TrialError) as refused:
        services.approve(actor=innovator, trial=trial)
    assert refused.value.problems == [
        ("checklist.restricts_rights", "Forsøksloven tillater ikke et forsøk som gjør dette.")
    ]


def test_transitions_go_in_order(innovator, home_municipality):
    trial = make_trial(actor=innovator, owner=home_municipality)
    with pytest.raises(TrialError):
        services.start(actor=innovator, trial=trial)
    with pytest.raises(TrialError):
        services.approve(actor=innovator, trial=trial)
    trial = run_to_end(trial, innovator)
    assert trial.status == TrialStatus.ENDED
    assert list(StatusChange.objects.values_list("status", flat=True)) == [
        TrialStatus.PREREGISTERED,
        TrialStatus.APPROVED,
        TrialStatus.RUNNING,
        TrialStatus.ENDED,
    ]


def test_a_trial_cannot_start_without_an_evaluation_plan(innovator, home_municipality):
    trial = make_trial(actor=innovator, owner=home_municipality, analysis_plan="")
    services.mark_not_preregistered(actor=innovator, trial=trial)
    services.approve(actor=innovator, trial=trial)
    with pytest.raises(TrialError) as refused:
        services.start(actor=innovator, trial=trial)
    assert refused.value.problems == [("analysis_plan", "Skriv evalueringsplanen før forsøket starter.")]
    assert Trial.objects.get(pk=trial.pk).status == TrialStatus.APPROVED
    services.trial_update(actor=innovator, trial=trial, fields={"analysis_plan": "Før og etter."})
    assert services.start(actor=innovator, trial=trial).status == TrialStatus.RUNNING


def test_an_outsider_cannot_move_a_trial(innovator, outsider, home_municipality):
    trial = make_trial(actor=innovator, owner=home_municipality)
    with pytest.raises(PermissionDenied):
        services.preregister(actor=outsider, trial=trial)
    assert Trial.objects.get(pk=trial.pk).status == TrialStatus.PLANNED


def test_results_before_registration_are_refused_unless_labelled(innovator, home_municipality):
    trial = make_trial(actor=innovator, owner=home_municipality)
    with pytest.raises(TrialError) as refused:
        services.report_results(actor=innovator, trial=trial, summary="Færre uteblitte.")
    assert fields_of(refused.value) == ["status"]
    assert Trial.objects.get(pk=trial.pk).result_summary == ""
    services.mark_not_preregistered(actor=innovator, trial=trial)
    services.approve(actor=innovator, trial=trial)
    services.start(actor=innovator, trial=trial)
    services.end(actor=innovator, trial=trial)
    trial = services.report_results(actor=innovator, trial=trial, summary="Færre uteblitte.")
    assert (trial.status, trial.not_preregistered) == (TrialStatus.RESULTS_REPORTED, True)
    with pytest.raises(TrialError):
        services.preregister(actor=innovator, trial=trial)


def test_counts_give_the_effect_and_the_decision_needs_reason_and_lessons(innovator, home_municipality):
    trial = run_to_end(make_trial(actor=innovator, owner=home_municipality), innovator)
    result = services.result_add_counts(
        actor=innovator, trial=trial, outcome="Møtte", arms=[("SMS", 120, 400), ("Ingen SMS", 90, 410)]
    )
    effect = services.effect_of(result)
    assert effect.difference.estimate == pytest.approx(120 / 400 - 90 / 410)
    assert effect.difference.low < effect.difference.estimate < effect.difference.high
    services.report_results(actor=innovator, trial=trial)
    with pytest.raises(TrialError) as refused:
        services.decide(actor=innovator, trial=trial, decision="", reason="", lessons="")
    assert fields_of(refused.value) == ["decision", "decision_reason", "lessons"]
    assert Trial.objects.get(pk=trial.pk).status == TrialStatus.RESULTS_REPORTED
    trial = services.decide(
        actor=innovator, trial=trial, decision=TrialDecision.PERMANENT, reason="Virket.", lessons="Send tidlig."
    )
    assert (trial.status, trial.decision) == (TrialStatus.DECIDED, TrialDecision.PERMANENT)


def test_counts_that_cannot_be_are_refused(innovator, home_municipality):
    trial = run_to_end(make_trial(actor=innovator, owner=home_municipality), innovator)
    with pytest.raises(TrialError) as refused:
        services.result_add_counts(actor=innovator, trial=trial, outcome="Møtte", arms=[("A", 5, 4), ("B", 1, 4)])
    assert refused.value.problems == [
        ("arms_0_events", "Antallet hendelser kan ikke være større enn antallet enheter.")
    ]
    assert Result.objects.count() == 0


def upload(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8"))


def test_unit_rows_give_the_effect(innovator, home_municipality):
    trial = run_to_end(make_trial(actor=innovator, owner=home_municipality), innovator)
    rows = "arm;outcome\n" + "SMS;1\n" * 30 + "SMS;0\n" * 10 + "Ingen;1\n" * 20 + "Ingen;0\n" * 20
    result = services.result_add_units(
        actor=innovator, trial=trial, outcome="Møtte", outcome_type="binary", upload=upload(rows), filename="r.csv"
    )
    effect = services.effect_of(result)
    assert effect.difference.estimate == pytest.approx(30 / 40 - 20 / 40)
    assert effect.units == 80


def test_a_missing_column_is_named_and_nothing_is_saved(innovator, home_municipality):
    trial = run_to_end(make_trial(actor=innovator, owner=home_municipality), innovator)
    with pytest.raises(TrialError) as refused:
        services.result_add_units(
            actor=innovator,
            trial=trial,
            outcome="Møtte",
            outcome_type="binary",
            upload=upload("arm;x\nA;1\n"),
            filename="r.csv",
        )
    assert refused.value.problems == [("file", "Rad 1: kolonnen «outcome» mangler.")]
    assert Result.objects.count() == 0


def test_a_non_numeric_outcome_names_row_and_column_and_nothing_is_saved(innovator, home_municipality):
    trial = run_to_end(make_trial(actor=innovator, owner=home_municipality), innovator)
    rows = "arm;outcome\nA;1\nA;ja\nB;0\nB;2\n"
    with pytest.raises(TrialError) as refused:
        services.result_add_units(
            actor=innovator, trial=trial, outcome="Møtte", outcome_type="binary", upload=upload(rows), filename="r.csv"
        )
    assert refused.value.problems == [
        ("file", "Rad 3, kolonne «outcome»: skriv et tall."),
        ("file", "Rad 5, kolonne «outcome»: et ja/nei-utfall er 0 eller 1."),
    ]
    assert Result.objects.count() == 0


def test_overdue_trials_and_their_reminders_in_the_recipients_language(
    innovator, leader, home_municipality, django_capture_on_commit_callbacks
):
    innovator.language = "en"
    innovator.save()
    today = timezone.localdate()
    past = make_trial(
        actor=innovator,
        owner=home_municipality,
        title="Forbi slutt",
        starts_on=today - datetime.timedelta(days=400),
        ends_on=today - datetime.timedelta(days=1),
    )
    run_to_end(past, innovator)
    make_trial(actor=innovator, owner=home_municipality, title="Planlagt", ends_on=today + datetime.timedelta(days=9))
    assert [t.title for t in selectors.overdue(today)] == ["Forbi slutt"]
    with django_capture_on_commit_callbacks(execute=True):
        assert send_overdue_reminders.call() == 2
    subjects = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert subjects == [
        ("innovator@oygarden.kommune.no", "Nyskap: the trial “Forbi slutt” is overdue"),
        ("leder@oygarden.kommune.no", "Nyskap: forsøket «Forbi slutt» er forsinket"),
    ]
    # Once a month at most.
    with django_capture_on_commit_callbacks(execute=True):
        assert send_overdue_reminders.call() == 0
    assert len(mail.outbox) == 2


def test_an_excel_upload_is_read_like_a_csv_and_a_bad_cell_is_named(innovator, home_municipality):
    from openpyxl import Workbook

    trial = run_to_end(make_trial(actor=innovator, owner=home_municipality), innovator)
    workbook = Workbook()
    sheet = workbook.active
    for row in (["arm", "outcome", "cluster"], ["SMS", 3.5, "A"], ["SMS", 4, "B"], ["Ingen", "mye", "C"]):
        sheet.append(row)
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    with pytest.raises(TrialError) as refused:
        services.result_add_units(
            actor=innovator, trial=trial, outcome="Tid", outcome_type="continuous", upload=data, filename="r.xlsx"
        )
    assert refused.value.problems == [("file", "Rad 4, kolonne «outcome»: skriv et tall.")]
    assert Result.objects.count() == 0
