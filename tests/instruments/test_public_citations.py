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


# One language at a time: the source notes in the reader's language


def _shipped_notes() -> set[str]:
    from nyskap.instruments.catalogue import read_instruments
    from nyskap.organisations.reference_data import DEFAULT_DATA_DIR

    notes: set[str] = set()
    for row in read_instruments(DEFAULT_DATA_DIR):
        for field in ("owner_text", "offers_text", "target_text", "phases_text", "amounts_text", "status_note"):
            notes.add(row.values[field])
        notes.update((row.values["verification_text"], row.values["mapping_note"]))
    return notes - {""}


def test_every_shipped_source_note_has_bokmal_and_nynorsk_text_and_no_internal_pointer():
    from nyskap.instruments.source_texts import shipped_texts

    texts = shipped_texts()
    notes = _shipped_notes()
    assert len(notes) > 150
    assert sorted(notes - texts.keys()) == []
    for english in notes:
        for language in ("nb", "nn"):
            translated = texts[english][language]
            assert translated != "" or public_citation(english) == "", (english, language)
            for internal in ("DOMAIN.md", "WP", "§3", "See "):
                assert internal not in translated, (english, language)


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        (
            "nn",
            [
                "I kjelda: Digdir saman med DOGA",
                "I kjelda: pengar (til å kjøpe design- og tverrfagleg kompetanse i marknaden); rettleiing; "
                "kompetanse; nettverk",
                "I kjelda: begge forvaltningsnivåa (offentlege verksemder; prioritet til samansette problem med "
                "fleire aktørar)",
                "I kjelda: behov; idé",
                "Oppstart (2016): 5 + 5 mill. kroner, 8 prosjekt",
                "Meld. St. 30 (2019–2020) kap. 5.1, 8.1, boks 8.1; Digdir rapport 2020:2",
                "Offentlege verksemder på begge forvaltningsnivåa søkjer; prosjekta blir valde ut i rundar.",
            ],
            ["Digdir with DOGA", "money (to buy", "triple diamond and commit", "Public agencies of both levels"],
        ),
        (
            "nb",
            [
                "I kilden: Digdir sammen med DOGA",
                "Oppstart (2016): 5 + 5 mill. kroner, 8 prosjekter",
                "Meld. St. 30 (2019–2020) kap. 5.1, 8.1, boks 8.1",
                "Offentlige virksomheter på begge forvaltningsnivåer søker; prosjektene velges ut i runder.",
            ],
            ["Digdir with DOGA", "money (to buy", "Public agencies of both levels"],
        ),
        (
            "en",
            [
                "In the source: Digdir with DOGA",
                "Start (2016): 5+5 MNOK, 8 projects",
                "Meld. St. 30 (2019–2020) ch.5.1, 8.1, box 8.1",
                "Public agencies of both levels apply; projects are chosen in rounds.",
            ],
            ["Digdir sammen med DOGA", "Oppstart (2016)"],
        ),
    ],
)
def test_when_an_instrument_page_is_read_then_its_source_notes_are_in_the_readers_language(
    anonymous, language, expected, absent
):
    call_command("load_reference_data", verbosity=0)
    call_command("load_instruments", verbosity=0)
    anonymous.cookies["django_language"] = language
    html = anonymous.get("/virkemidler/stimulab/").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    for phrase in expected:
        assert phrase in text, phrase
    for phrase in absent:
        assert phrase not in text, phrase
    assert 'lang="en"' not in html[html.index("<main") :]
