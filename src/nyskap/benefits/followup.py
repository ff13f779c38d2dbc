"""Reads for following up benefits: the readings and status of a benefit, and the benefits whose measurement is due
(for the reminders). Writes stay in `services`."""

from __future__ import annotations

import datetime

from django.db.models import Max
from django.utils import timezone

from . import calculations
from .models import Benefit, PlanStatus


def readings(benefit: Benefit) -> list[calculations.Reading]:
    return [calculations.Reading(m.measured_on, m.value) for m in benefit.measurements.all()]


def status_of(
    benefit: Benefit, *, today: datetime.date | None = None, extra: list[calculations.Reading] | None = None
) -> calculations.Status:
    return calculations.benefit_status(
        baseline=benefit.baseline_value,
        baseline_date=benefit.baseline_date,
        target=benefit.target_value,
        target_date=benefit.target_date,
        readings=readings(benefit) + (extra or []),
        abandoned=bool(benefit.abandoned_reason),
        today=today or timezone.localdate(),
    )


def due_benefits(today: datetime.date) -> list[tuple[Benefit, datetime.date]]:
    """Benefits of current, submitted plans whose next measurement is due by ``today`` and whose owner has not been
    reminded since it fell due. Independent of the project's phase: follow-up continues after implementation."""
    candidates = (
        Benefit.objects.filter(
            plan__is_current=True,
            plan__status=PlanStatus.SUBMITTED,
            owner__isnull=False,
            owner__is_active=True,
            abandoned_reason="",
        )
        .select_related("plan__project", "owner")
        .annotate(last_measured=Max("measurements__measured_on"))
        .order_by("pk")
    )
    due: list[tuple[Benefit, datetime.date]] = []
    for benefit in candidates.iterator(chunk_size=500):
        start = benefit.baseline_date or timezone.localdate(benefit.plan.submitted_at)
        when = calculations.next_measurement_due(
            frequency_months=benefit.measurement_frequency,
            last_measured=benefit.last_measured,  # type: ignore[attr-defined]
            start=start,
        )
        if when > today or (benefit.last_reminded_on is not None and benefit.last_reminded_on >= when):
            continue
        measured = benefit.last_measured is not None  # type: ignore[attr-defined]
        if measured and status_of(benefit, today=today) == calculations.Status.REALISED:
            continue
        due.append((benefit, when))
    return due
