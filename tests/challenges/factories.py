"""Challenges for tests, made through the services so every rule applies."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from nyskap.accounts.models import User
from nyskap.challenges import services
from nyskap.challenges.models import Challenge, Procedure
from nyskap.organisations.models import Organisation


def make_challenge(
    *, actor: User, owner: Organisation, title: str = "Rensing av tunnelbasseng", **fields: Any
) -> Challenge:
    values = {
        "title": title,
        "need": "Tunnelbassengene må renses uten å stenge tunnelen lenge.",
        "effect": "Kortere stenging og mindre utslipp.",
        "target_users": "Driftsavdelingen.",
        "sector": "infrastructure",
        "topics": "vann, tunnel",
        "budget_min": 100_000,
        "budget_max": 500_000,
        "procedure": Procedure.INNOVATION_PARTNERSHIP,
        "opens_at": timezone.now() - datetime.timedelta(days=1),
        "proposal_deadline": timezone.now() + datetime.timedelta(days=30),
    }
    values.update(fields)
    return services.challenge_create(actor=actor, owners=[owner], fields=values)


def open_for_proposals(challenge: Challenge, actor: User) -> Challenge:
    return services.open_proposals(actor=actor, challenge=challenge)


def award(challenge: Challenge, actor: User, *, suppliers: str, **fields: Any) -> None:
    """Take an open challenge through evaluation to its awarded outcome (decided 1 January 2026 unless told)."""
    services.start_evaluation(actor=actor, challenge=challenge)
    values: dict[str, Any] = {"procedure": "market_dialogue", "decided_on": datetime.date(2026, 1, 1)}
    values.update(fields)
    services.award(actor=actor, challenge=challenge, suppliers=suppliers, **values)


def make_awarded(*, actor: User, owner: Organisation, title: str, suppliers: str) -> Challenge:
    """A challenge opened for proposals and awarded to ``suppliers`` through market dialogue."""
    challenge = open_for_proposals(make_challenge(actor=actor, owner=owner, title=title), actor)
    award(challenge, actor, suppliers=suppliers)
    return challenge
