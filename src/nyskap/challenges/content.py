"""The example challenges built from the white paper's own cases (``data/white_paper_challenges.json``), loaded by
``manage.py load_challenges``. Every challenge is labelled as an example: the white paper names the need and the
body, not the dates, amounts or contact. Owners are found by organisation number in the reference data; a case
whose owner is missing is left out with a note. Safe to re-run: challenges are keyed by their slug."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from nyskap.organisations.models import Organisation

from .models import (
    Challenge,
    ChallengeOwner,
    ChallengeStatus,
    JoinStatus,
    Outcome,
    Procedure,
    SharedNeed,
    StatusChange,
)
from .search import index_challenge
from .services import ensure_programme, update_bodies_count

DEFAULT_FILE = Path(__file__).parent / "data" / "white_paper_challenges.json"
TEXT_FIELDS = ("title", "need", "effect", "target_users", "sector", "topics", "source")
# The statuses a challenge passes through on its way to the one in the file, for a dated history.
PATH = [s.value for s in ChallengeStatus if s != ChallengeStatus.NOT_AWARDED]


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"Challenges: {self.created} created, {self.updated} updated."]
        return "\n".join(lines + self.notes)


def _org(number: str) -> Organisation | None:
    return Organisation.objects.filter(organisation_number=number).first()


@transaction.atomic
def load_white_paper_challenges(path: Path = DEFAULT_FILE) -> Report:
    data = json.loads(path.read_text(encoding="utf-8"))
    report = Report()
    now = timezone.now()
    for entry in data["challenges"]:
        owners = [o for o in (_org(n) for n in entry["owners"]) if o is not None]
        if not owners:
            report.notes.append(
                f"{entry['slug']}: no owner with number {entry['owners']} in the reference data; left out."
            )
            continue
        if entry["procedure"] not in Procedure.values or entry["status"] not in ChallengeStatus.values:
            report.notes.append(f"{entry['slug']}: unknown procedure or status; left out.")
            continue
        challenge, created = Challenge.objects.get_or_create(
            slug=entry["slug"], defaults={"title": entry["title"], "procedure": entry["procedure"]}
        )
        for name in TEXT_FIELDS:
            setattr(challenge, name, entry.get(name, ""))
        challenge.procedure = entry["procedure"]
        challenge.is_example = True
        if created:
            challenge.opens_at = now - datetime.timedelta(days=14)
            challenge.dialogue_deadline = now + datetime.timedelta(days=30)
            challenge.proposal_deadline = now + datetime.timedelta(days=60)
            challenge.status = entry["status"]
            challenge.status_changed_at = now
        challenge.save()
        for position, owner in enumerate(owners):
            ChallengeOwner.objects.get_or_create(
                challenge=challenge, organisation=owner, defaults={"is_lead": position == 0}
            )
        if created:
            for status in PATH[: PATH.index(entry["status"]) + 1]:
                StatusChange.objects.create(challenge=challenge, status=status, note="Eksempel")
        for number, note in entry.get("joined", []):
            body = _org(number)
            if body is not None and body not in owners:
                SharedNeed.objects.get_or_create(
                    challenge=challenge, organisation=body, defaults={"note": note, "status": JoinStatus.PENDING}
                )
        outcome = entry.get("outcome")
        if outcome:
            Outcome.objects.update_or_create(
                challenge=challenge,
                defaults={
                    "procedure": outcome["procedure"],
                    "suppliers": outcome.get("suppliers", ""),
                    "decided_on": datetime.date.fromisoformat(outcome["decided_on"]),
                    "contract_value": outcome.get("contract_value"),
                },
            )
        update_bodies_count(challenge)
        ensure_programme(challenge)
        index_challenge(challenge)
        if created:
            report.created += 1
        else:
            report.updated += 1
    return report
