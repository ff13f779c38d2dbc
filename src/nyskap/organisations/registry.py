"""Modules above the organisation register (app ready()) a template that the organisation page includes, so the
page shows, say, the organisation's projects without this app depending on the project library."""

from __future__ import annotations

_DETAIL_PANELS: list[str] = []


def register_detail_panel(template_name: str) -> None:
    """The template gets ``organisation``, ``request`` and ``user`` in its context."""
    if template_name not in _DETAIL_PANELS:
        _DETAIL_PANELS.append(template_name)


def detail_panels() -> list[str]:
    return list(_DETAIL_PANELS)
