"""Refreshing the dashboards: gather the facts from the modules' selectors, compute every lens
(`figures.compute`), and replace the snapshots in one transaction, so a reader sees either the old or the new
figures, never a mix."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.db import transaction
from django.utils import timezone

from nyskap.barometer import selectors as barometer_selectors
from nyskap.benefits import selectors as benefit_selectors
from nyskap.challenges import selectors as challenge_selectors
from nyskap.core import versions
from nyskap.culture import selectors as culture_selectors
from nyskap.instruments import selectors as instrument_selectors
from nyskap.procurement import selectors as procurement_selectors
from nyskap.projects import selectors as project_selectors
from nyskap.trials import selectors as trial_selectors

from . import figures
from .lenses import Directory
from .models import Refresh, Snapshot

logger = logging.getLogger(__name__)

SNAPSHOT_VERSION = versions.register("dashboards:snapshot-version")


def gather() -> figures.Facts:
    """Everything the figures need, from the modules' selectors (a fixed number of queries)."""
    today = timezone.localdate()
    return figures.Facts(
        directory=Directory.load(),
        projects=project_selectors.project_facts(today),
        adoptions=project_selectors.adoption_facts(),
        uses=instrument_selectors.use_facts(),
        instruments=instrument_selectors.instrument_meta(),
        granted=instrument_selectors.GRANTED,
        trials=trial_selectors.trial_facts(today),
        sandboxes=trial_selectors.sandbox_facts(),
        challenges=challenge_selectors.challenge_facts(),
        notices=procurement_selectors.notice_counts(),
        innovation_class=procurement_selectors.INNOVATION_CLASS,
        friendly_class=procurement_selectors.FRIENDLY_CLASS,
        benefits=benefit_selectors.benefit_sums(),
        plans=benefit_selectors.plan_counts(),
        own_bearer=benefit_selectors.OWN_ORGANISATION,
        culture=culture_selectors.published_figures(),
        culture_organisations=culture_selectors.organisations_with_disclosed_rounds(),
        barometer=barometer_selectors.latest_published_figures(),
        sectors=[code for code, _label in project_selectors.vocabularies()["sector"]],
    )


def refresh() -> Refresh:
    """Recompute every lens and replace the stored snapshots; the refresh's record."""
    started = timezone.now()
    clock = time.perf_counter()
    computed = figures.compute(gather(), timezone.localdate())
    finished = timezone.now()
    rows = [
        Snapshot(lens=lens, key=key, audience=audience, data=data, computed_at=finished)
        for (lens, key, audience), data in computed.items()
    ]
    with transaction.atomic():
        Snapshot.objects.all().delete()
        Snapshot.objects.bulk_create(rows, batch_size=500)
        record = Refresh.objects.create(
            started_at=started, finished_at=finished, lenses=len(rows), seconds=time.perf_counter() - clock
        )
        Refresh.objects.exclude(pk__in=Refresh.objects.order_by("-finished_at", "-pk").values("pk")[:50]).delete()
        transaction.on_commit(lambda: versions.bump(SNAPSHOT_VERSION))
    logger.info("dashboards_refreshed", extra={"lenses": len(rows), "seconds": record.seconds})
    return record


def snapshot(lens: str, key: str, audience: str) -> Snapshot | None:
    return Snapshot.objects.filter(lens=lens, key=key, audience=audience).first()


def last_refresh() -> Refresh | None:
    return Refresh.objects.order_by("-finished_at", "-pk").first()


def empty_figures(lens: tuple[str, str], profile: Any | None) -> dict[str, Any]:
    """A lens not computed yet (an organisation registered since the last refresh, or before the first refresh):
    zeros, and an organisation's own participation row."""
    facts = figures.Facts(directory=Directory({profile.id: profile} if profile is not None else {}))
    return figures.blank(facts, lens)
