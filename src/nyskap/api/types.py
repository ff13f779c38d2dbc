"""Field types shared by every app's API schemas."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field, StringConstraints, WithJsonSchema

from nyskap.core.text import ACCEPTED_TEXT_PATTERN

# PostgreSQL can neither store nor compare text with NUL characters, and other control characters break exports:
# the schema documents the rule (nyskap.core.text) that the API's parser applies to every query and body.
NO_NUL_PATTERN = ACCEPTED_TEXT_PATTERN
NoNul = Annotated[str, StringConstraints(pattern=NO_NUL_PATTERN)]


class InSchema(Schema):
    """A request body: keys it does not declare are refused (422 naming the key), not silently dropped, so a typo
    in a field name is noticed and the OpenAPI schema says exactly what is accepted."""

    model_config = ConfigDict(extra="forbid")


# The tags of request bodies that take one of several shapes: pydantic puts the tag first in an error's location
# ("binary.arms.0.n"); the error shape names the field as the client wrote it ("arms.0.n").
BODY_TAGS: set[str] = set()


def one_of(discriminator: str, *members: type[Schema]) -> Any:
    """A request body that is one of ``members``, told apart by the literal value of ``discriminator`` in each
    (``{"outcome": "binary", ...}``); documented as ``oneOf`` with a discriminator in the OpenAPI schema."""
    for member in members:
        BODY_TAGS.update(member.model_fields[discriminator].annotation.__args__)  # type: ignore[union-attr]
    union: Any = members[0]
    for member in members[1:]:
        union = union | member
    return Annotated[union, Field(discriminator=discriminator)]


def whole_number(low: int, high: int) -> Any:
    """JSON Schema's integer between ``low`` and ``high``: whole numbers, also written 2024.0 (JSON Schema counts
    that as an integer); never strings or booleans, which pydantic's lax mode would turn into numbers."""

    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("Input should be a whole number")
        if isinstance(value, float) and not value.is_integer():
            raise ValueError("Input should be a whole number")
        if not low <= value <= high:
            raise ValueError(f"Input should be between {low} and {high}")
        return int(value)

    return Annotated[int, BeforeValidator(check), WithJsonSchema({"type": "integer", "minimum": low, "maximum": high})]
