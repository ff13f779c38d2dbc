"""Writes on plans: access, validation with the field named, submission, versions, measurements, reminders."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied

from nyskap.benefits import calculations, followup, selectors, services
from nyskap.benefits.cleaning import BenefitError, PlanIncomplete
from nyskap.benefits.models import Benefit, BenefitAmount, BenefitPlan, Cost, CostKind, Measurement, PlanStatus
from nyskap.benefits.tasks import send_measurement_reminders
from nyskap.projects.models import Phase
from nyskap.projects.services import project_change_phase

from .factories import make_benefit, make_plan

pytestmark = pytest.mark.django_db


def test_when_an_editor_writes_a_plan_then_it_uses_the_parameter_version_in_force(project, innovator):
    plan = make_plan(project=project, actor=innovator)
    assert (plan.version, plan.is_current, plan.status) == (1, True, PlanStatus.DRAFT)
    assert plan.parameters.version == "R-109/21"
    assert plan.parameters.as_parameters().discount_bands == (
        (40, Decimal("0.04")),
        (75, Decimal("0.03")),
        (None, Decimal("0.02")),
    )
    assert plan.parameters.tax_financing_rate == Decimal("0.2") and plan.parameters.is_uncertain("tax_financing_rate")


def test_when_an_outsider_or_a_member_writes_a_plan_then_they_are_refused(project, outsider, colleague):
    for user in (outsider, colleague):
        with pytest.raises(PermissionDenied):
            make_plan(project=project, actor=user)
    assert BenefitPlan.objects.count() == 0


def test_when_the_project_has_a_plan_then_a_second_is_refused(plan, project, innovator):
    with pytest.raises(BenefitError) as error:
        make_plan(project=project, actor=innovator)
    assert error.value.message == "The project already has a benefit-realisation plan."


def test_when_the_plan_is_computed_then_the_hand_worked_npv_comes_out(plan):
    result = calculations.net_present_value(selectors.plan_flows(plan), plan.parameters.as_parameters())
    assert abs(result.npv - Decimal("-68343.195266")) < Decimal("0.000001")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"baseline_value": None}, "baseline_value", "A target needs a baseline to be measured against."),
        (
            {"target_date": datetime.date(2023, 12, 31)},
            "target_date",
            "The target date must be after the baseline date.",
        ),
        (
            {"bearer": "citizens"},
            "realisation_form",
            "Only benefits in public bodies can be realised as budget cuts.",
        ),
        ({"description": "  "}, "description", "Describe the benefit."),
    ],
)
def test_when_a_benefit_is_wrong_then_the_error_names_the_field(plan, innovator, fields, field, message):
    with pytest.raises(BenefitError) as error:
        make_benefit(plan=plan, actor=innovator, **fields)
    assert (error.value.field, error.value.message) == (field, message)
    assert plan.benefits.count() == 1


def test_when_the_owner_is_outside_the_project_organisations_then_it_is_refused(plan, innovator, outsider):
    with pytest.raises(BenefitError) as error:
        make_benefit(plan=plan, actor=innovator, owner=outsider)
    assert error.value.field == "owner"


def test_when_costs_are_negative_or_outside_the_period_then_nothing_is_saved(plan, innovator):
    with pytest.raises(BenefitError) as negative:
        services.costs_set(plan=plan, actor=innovator, kind=CostKind.INVESTMENT, amounts={2024: Decimal(-5)})
    assert (negative.value.field, negative.value.message) == ("investment", "Costs cannot be negative.")
    with pytest.raises(BenefitError) as outside:
        services.costs_set(plan=plan, actor=innovator, kind=CostKind.INVESTMENT, amounts={2030: Decimal(5)})
    assert outside.value.message == "The year 2030 is outside the analysis period 2024–2026."
    assert list(Cost.objects.filter(plan=plan, kind=CostKind.INVESTMENT).values_list("year", "amount")) == [
        (2024, Decimal("1000000.00"))
    ]


def test_when_a_benefit_without_owner_is_submitted_then_the_problem_names_the_benefit(plan, innovator):
    lonely = make_benefit(plan=plan, actor=innovator, description="Mindre papir")
    with pytest.raises(PlanIncomplete) as incomplete:
        services.plan_submit(plan=plan, actor=innovator)
    assert [(p.benefit_id, p.field, p.message) for p in incomplete.value.problems] == [
        (lonely.pk, "owner", "“Mindre papir” needs a benefit owner in the line organisation.")
    ]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.submitted_at is None


def test_when_submitted_then_the_plan_is_frozen_and_a_new_version_copies_it(plan, innovator, colleague):
    services.plan_submit(plan=plan, actor=innovator)
    with pytest.raises(BenefitError):
        make_benefit(plan=plan, actor=innovator, owner=colleague)
    benefit = plan.benefits.get()
    with time_machine.travel(datetime.datetime(2024, 7, 2, 12, tzinfo=datetime.UTC)):
        services.measurement_record(
            benefit=benefit, actor=colleague, value=160, measured_on=datetime.date(2024, 7, 1), source="Fagsystem"
        )
    new = services.plan_new_version(plan=plan, actor=innovator)
    plan.refresh_from_db()
    assert (plan.is_current, new.is_current, new.version, new.status) == (False, True, 2, PlanStatus.DRAFT)
    copy = new.benefits.get()
    assert copy.key == benefit.key and copy.pk != benefit.pk
    assert list(BenefitAmount.objects.filter(benefit=copy).values_list("year", "amount", "plan_id")) == [
        (2025, Decimal("600000.00"), new.pk),
        (2026, Decimal("600000.00"), new.pk),
    ]
    assert Cost.objects.filter(plan=new).count() == 3 and Cost.objects.filter(plan=plan).count() == 3
    assert list(Measurement.objects.values_list("benefit_id", flat=True)) == [copy.pk]
    assert BenefitPlan.objects.filter(project=plan.project).count() == 2


def test_when_the_owner_measures_then_it_is_recorded_and_others_are_refused(
    plan, innovator, colleague, outsider, leader
):
    benefit = plan.benefits.get()
    today = datetime.date(2024, 7, 2)
    measurement = services.measurement_record(
        benefit=benefit,
        actor=colleague,
        value="160",
        measured_on=datetime.date(2024, 7, 1),
        source="Fagsystem",
        today=today,
    )
    assert (measurement.value, measurement.recorded_by) == (Decimal(160), colleague)
    assert followup.status_of(benefit, today=today) == calculations.Status.ON_TRACK
    # The leader is an admin of the owning organisation: may change the plan, so may measure.
    services.measurement_record(
        benefit=benefit,
        actor=leader,
        value="170",
        measured_on=datetime.date(2024, 7, 2),
        source="Fagsystem",
        today=today,
    )
    with pytest.raises(PermissionDenied):
        services.measurement_record(
            benefit=benefit, actor=outsider, value="1", measured_on=today, source="x", today=today
        )
    assert benefit.measurements.count() == 2


def test_when_a_measurement_falls_behind_then_the_deviation_must_be_explained(plan, colleague):
    benefit = plan.benefits.get()
    kwargs = {"benefit": benefit, "actor": colleague, "value": 120, "measured_on": datetime.date(2024, 7, 1)}
    with pytest.raises(BenefitError) as error:
        services.measurement_record(source="Fagsystem", today=datetime.date(2024, 7, 2), **kwargs)
    assert (error.value.field, error.value.message) == (
        "deviation_explanation",
        "The benefit is behind its path to the target. Explain the deviation.",
    )
    services.measurement_record(
        source="Fagsystem", deviation_explanation="Sen innføring", today=datetime.date(2024, 7, 2), **kwargs
    )
    assert followup.status_of(benefit, today=datetime.date(2024, 7, 2)) == calculations.Status.BEHIND


def test_when_a_measurement_is_dated_in_the_future_or_before_the_baseline_then_it_is_refused(plan, colleague):
    benefit = plan.benefits.get()
    for day, message in (
        (datetime.date(2024, 8, 1), "The date cannot be in the future."),
        (datetime.date(2023, 12, 1), "The date cannot be before the baseline date."),
    ):
        with pytest.raises(BenefitError) as error:
            services.measurement_record(
                benefit=benefit, actor=colleague, value=1, measured_on=day, source="x", today=datetime.date(2024, 7, 2)
            )
        assert (error.value.field, error.value.message) == ("measured_on", message)


def test_when_a_benefit_is_abandoned_then_the_reason_is_kept_and_status_follows(plan, colleague, outsider):
    benefit = plan.benefits.get()
    with pytest.raises(PermissionDenied):
        services.benefit_abandon(benefit=benefit, actor=outsider, reason="x")
    services.benefit_abandon(benefit=benefit, actor=colleague, reason="Tjenesten ble lagt ned")
    benefit.refresh_from_db()
    assert benefit.abandoned_reason == "Tjenesten ble lagt ned"
    assert followup.status_of(benefit) == calculations.Status.ABANDONED


def test_when_a_measurement_is_due_then_the_owner_is_reminded_once_also_after_implementation(
    plan, innovator, colleague, django_capture_on_commit_callbacks
):
    services.plan_submit(plan=plan, actor=innovator)
    project_change_phase(project=plan.project, to_phase=Phase.IDEAS, actor=innovator)
    project_change_phase(project=plan.project, to_phase=Phase.DEVELOP_TEST, actor=innovator)
    project_change_phase(project=plan.project, to_phase=Phase.IMPLEMENTED, actor=innovator)
    # Baseline 1 January 2024, quarterly → due 1 April 2024.
    with django_capture_on_commit_callbacks(execute=True):
        assert send_measurement_reminders.call(today="2024-03-31") == 0
        assert send_measurement_reminders.call(today="2024-04-01") == 1
        assert send_measurement_reminders.call(today="2024-04-02") == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kollega@oygarden.kommune.no"]
    benefit = plan.benefits.get()
    assert f"/gevinster/prosjekt/{plan.project.slug}/gevinst/{benefit.pk}/maling/" in message.body
    assert Benefit.objects.get().last_reminded_on == datetime.date(2024, 4, 2) - datetime.timedelta(days=1)


def test_when_the_plan_changes_then_the_audit_trail_records_it(plan, innovator):
    entries = LogEntry.objects.get_for_object(plan)
    assert entries.count() == 1 and entries.get().action == LogEntry.Action.CREATE
    services.plan_update(
        plan=plan, actor=innovator, rationale="Ny begrunnelse", goals=plan.goals, base_year=2024, analysis_years=3
    )
    assert LogEntry.objects.get_for_object(plan).filter(action=LogEntry.Action.UPDATE).count() == 1


def test_when_the_period_shrinks_under_entered_years_then_it_is_refused(plan, innovator):
    with pytest.raises(BenefitError) as error:
        services.plan_update(plan=plan, actor=innovator, rationale="x", goals="y", base_year=2024, analysis_years=2)
    assert error.value.field == "analysis_years"


# Parameter versions added by operators


@pytest.mark.parametrize(
    "bands",
    [
        [],
        [[40, "0.04"]],
        [[None, "0.04"], [75, "0.03"]],
        [[75, "0.04"], [40, "0.03"], [None, "0.02"]],
        [[40, "x"], [None, "0.02"]],
        [[40, "1.5"], [None, "0.02"]],
        "0.04",
    ],
)
def test_when_an_operator_adds_a_malformed_parameter_version_then_it_is_refused_at_the_field(bands):
    from django.core.exceptions import ValidationError

    from nyskap.benefits.models import ParameterSet

    version = ParameterSet(
        version="Test",
        in_force_from=datetime.date(2030, 1, 1),
        source="Test",
        discount_bands=bands,
        tax_financing_rate=Decimal("0.2"),
        default_analysis_years=10,
        max_analysis_years=100,
    )
    with pytest.raises(ValidationError) as error:
        version.full_clean()
    assert set(error.value.message_dict) == {"discount_bands"}
    assert (
        'Give the bands as [[40, "0.04"], [75, "0.03"], [null, "0.02"]]: last years increasing, the last null.'
        in error.value.message_dict["discount_bands"]
    )


def test_when_an_operator_adds_a_sound_parameter_version_then_it_is_accepted_and_described_from_its_own_bands():
    from nyskap.benefits.models import ParameterSet
    from nyskap.benefits.templatetags.benefit_tags import discount_bands

    version = ParameterSet(
        version="Test",
        in_force_from=datetime.date(2030, 1, 1),
        source="Test",
        discount_bands=[[40, "0.025"], [None, "0.02"]],
        tax_financing_rate=Decimal("0.2"),
        default_analysis_years=10,
        max_analysis_years=100,
    )
    version.full_clean()
    assert discount_bands(version) == "2.5 % for years 1–40, 2 % after year 40"
    version.discount_bands = [[None, "0.04"]]
    assert discount_bands(version) == "4 % every year"
    version.tax_financing_rate = Decimal("1.5")
    version.default_analysis_years = 101
    with pytest.raises(Exception) as error:
        version.full_clean()
    assert set(error.value.message_dict) == {"tax_financing_rate", "default_analysis_years"}
