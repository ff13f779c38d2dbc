"""Helpers for barometer tests: a frame as CSV, a round with its frame, answers through the survey engine."""

from __future__ import annotations

import datetime
import io

from nyskap.barometer import services
from nyskap.barometer.models import Round

HEADER = "name,sector,org_type,size_band,county,centrality,email,language"


def frame_csv(rows: list[tuple[str, ...]]) -> io.BytesIO:
    """Rows of the eight columns of HEADER, or nine with the organisation (its slug) last."""
    header = HEADER + ",organisation" if any(len(row) > 8 for row in rows) else HEADER
    lines = [header] + [",".join(row) for row in rows]
    return io.BytesIO(("\n".join(lines) + "\n").encode())


def workplaces(count: int, sector: str = "health_care", county: str = "Vestland", domain: str = "oygarden.kommune.no"):
    return [
        (
            f"{sector} {i}",
            sector,
            "municipality",
            "10-49",
            county,
            "3",
            f"leder{i}.{sector}@{domain}",
            "nn" if i % 2 else "nb",
        )
        for i in range(count)
    ]


def barometer_round(actor, owner, strata=("sector",), min_cell=5, kind="operative") -> Round:
    return services.round_create(
        actor=actor,
        owner=owner,
        data=services.RoundInput(
            title="Barometer 2026",
            kind=kind,
            period_start=datetime.date(2024, 11, 1),
            period_end=datetime.date(2026, 10, 31),
            strata=list(strata),
            min_cell=min_cell,
        ),
    )


def fielded_round(actor, owner, rows, strata=("sector",), min_cell=5):
    """A round with ``rows`` as its frame, everybody sampled, in fieldwork (no mail sent: the tests answer through
    invitations made directly to each engine unit)."""
    from nyskap.surveys.models import EmailDomain

    EmailDomain.objects.get_or_create(organisation=owner, domain="oygarden.kommune.no")
    services.load_questionnaires()
    round = barometer_round(actor, owner, strata=strata, min_cell=min_cell)
    services.frame_upload(actor=actor, round=round, upload=frame_csv(rows), filename="frame.csv")
    services.sample_draw(actor=actor, round=round, size=None, seed=1)
    from django.utils import timezone

    services.fieldwork_start(actor=actor, round=round, closes_on=timezone.localdate() + datetime.timedelta(days=30))
    round.refresh_from_db()
    return round


def answer(round: Round, cell: str, answers: dict) -> None:
    """One manager's submitted answers through an invitation to the engine unit ``cell``."""
    from tests.surveys.factories import submit

    unit = round.survey_round.units.get(name=cell)
    submit(round.survey_round, answers, unit)


def innovating(types=("service",), novelty="inspired_adapted") -> dict:
    answers = {f"b1_{t}": "yes" if t in types else "no" for t in ("product", "service", "process_org", "communication")}
    return answers | {"b2_types": list(types), "b3_novelty": novelty, "b9_evaluation": "internal", "b10_shared": "yes"}


def not_innovating() -> dict:
    return {f"b1_{t}": "no" for t in ("product", "service", "process_org", "communication")}
