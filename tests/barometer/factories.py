"""Helpers for barometer tests: a frame as CSV, a round with its frame, answers through the survey engine."""

from __future__ import annotations

import datetime
import io

from nyskap.barometer import services
from nyskap.barometer.models import Round

HEADER = "name,sector,org_type,size_band,county,centrality,email,language"


def frame_csv(rows: list[tuple[str, ...]]) -> io.BytesIO:
    lines = [HEADER] + [",".join(row) for row in rows]
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
