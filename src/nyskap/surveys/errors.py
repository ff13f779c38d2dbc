"""The survey engine's refusal: raised by its services, selectors (links that do not work) and answer parsing."""

from __future__ import annotations


class SurveyError(Exception):
    """A refused change; ``message`` is shown as it is, beside ``field`` when given. ``errors`` maps several
    fields (answers to items) to their messages."""

    def __init__(
        self, message: str, field: str | None = None, errors: dict[str, str] | None = None, unknown: bool = False
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors or {}
        self.unknown = unknown  # the link or secret does not exist at all (404 rather than 410)
