"""The instrument panel on a project's page: the "match this project" link, the project's applications to
instruments, and a small form for those who may change the project."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.translation import gettext as _

from nyskap.instruments.cleaning import MATCH_PHASES
from nyskap.instruments.forms import UseForm
from nyskap.instruments.models import InstrumentUse

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


_INTERNAL_SECTION = re.compile(r"DOMAIN\.md\s*§\s*[\d.]+(?:\s*item\s*\d+)?")
_SEE_SECTION = re.compile(r"\bSee\s+§\s*[\d.]+\s*:?\s*")
# Nyskap's working documents write sections as "§2.4"; laws are cited with a space ("forvaltningsloven § 11").
_BARE_SECTION = re.compile(r"§\d[\d.]*")
_WHITE_PAPER_BOX = re.compile(r"\bWP box (\d+(?:\.\d+)?)")
# Chapters and boxes cited in the sources ("ch.5.1, 8.1, box 8.1"), named in the reader's language.
_CHAPTER = re.compile(r"\bch\.\s?(?=\d)")
_BOX = re.compile(r"\bbox (?=\d)")
_WHITE_PAPER = re.compile(r"\bWP\b")


@register.filter
def source_note(text: str) -> str:
    """A source note in the reader's language, cited as the public may read it (see `public_citation`)."""
    from nyskap.instruments.source_texts import in_language

    return public_citation(in_language(text))


@register.filter
def public_citation(text: str) -> str:
    """Source notes as the public may read them: the white paper by its name (“WP box 13.3” → “Meld. St. 30
    (2019–2020), box 13.3”), and no pointers into Nyskap's own working documents (“DOMAIN.md §3.3”, “See §3”)."""
    if not text:
        return text
    text = _INTERNAL_SECTION.sub("", str(text))
    text = _SEE_SECTION.sub("", text)
    text = _BARE_SECTION.sub("", text)
    text = _WHITE_PAPER_BOX.sub(lambda match: str(_("Meld. St. 30 (2019–2020), box %(box)s") % {"box": match[1]}), text)
    text = _WHITE_PAPER.sub("Meld. St. 30 (2019–2020)", text)
    text = _CHAPTER.sub(lambda _match: str(_("ch.")) + ("" if str(_("ch.")) == "ch." else " "), text)
    text = _BOX.sub(lambda _match: str(_("box")) + " ", text)
    # Tidy what the removals leave: "(, 2019)" → "(2019)", "()" and doubled spaces go.
    text = re.sub(r"\(\s*[,;]\s*", "(", text)
    text = re.sub(r"\s*[,;]\s*\)", ")", text)
    text = re.sub(r"\s*\(\s*\)", "", text)
    return re.sub(r"\s{2,}", " ", text).strip(" ;,")
