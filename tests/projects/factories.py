"""Project factories: projects are made through the service, as users make them, with a need filled in."""

from __future__ import annotations

from typing import Any

from nyskap.accounts.models import User
from nyskap.organisations.models import Organisation
from nyskap.projects.models import Project
from nyskap.projects.services import project_create

NEED = {
    "need_problem": "Eldre som bor hjemme får middag levert kald.",
    "need_who": "Hjemmeboende eldre med vedtak om matombringing.",
    "need_today": "Kjølt mat leveres to ganger i uka.",
    "need_effect": "Varm mat hver dag og bedre ernæring.",
}


def make_project(*, actor: User, owner: Organisation, title: str = "Varm mat", **fields: Any) -> Project:
    return project_create(actor=actor, owner=owner, title=title, **{**NEED, **fields})
