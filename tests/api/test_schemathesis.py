"""Property-based contract test: schemathesis generates requests from the live OpenAPI schema and checks that no
operation fails on the server and every response matches its documented schema."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from tests.factories import CountyFactory, OrganisationFactory

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def _organisations(db):
    county = CountyFactory(number="46", name="Vestland", official_name="Vestland")
    for index, kind in enumerate(["municipality", "state_agency", "ministry", "company"]):
        OrganisationFactory(name=f"Organisasjon {index}", slug=f"organisasjon-{index}", kind=kind, county=county)


@pytest.mark.django_db
@pytest.mark.usefixtures("_organisations")
@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_when_the_api_is_called_with_generated_requests_then_it_keeps_its_contract(case):
    case.call_and_validate()
