"""Instrument pages cite public documents: the white paper by its name, never Nyskap's working documents."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from nyskap.instruments.models import Instrument
from nyskap.instruments.templatetags.instrument_tags import public_citation

pytestmark = pytest.mark.django_db


def test_when_a_source_note_points_to_internal_sections_then_the_page_shows_the_public_citation():
    assert public_citation("WP box 13.3; dfo.no") == "Meld. St. 30 (2019–2020), boks 13.3; dfo.no"
    assert public_citation("See §3.3: 5-50 MNOK projects") == "5-50 MNOK projects"
    assert public_citation("Applicants: state bodies (DOMAIN.md §3.3, 2019).") == "Applicants: state bodies (2019)."
    assert public_citation("(per-project sums unverified, DOMAIN.md §10).") == "(per-project sums unverified)."
    assert public_citation("Unverified (DOMAIN.md §10 item 10)") == "Unverified"
    assert public_citation("WP; difi.no") == "Meld. St. 30 (2019–2020); difi.no"


def test_when_every_instrument_page_is_opened_then_no_internal_document_or_section_is_named(anonymous):
    call_command("load_reference_data", verbosity=0)
    call_command("load_instruments", verbosity=0)
    slugs = list(Instrument.objects.values_list("slug", flat=True))
    assert len(slugs) == 46
    for slug in slugs:
        html = anonymous.get(f"/virkemidler/{slug}/").content.decode()
        for internal in ("DOMAIN.md", "WP box", "See §"):
            assert internal not in html, (slug, internal)
        assert not re.search(r"§\d", html), slug
