"""Field types shared by every app's API schemas."""

from __future__ import annotations

from typing import Annotated

from ninja import Schema
from pydantic import ConfigDict, StringConstraints

from nyskap.core.text import ACCEPTED_TEXT_PATTERN

# PostgreSQL can neither store nor compare text with NUL characters, and other control characters break exports:
# the schema documents the rule (nyskap.core.text) that the API's parser applies to every query and body.
NO_NUL_PATTERN = ACCEPTED_TEXT_PATTERN
NoNul = Annotated[str, StringConstraints(pattern=NO_NUL_PATTERN)]


class InSchema(Schema):
    """A request body: keys it does not declare are refused (422 naming the key), not silently dropped, so a typo
    in a field name is noticed and the OpenAPI schema says exactly what is accepted."""

    model_config = ConfigDict(extra="forbid")
