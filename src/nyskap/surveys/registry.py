"""Modules built on the engine (culture, later the barometer) register where a round's results are shown, so the
engine links to them without depending on them."""

from __future__ import annotations

from django.urls import reverse

from .models import Round

_RESULT_PAGES: dict[str, str] = {}


def register_results_page(questionnaire_key: str, url_name: str) -> None:
    """``url_name`` takes the round's ``pk``."""
    _RESULT_PAGES[questionnaire_key] = url_name


def results_url(round: Round) -> str | None:
    url_name = _RESULT_PAGES.get(round.version.questionnaire.key)
    return reverse(url_name, kwargs={"pk": round.pk}) if url_name else None
