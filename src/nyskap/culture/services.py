"""Writes of the culture module: loading Nyskap's questionnaire into the survey engine."""

from __future__ import annotations

from django.db import transaction

from nyskap.surveys.models import Dimension, Item, ItemKind, Questionnaire, QuestionnaireVersion
from nyskap.surveys.services import version_publish

from . import instrument


@transaction.atomic
def load_questionnaire() -> tuple[QuestionnaireVersion, bool]:
    """Create and publish version 1 of the questionnaire unless it exists (then nothing changes: a published
    version is frozen). Returns the version and whether it was created. Safe to run on every start."""
    questionnaire, _created = Questionnaire.objects.update_or_create(
        key=instrument.KEY,
        defaults={
            "name_nb": instrument.NAME["nb"],
            "name_nn": instrument.NAME["nn"],
            "name_en": instrument.NAME["en"],
        },
    )
    existing = QuestionnaireVersion.objects.filter(questionnaire=questionnaire, number=instrument.VERSION).first()
    if existing is not None and existing.is_published:
        return existing, False
    if existing is not None:
        existing.delete()  # an unpublished leftover of an interrupted load
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=instrument.VERSION,
        introduction_nb=instrument.INTRODUCTION["nb"],
        introduction_nn=instrument.INTRODUCTION["nn"],
        introduction_en=instrument.INTRODUCTION["en"],
    )
    order = 0
    for d_index, spec in enumerate(instrument.DIMENSIONS):
        dimension = Dimension.objects.create(
            version=version,
            key=spec["key"],
            order=d_index,
            group_nb=spec["group"]["nb"],
            group_nn=spec["group"]["nn"],
            group_en=spec["group"]["en"],
            name_nb=spec["name"]["nb"],
            name_nn=spec["name"]["nn"],
            name_en=spec["name"]["en"],
        )
        for item in spec["items"]:
            Item.objects.create(
                version=version,
                dimension=dimension,
                key=item["key"],
                order=order,
                kind=ItemKind.LIKERT,
                text_nb=item["nb"],
                text_nn=item["nn"],
                text_en=item["en"],
                options=instrument.SCALE,
                scale_points=5,
                allow_dont_know=True,
                source_quote=item["quote"],
                source_reference=instrument.SOURCE,
            )
            order += 1
    Item.objects.create(
        version=version,
        key=instrument.COMMENT["key"],
        order=order,
        kind=ItemKind.TEXT,
        text_nb=instrument.COMMENT["nb"],
        text_nn=instrument.COMMENT["nn"],
        text_en=instrument.COMMENT["en"],
        allow_dont_know=False,
        source_quote=instrument.COMMENT["quote"],
        source_reference=instrument.SOURCE,
    )
    return version_publish(version=version), True
