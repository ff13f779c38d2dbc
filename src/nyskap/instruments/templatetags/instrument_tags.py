"""The instrument panel on a project's page: the "match this project" link, the project's applications to
instruments, and a small form for those who may change the project."""

from __future__ import annotations

from typing import Any

from django import template

from nyskap.instruments.forms import UseForm
from nyskap.instruments.models import InstrumentUse
from nyskap.instruments.services import MATCH_PHASES

register = template.Library()


@register.inclusion_tag("instruments/_panel_body.html")
def instrument_panel(project: Any, can_edit: bool) -> dict[str, Any]:
    uses = list(InstrumentUse.objects.filter(project=project).select_related("instrument").order_by("-year", "pk"))
    return {
        "project": project,
        "can_edit": can_edit,
        "uses": uses,
        "use_form": UseForm(prefix="use") if can_edit else None,
        "can_match": project.phase in MATCH_PHASES,
    }


@register.filter
def kind_labels(codes: list[str]) -> str:
    from nyskap.organisations.models import OrganisationKind

    labels = dict(OrganisationKind.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes)


@register.filter
def code_labels(codes: list[str], vocabulary: str) -> str:
    from nyskap.instruments.models import Offer, Requirement
    from nyskap.projects.models import InnovationTypeCode, Phase, Sector

    choices = {
        "offer": Offer.choices,
        "phase": Phase.choices,
        "sector": Sector.choices,
        "type": InnovationTypeCode.choices,
        "requirement": Requirement.choices,
    }[vocabulary]
    labels = dict(choices)
    return ", ".join(str(labels.get(code, code)) for code in codes)
