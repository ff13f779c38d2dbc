"""A synthetic barometer round, clearly labelled as synthetic: a frame of made-up workplaces, a stratified sample,
fieldwork through the survey engine and made-up answers from about two thirds of the sample, then closed and
published, so every barometer page has something to show. The answers are drawn with a fixed seed."""

from __future__ import annotations

import datetime
import io
import random
from typing import Any

from django.utils import timezone

from nyskap.organisations.models import Organisation
from nyskap.surveys import services as survey_services
from nyskap.surveys.selectors import Access

from . import services
from .models import Round

SECTORS = {"health_care": 0.78, "education": 0.74, "social": 0.66, "culture": 0.6, "technical": 0.7}
# Centrality follows the county here, so the sample spans 5 × 4 × 3 = 60 combinations (the engine allows 100 units).
COUNTIES = {"Vestland": "3", "Nordland": "5", "Oslo": "1", "Agder": "4"}
SIZES = ["1-9", "10-49", "50-249"]
DOMAIN = "demo.nyskap.no"
TITLE = "Syntetisk demonstrasjonsrunde (ikke ekte svar)"


def frame_csv(workplaces: int, rng: random.Random, organisation: str = "") -> io.BytesIO:
    """Made-up workplaces; those in Vestland belong to ``organisation`` (a slug) when given, so its members have
    their own workplaces' figures to see."""
    lines = ["name,sector,org_type,size_band,county,centrality,email,language,organisation"]
    for i in range(workplaces):
        sector = rng.choice(list(SECTORS))
        language = "nn" if rng.random() < 0.15 else "nb"
        county = rng.choice(list(COUNTIES))
        own = organisation if county == "Vestland" else ""
        lines.append(
            f"Arbeidsplass {i + 1},{sector},municipality,{rng.choice(SIZES)},{county},"
            f"{COUNTIES[county]},leder{i + 1}@{DOMAIN},{language},{own}"
        )
    return io.BytesIO(("\n".join(lines) + "\n").encode())


def answers(rng: random.Random, innovation_rate: float) -> dict[str, Any]:
    types = ["product", "service", "process_org", "communication"]
    innovated = rng.random() < innovation_rate
    chosen = [t for t in types if rng.random() < 0.45] or [rng.choice(types)] if innovated else []
    data: dict[str, Any] = {f"b1_{t}": "yes" if t in chosen else "no" for t in types}
    factors = [
        "responsible_operations",
        "handling_mistakes",
        "internal_collaboration",
        "new_technology",
        "limited_resources",
        "employee_participation",
        "citizen_participation",
        "political_decisions",
    ]
    for factor in factors:
        data[f"b7_{factor}"] = str(rng.randint(1, 6)) if rng.random() < 0.9 else "dk"
    for key in ("risk", "openness", "ideas", "recognition", "collaboration"):
        data[f"b11_{key}"] = str(rng.randint(2, 5))
    if not innovated:
        data["b1_innovation_work"] = rng.choice(["yes", "no"])
        if data["b1_innovation_work"] == "yes":
            data["b12_work_types"] = [rng.choice(types)]
        return data
    data["b2_types"] = chosen
    data["b3_novelty"] = rng.choices(["first", "inspired_adapted", "copied", "dont_know"], [19, 49, 32, 5])[0]
    data["b4_initiators"] = rng.sample(
        ["employees", "management", "politicians", "users_citizens", "new_technology"], 2
    )
    data["b5_partners"] = rng.sample(["municipal", "state", "education_research", "citizens", "private"], 2)
    data["b6_financing"] = [rng.choices(["own_budget", "special_allocation", "public_support"], [60, 20, 20])[0]]
    data["b8_values"] = rng.sample(["quality", "efficiency", "avoided_costs", "employee_satisfaction"], 2)
    data["b9_evaluation"] = rng.choice(["external", "internal", "internal", "in_progress", "planned", "no"])
    data["b10_shared"] = rng.choice(["yes", "yes", "no"])
    return data


def build(
    *,
    actor: Any,
    owner: Organisation,
    workplaces: int = 400,
    sample: int = 240,
    seed: int = 2026,
    response_rate: float = 0.65,
    publish: bool = True,
    title: str = TITLE,
    until: str = "published",
    period: tuple[datetime.date, datetime.date] = (datetime.date(2024, 9, 1), datetime.date(2026, 8, 31)),
) -> Round:
    """A synthetic round carried as far as ``until``: "draft" (frame only), "fieldwork", "closed" or "published"."""
    rng = random.Random(seed)  # noqa: S311 - synthetic answers, reproducible on purpose
    survey_services.email_domain_allow(organisation=owner, domain=DOMAIN)
    services.load_questionnaires()
    round = services.round_create(
        actor=actor,
        owner=owner,
        data=services.RoundInput(
            title=title,
            kind="operative",
            period_start=period[0],
            period_end=period[1],
            strata=["sector"],
            synthetic=True,
        ),
    )
    frame = frame_csv(workplaces, rng, owner.slug)
    services.frame_upload(actor=actor, round=round, upload=frame, filename="ramme.csv")
    if until == "draft":
        return round
    services.sample_draw(actor=actor, round=round, size=sample, seed=seed)
    services.fieldwork_start(actor=actor, round=round, closes_on=timezone.localdate() + datetime.timedelta(days=30))
    round.refresh_from_db()
    if until == "fieldwork":
        return round
    survey_round = round.survey_round
    assert survey_round is not None
    for invitation in survey_round.invitations.select_related("unit").order_by("pk"):
        if rng.random() >= response_rate:
            continue
        sector = invitation.unit.name.split(" | ")[0] if invitation.unit else "health_care"
        survey_services.response_save(
            access=Access(round=survey_round, invitation=invitation),
            data=answers(rng, SECTORS.get(sector, 0.7)),
            submit=True,
        )
    services.round_close(actor=actor, round=round)
    if publish and until == "published":
        services.round_publish(actor=actor, round=round)
    round.refresh_from_db()
    return round
