"""A small landscape for the dashboard page tests (in process and in the browser): a public and an internal project
of the home municipality (Øygarden, Vestland), a public one of another municipality (Bodø, Nordland), refreshed."""

from __future__ import annotations

import datetime

from nyskap.core.visibility import Visibility
from nyskap.dashboards import services
from tests.projects.factories import make_project


def make_internal(actor, owner) -> None:
    """A health-care project "Internt" shown only to the owner's own people."""
    make_project(actor=actor, owner=owner, title="Internt", visibility=Visibility.ORGANISATION, sector="health_care")


def two_municipalities(innovator, outsider, home_municipality, other_municipality) -> None:
    make_project(
        actor=innovator,
        owner=home_municipality,
        title="Offentlig",
        visibility=Visibility.PUBLIC,
        sector="health_care",
        start_date=datetime.date(2024, 2, 1),
    )
    make_internal(innovator, home_municipality)
    make_project(actor=outsider, owner=other_municipality, title="Bodø", visibility=Visibility.PUBLIC)
    services.refresh()
