"""Instrument factories: the owner organisations the shipped catalogue names (with the reference keys the reference
data gives them), the loaded catalogue, and an instrument owner."""

from __future__ import annotations

from nyskap.accounts.models import User
from nyskap.instruments import catalogue
from nyskap.instruments.models import Instrument, InstrumentOwnerRole
from nyskap.instruments.services import catalogue_load
from nyskap.organisations.models import Organisation, OrganisationKind

from ..accounts.factories import UserFactory
from ..organisations.factories import CountyFactory, OrganisationFactory

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


def make_owner_organisations() -> dict[str, Organisation]:
    """The owners by reference key, a county municipality and a county governor (who owns nothing) in Vestland."""
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


def load_catalogue() -> dict[str, Instrument]:
    """The shipped catalogue loaded (its owner organisations must exist), by slug."""
    catalogue_load()
    return {i.slug: i for i in Instrument.objects.all()}


def make_instrument_owner(organisation: Organisation) -> User:
    """An adviser with the instrument-owner role for ``organisation``."""
    user = UserFactory(email="radgiver@digdir.no", name="Rita Rådgiver")
    InstrumentOwnerRole.objects.create(user=user, organisation=organisation)
    return user
