"""Writes of the culture module: loading Nyskap's questionnaire into the survey engine (through the engine's own
loader, `surveys.loading`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nyskap.surveys.loading import DimensionSpec, QuestionnaireSpec, ScaleItem, TextItem, questionnaire_load

from . import instrument

if TYPE_CHECKING:
    from nyskap.surveys.models import QuestionnaireVersion


def questionnaire_spec() -> QuestionnaireSpec:
    """The culture questionnaire (`instrument`) as the engine's specification."""
    return QuestionnaireSpec(
        key=instrument.KEY,
        name=instrument.NAME,
        version=instrument.VERSION,
        introduction=instrument.INTRODUCTION,
        dimensions=[
            DimensionSpec(
                key=spec["key"],
                group=spec["group"],
                name=spec["name"],
                items=[
                    ScaleItem(
                        key=item["key"], text={lang: item[lang] for lang in ("nb", "nn", "en")}, quote=item["quote"]
                    )
                    for item in spec["items"]
                ],
            )
            for spec in instrument.DIMENSIONS
        ],
        options=instrument.SCALE,
        scale_points=5,
        allow_dont_know=True,
        source=instrument.SOURCE,
        text_items=[
            TextItem(
                key=instrument.COMMENT["key"],
                text={lang: instrument.COMMENT[lang] for lang in ("nb", "nn", "en")},
                quote=instrument.COMMENT["quote"],
            )
        ],
    )


def load_questionnaire() -> tuple[QuestionnaireVersion, bool]:
    """Create and publish version 1 of the questionnaire unless it exists (then nothing changes: a published
    version is frozen). Returns the version and whether it was created. Safe to run on every start."""
    return questionnaire_load(questionnaire_spec())
