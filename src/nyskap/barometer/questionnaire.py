"""The barometer's two questionnaires as data (``questionnaires/*.json``), turned into the survey engine's
specification: the operative one answered by the manager of a workplace (DOMAIN.md §1.1.1, blocks 1–12, with the
shorter branch for workplaces with innovation work but no innovation), and the strategic one answered by the
administration of each municipality, county municipality and state agency. Every item names its source."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from nyskap.surveys.loading import ChoiceItem, DimensionSpec, QuestionnaireSpec

DIRECTORY = Path(__file__).parent / "questionnaires"
OPERATIVE = "operative"
STRATEGIC = "strategic"
KINDS = (OPERATIVE, STRATEGIC)


@cache
def data(kind: str) -> dict[str, Any]:
    if kind not in KINDS:
        raise ValueError(f"Unknown questionnaire {kind!r}.")
    result: dict[str, Any] = json.loads((DIRECTORY / f"{kind}.json").read_text(encoding="utf-8"))
    return result


def key(kind: str) -> str:
    return str(data(kind)["key"])


def spec(kind: str) -> QuestionnaireSpec:
    raw = data(kind)
    return QuestionnaireSpec(
        key=raw["key"],
        name=raw["name"],
        version=raw["version"],
        introduction=raw["introduction"],
        dimensions=[
            DimensionSpec(
                key=block["key"],
                group=block["group"],
                name=block["name"],
                items=[
                    ChoiceItem(
                        key=item["key"],
                        kind=item["kind"],
                        text=item["text"],
                        options=item.get("options", []),
                        scale_points=item.get("scale_points", 5),
                        allow_dont_know=item.get("allow_dont_know", False),
                        quote=item.get("quote", ""),
                        source=item["source"],
                    )
                    for item in block["items"]
                ],
            )
            for block in raw["blocks"]
        ],
        options=[],
        scale_points=5,
        allow_dont_know=False,
        source=raw["source"],
    )
