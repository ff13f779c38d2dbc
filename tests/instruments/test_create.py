"""Instrument owners add new instruments for their organisation in the pages; others are refused, and a refused
value is named at its field with nothing stored."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry

from nyskap.instruments import catalogue
from nyskap.instruments.models import Instrument

from .test_views import field_error

pytestmark = pytest.mark.django_db

NEW = {
    "organisation": "",
    "name_nb": "Tilskudd til tjenestedesign",
    "offers": ["money"],
    "applicant_kinds": ["municipality"],
    "phases": ["need"],
    "status": "active",
    "grant_max": "300 000",
}


def test_when_an_instrument_owner_adds_an_instrument_then_it_is_owned_by_their_organisation(
    as_instrument_owner, instrument_owner, owner_organisations
):
    digdir = owner_organisations[catalogue.DIGDIR]
    page = as_instrument_owner.get("/virkemidler/")
    assert 'href="/virkemidler/ny/"' in page.content.decode()
    form = as_instrument_owner.get("/virkemidler/ny/")
    assert form.status_code == 200
    assert f'value="{digdir.slug}"' in form.content.decode()
    response = as_instrument_owner.post("/virkemidler/ny/", {**NEW, "organisation": digdir.slug})
    instrument = Instrument.objects.get(name_nb="Tilskudd til tjenestedesign")
    assert response.status_code == 302 and response["Location"] == "/virkemidler/tilskudd-til-tjenestedesign/"
    assert instrument.slug == "tilskudd-til-tjenestedesign"
    assert list(instrument.owners.all()) == [digdir]
    assert (instrument.grant_max, instrument.offers, instrument.owner_edited) == (300_000, ["money"], True)
    assert (instrument.name_nn, instrument.name_en) == ("Tilskudd til tjenestedesign", "Tilskudd til tjenestedesign")
    assert LogEntry.objects.get_for_object(instrument).filter(actor=instrument_owner).exists()
    assert as_instrument_owner.get("/virkemidler/tilskudd-til-tjenestedesign/rediger/").status_code == 200


def test_when_an_owner_adds_for_another_organisation_or_an_outsider_tries_then_it_is_refused(
    as_instrument_owner, as_outsider, owner_organisations
):
    other = owner_organisations[catalogue.HOD]
    response = as_instrument_owner.post("/virkemidler/ny/", {**NEW, "organisation": other.slug})
    assert response.status_code == 400
    assert field_error(response.content.decode(), "organisation")
    assert as_outsider.get("/virkemidler/ny/").status_code == 403
    assert as_outsider.post("/virkemidler/ny/", {**NEW, "organisation": other.slug}).status_code == 403
    assert 'href="/virkemidler/ny/"' not in as_outsider.get("/virkemidler/").content.decode()
    assert not Instrument.objects.filter(name_nb="Tilskudd til tjenestedesign").exists()


def test_when_a_new_instrument_has_a_bad_value_then_the_field_is_named_in_norwegian(
    as_instrument_owner, owner_organisations
):
    digdir = owner_organisations[catalogue.DIGDIR]
    as_instrument_owner.cookies["django_language"] = "nb"
    data = {**NEW, "organisation": digdir.slug, "project_cost_min": "500", "project_cost_max": "100"}
    response = as_instrument_owner.post("/virkemidler/ny/", data)
    assert response.status_code == 400
    assert field_error(response.content.decode(), "project_cost_max") == (
        "Største prosjektkostnad kan ikke være lavere enn minste."
    )
    assert not Instrument.objects.filter(name_nb="Tilskudd til tjenestedesign").exists()


def test_when_a_name_is_a_word_of_the_catalogues_urls_then_the_slug_steps_aside(
    as_instrument_owner, owner_organisations
):
    digdir = owner_organisations[catalogue.DIGDIR]
    as_instrument_owner.post("/virkemidler/ny/", {**NEW, "name_nb": "Ny", "organisation": digdir.slug})
    assert Instrument.objects.get(name_nb="Ny").slug == "ny-2"
