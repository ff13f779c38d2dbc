"""Catalogue fixtures on top of the shared cast in tests/conftest.py: the owner organisations the shipped data
names (with the reference keys the reference data gives them), the loaded catalogue, and an instrument owner."""

from __future__ import annotations

import pytest

from nyskap.accounts.models import User
from nyskap.instruments import catalogue
from nyskap.instruments.models import Instrument, InstrumentOwnerRole
from nyskap.instruments.services import catalogue_load
from nyskap.organisations.models import Organisation, OrganisationKind

from ..factories import CountyFactory, OrganisationFactory, UserFactory

OWNER_NAMES = {
    catalogue.DIGDIR: ("Digitaliseringsdirektoratet", OrganisationKind.STATE_AGENCY),
    catalogue.DFO: ("Direktoratet for forvaltning og økonomistyring", OrganisationKind.STATE_AGENCY),
    catalogue.INNOVASJON_NORGE: ("Innovasjon Norge", OrganisationKind.STATE_AGENCY),
    catalogue.FORSKNINGSRADET: ("Norges forskningsråd", OrganisationKind.STATE_AGENCY),
    catalogue.DOGA: ("Design og arkitektur Norge", OrganisationKind.OTHER_PUBLIC),
    catalogue.KS: ("KS – Kommunesektorens organisasjon", OrganisationKind.OTHER_PUBLIC),
    catalogue.HDIR: ("Helsedirektoratet", OrganisationKind.STATE_AGENCY),
    catalogue.EHELSE: ("Direktoratet for e-helse", OrganisationKind.STATE_AGENCY),
    catalogue.NAV: ("Arbeids- og velferdsetaten (Nav)", OrganisationKind.STATE_AGENCY),
    catalogue.FINANSTILSYNET: ("Finanstilsynet", OrganisationKind.SUPERVISORY_AUTHORITY),
    catalogue.DATATILSYNET: ("Datatilsynet", OrganisationKind.SUPERVISORY_AUTHORITY),
    catalogue.KDD: ("Kommunal- og distriktsdepartementet", OrganisationKind.MINISTRY),
    catalogue.FIN: ("Finansdepartementet", OrganisationKind.MINISTRY),
    catalogue.HOD: ("Helse- og omsorgsdepartementet", OrganisationKind.MINISTRY),
    catalogue.NTNU: ("NTNU", OrganisationKind.UNIVERSITY),
    catalogue.NMBU: ("Norges miljø- og biovitenskapelige universitet", OrganisationKind.UNIVERSITY),
}


@pytest.fixture
def owner_organisations(db) -> dict[str, Organisation]:
    county = CountyFactory(number="46", name="Vestland", official_name="Vestland")
    owners = {
        key: OrganisationFactory(name=name, kind=kind, reference_key=key, population=None, county=None)
        for key, (name, kind) in OWNER_NAMES.items()
    }
    owners["fylke:46"] = OrganisationFactory(
        name="Vestland fylkeskommune",
        kind=OrganisationKind.COUNTY_MUNICIPALITY,
        county=county,
        reference_key="fylke:46",
    )
    owners["statsforvalter:46"] = OrganisationFactory(
        name="Statsforvalteren i Vestland", kind=OrganisationKind.COUNTY_GOVERNOR, county=None, population=None
    )
    return owners


@pytest.fixture
def loaded(owner_organisations) -> dict[str, Instrument]:
    catalogue_load()
    return {i.slug: i for i in Instrument.objects.all()}


@pytest.fixture
def instrument_owner(owner_organisations) -> User:
    """An adviser at Digdir with the instrument-owner role for Digdir."""
    user = UserFactory(email="radgiver@digdir.no", name="Rita Rådgiver")
    InstrumentOwnerRole.objects.create(user=user, organisation=owner_organisations[catalogue.DIGDIR])
    return user


@pytest.fixture
def as_instrument_owner(instrument_owner):
    from django.test import Client

    client = Client()
    client.force_login(instrument_owner)
    return client


def english(client):
    client.cookies["django_language"] = "en"
    return client
