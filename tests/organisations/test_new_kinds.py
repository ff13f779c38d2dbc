"""The kinds of central state body added with the 143-body reference data: the list, the API, the home page's
figures, and a university and a regional health trust in projects, surveys and the culture picture."""

from __future__ import annotations

import re

import pytest

from nyskap.accounts.models import Role
from nyskap.culture.national import national_picture
from nyskap.organisations.models import Organisation, OrganisationKind
from nyskap.projects.forms import PartnerForm, editable_organisations
from nyskap.projects.services import project_add_partner, project_create

from ..accounts.factories import MembershipFactory, UserFactory
from ..surveys.factories import make_round, make_version
from .factories import OrganisationFactory


@pytest.fixture
def state(db) -> dict[str, Organisation]:
    kd = OrganisationFactory(
        name="Kunnskapsdepartementet", kind=OrganisationKind.MINISTRY, county=None, population=None
    )
    hod = OrganisationFactory(
        name="Helse- og omsorgsdepartementet", kind=OrganisationKind.MINISTRY, county=None, population=None
    )
    return {
        "kd": kd,
        "ntnu": OrganisationFactory(name="NTNU", slug="ntnu", kind=OrganisationKind.UNIVERSITY, parent=kd,
                                    county=None, population=None),
        "helse_nord": OrganisationFactory(name="Helse Nord RHF", slug="helse-nord-rhf", parent=hod, county=None,
                                          kind=OrganisationKind.REGIONAL_HEALTH_TRUST, population=None),
        "datatilsynet": OrganisationFactory(name="Datatilsynet", kind=OrganisationKind.SUPERVISORY_AUTHORITY,
                                            county=None, population=None),
        "une": OrganisationFactory(name="Utlendingsnemnda", kind=OrganisationKind.TRIBUNAL, county=None,
                                   population=None),
        "riksrevisjonen": OrganisationFactory(name="Riksrevisjonen", kind=OrganisationKind.STORTING_BODY,
                                              county=None, population=None),
        "oygarden": OrganisationFactory(name="Øygarden", kind=OrganisationKind.MUNICIPALITY),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("language", "label", "count"),
    [("nb", "Universitet eller høgskole", "1 organisasjon"), ("nn", "Universitet eller høgskule", "1 organisasjon"),
     ("en", "University or university college", "1 organisation")],
)  # fmt: skip
def test_when_the_list_is_filtered_by_a_new_kind_then_it_shows_that_body_with_its_label(
    client, state, language, label, count
):
    client.cookies["django_language"] = language
    page = client.get("/organisasjoner/", {"kind": "university"}).content.decode()
    assert f'<option value="university" selected\n>{label}</option>' in page
    assert count in page and ">NTNU</a>" in page and "Helse Nord RHF" not in page


def test_when_the_api_is_asked_for_a_new_kind_then_it_filters_and_names_the_kind(client, state):
    body = client.get("/api/v1/organisations", {"kind": "regional_health_trust"}).json()
    assert [(r["slug"], r["kind"]) for r in body["results"]] == [("helse-nord-rhf", "regional_health_trust")]
    detail = client.get("/api/v1/organisations/ntnu").json()
    assert (detail["kind"], detail["parent"]["name"]) == ("university", "Kunnskapsdepartementet")


def test_when_the_home_page_counts_public_bodies_then_every_central_state_kind_counts(client, state):
    # 2 ministries, a university, a regional health trust, a supervisory authority, a tribunal, Riksrevisjonen.
    assert Organisation.objects.filter(kind__in=OrganisationKind.central_state()).count() == 7
    public = Organisation.objects.filter(kind__in=OrganisationKind.public_sector()).count()
    assert public >= 7
    page = client.get("/").content.decode()
    figure = re.search(r'offentlige virksomheter</dt><dd class="ds-heading" data-size="lg">(\d+)</dd>', page)
    assert figure is not None and int(figure.group(1)) == public


def test_when_a_university_or_health_trust_registers_a_project_then_it_owns_it_and_can_be_a_partner(state, operator):
    assert {"ntnu", "helse-nord-rhf"} <= set(editable_organisations(operator).values_list("slug", flat=True))
    editor = UserFactory(email="forsker@ntnu.no")
    MembershipFactory(user=editor, organisation=state["ntnu"], role=Role.EDITOR)
    assert list(editable_organisations(editor)) == [state["ntnu"]]
    project = project_create(
        actor=editor, owner=state["ntnu"], title="Digital oppfølging etter utskriving", need_problem="Reinnleggelser",
        need_who="Pasienter", need_today="Telefon", need_effect="Færre reinnleggelser",
    )  # fmt: skip
    assert list(project.owners.all()) == [state["ntnu"]]
    form = PartnerForm({"organisation": "helse-nord-rhf", "role": "public_body"})
    assert form.is_valid(), form.errors
    partner = project_add_partner(
        project=project, actor=editor, role="public_body", organisation=form.cleaned_data["organisation"]
    )
    assert partner.organisation == state["helse_nord"]


def test_when_a_health_trust_runs_a_survey_then_it_is_the_survey_organisation_and_a_culture_kind(state):
    admin = UserFactory(email="leder@helse-nord.no")
    MembershipFactory(user=admin, organisation=state["helse_nord"], role=Role.ADMIN)
    round = make_round(actor=admin, organisation=state["helse_nord"], version=make_version())
    assert round.organisation == state["helse_nord"]
    kinds = [row.label for row in national_picture().breakdowns[0].rows]
    assert {"Regionalt helseforetak", "Universitet eller høgskole", "Tilsyn", "Nemnd", "Ombud"} <= set(kinds)
