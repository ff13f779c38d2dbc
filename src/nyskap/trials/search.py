"""Trials in the full-text search (`nyskap.core.search`): their own kind of search document."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import translation

from nyskap.core.search import index_many, index_object
from nyskap.core.search import remove_object as _remove_from_index

from .models import Trial, TrialKind

# The kind of trial is searched by its name in both written standards ("lab", "sandkasse", "forsøkslova").
_KIND_LANGUAGES = ("nb", "nn")


def _kind_names(kind: str) -> list[str]:
    if kind not in TrialKind.values:
        return []
    names = []
    for language in _KIND_LANGUAGES:
        with translation.override(language):
            names.append(str(TrialKind(kind).label))
    return list(dict.fromkeys(names))


def _texts(trial: Trial) -> tuple[list[str], list[str]]:
    """The texts that rank high (hypothesis, intervention, primary outcome) and the rest, with what the trial's
    page shows beside its texts: its kind, its sandbox, its owners and partners ("forsøk i Asker", "sandkasse")."""
    return (
        [trial.hypothesis, trial.intervention, trial.primary_outcome],
        [
            trial.target_group,
            trial.secondary_outcomes,
            trial.analysis_plan,
            trial.area,
            trial.legal_act,
            trial.result_summary,
            trial.lessons,
            trial.decision_reason,
            *_kind_names(trial.kind),
            trial.sandbox.name if trial.sandbox is not None else "",
            *(organisation.name for organisation in trial.owners.all()),
            *(organisation.name for organisation in trial.partners.all()),
        ],
    )


def index_trial(trial: Trial) -> None:
    """(Re-)index a trial's text as its own kind of search document: title and hypothesis rank above the rest."""
    a_texts, b_texts = _texts(trial)
    index_object(trial, title=trial.title, a_texts=a_texts, b_texts=b_texts)


def index_trials(trials: Iterable[Trial]) -> int:
    """(Re-)index many trials at once, as `index_trial` would one by one (for bulk loads); how many."""
    if isinstance(trials, QuerySet):
        trials = trials.select_related("sandbox").prefetch_related("owners", "partners")
    return index_many(Trial, ((trial.pk, trial.title, *_texts(trial), None) for trial in trials))


def remove_from_index(trial: Trial) -> None:
    _remove_from_index(trial)
