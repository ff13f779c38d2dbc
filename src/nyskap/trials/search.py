"""Trials in the full-text search (`nyskap.core.search`): their own kind of search document."""

from __future__ import annotations

from nyskap.core.search import index_object
from nyskap.core.search import remove_object as _remove_from_index

from .models import Trial


def index_trial(trial: Trial) -> None:
    """(Re-)index a trial's text as its own kind of search document: title and hypothesis rank above the rest."""
    index_object(
        trial,
        title=trial.title,
        a_texts=[trial.hypothesis, trial.intervention, trial.primary_outcome],
        b_texts=[
            trial.target_group,
            trial.secondary_outcomes,
            trial.analysis_plan,
            trial.area,
            trial.legal_act,
            trial.result_summary,
            trial.lessons,
            trial.decision_reason,
        ],
    )


def remove_from_index(trial: Trial) -> None:
    _remove_from_index(trial)
