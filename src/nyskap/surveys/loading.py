"""Loading a questionnaire into the survey engine from a specification: the write service the modules built on the
engine (culture, and the barometer to come) use, so none of them writes the engine's tables itself.

A questionnaire is keyed by its ``key`` and a version by its number. A published version is frozen: loading it again
changes nothing. An unpublished leftover of an interrupted load is replaced. Everything happens in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from .models import Dimension, Item, ItemKind, Questionnaire, QuestionnaireVersion
from .services import version_publish

Texts = dict[str, str]  # {"nb": …, "nn": …, "en": …}


@dataclass(frozen=True)
class ScaleItem:
    key: str
    text: Texts
    quote: str = ""


@dataclass(frozen=True)
class ChoiceItem:
    """An item with its own kind and options (one choice, several choices, its own scale, a number), for
    questionnaires that are not one agreement scale throughout (the barometer). ``source`` overrides the
    questionnaire's source for this item."""

    key: str
    kind: str
    text: Texts
    options: list[Any] = field(default_factory=list)
    scale_points: int = 5
    allow_dont_know: bool = False
    quote: str = ""
    source: str = ""
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class DimensionSpec:
    key: str
    group: Texts
    name: Texts
    items: list[ScaleItem | ChoiceItem]


@dataclass(frozen=True)
class TextItem:
    key: str
    text: Texts
    quote: str = ""


@dataclass(frozen=True)
class QuestionnaireSpec:
    """A questionnaire of scale items grouped in dimensions, with free-text items after them. Every scale item
    shares ``options`` (the labelled points), ``scale_points`` and whether "don't know" is offered."""

    key: str
    name: Texts
    version: int
    introduction: Texts
    dimensions: list[DimensionSpec]
    options: list[Any]
    scale_points: int
    allow_dont_know: bool
    source: str
    text_items: list[TextItem] = field(default_factory=list)


def _languages(prefix: str, texts: Texts) -> dict[str, str]:
    return {f"{prefix}_{language}": texts[language] for language in ("nb", "nn", "en")}


@transaction.atomic
def questionnaire_load(spec: QuestionnaireSpec) -> tuple[QuestionnaireVersion, bool]:
    """Create and publish version ``spec.version`` unless it is published already. Returns the version and whether
    it was created."""
    questionnaire, _created = Questionnaire.objects.update_or_create(
        key=spec.key, defaults=_languages("name", spec.name)
    )
    existing = QuestionnaireVersion.objects.filter(questionnaire=questionnaire, number=spec.version).first()
    if existing is not None and existing.is_published:
        return existing, False
    if existing is not None:
        existing.delete()  # an unpublished leftover of an interrupted load
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=spec.version, **_languages("introduction", spec.introduction)
    )
    order = 0
    for d_index, dimension_spec in enumerate(spec.dimensions):
        dimension = Dimension.objects.create(
            version=version,
            key=dimension_spec.key,
            order=d_index,
            **_languages("group", dimension_spec.group),
            **_languages("name", dimension_spec.name),
        )
        for item in dimension_spec.items:
            if isinstance(item, ChoiceItem):
                if item.kind not in ItemKind.values:
                    raise ValueError(f"Unknown item kind {item.kind!r} for {item.key!r}.")
                Item.objects.create(
                    version=version,
                    dimension=dimension,
                    key=item.key,
                    order=order,
                    kind=item.kind,
                    **_languages("text", item.text),
                    options=item.options,
                    scale_points=item.scale_points,
                    allow_dont_know=item.allow_dont_know,
                    minimum=item.minimum,
                    maximum=item.maximum,
                    source_quote=item.quote,
                    source_reference=(item.source or spec.source)[:200],
                )
                order += 1
                continue
            Item.objects.create(
                version=version,
                dimension=dimension,
                key=item.key,
                order=order,
                kind=ItemKind.LIKERT,
                **_languages("text", item.text),
                options=spec.options,
                scale_points=spec.scale_points,
                allow_dont_know=spec.allow_dont_know,
                source_quote=item.quote,
                source_reference=spec.source,
            )
            order += 1
    for text_item in spec.text_items:
        Item.objects.create(
            version=version,
            key=text_item.key,
            order=order,
            kind=ItemKind.TEXT,
            **_languages("text", text_item.text),
            allow_dont_know=False,
            source_quote=text_item.quote,
            source_reference=spec.source,
        )
        order += 1
    return version_publish(version=version), True
