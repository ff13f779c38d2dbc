"""Challenges in the full-text search (`nyskap.core.search`): their own kind of search document."""

from __future__ import annotations

from nyskap.core.search import index_object

from .models import Challenge


def index_challenge(challenge: Challenge) -> None:
    """(Re-)index a challenge: title, need and effect rank above the rest."""
    index_object(
        challenge,
        title=challenge.title,
        a_texts=[challenge.need, challenge.effect],
        b_texts=[challenge.target_users, challenge.topics.replace(",", " "), challenge.get_sector_display()],
    )
