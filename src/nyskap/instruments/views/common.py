"""What the instrument pages share."""

from __future__ import annotations

from typing import Any

from ..services import CatalogueError


def add_service_error(form: Any, error: CatalogueError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)
