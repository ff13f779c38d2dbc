"""Field types shared by every app's API schemas."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

# PostgreSQL can neither store nor compare text with NUL characters; refuse them with a 422 at the edge.
NO_NUL_PATTERN = r"^[^\x00]*$"
NoNul = Annotated[str, StringConstraints(pattern=NO_NUL_PATTERN)]
