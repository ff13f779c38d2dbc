"""Supplier accounts: a user registers the company they answer public needs for (organisation number checked with
MOD11), sees it on their page and may remove it; a supplier gets no rights in any public body."""

from __future__ import annotations

import pytest
from django.test import Client

from nyskap.accounts.models import Membership, SupplierProfile
from nyskap.core.permissions import can_edit, is_editor_of, is_public_body_member, may_administer
from nyskap.core.visibility import Visibility
from nyskap.projects.models import Project
from tests.accounts.factories import SupplierProfileFactory, UserFactory
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db

VALID = {
    "company_name": "  Varm Lunsj AS ",
    "organisation_number": "123 456 785",
    "kind": "social_enterprise",
    "contact_email": "post@varmlunsj.no",
    "contact_phone": "+47 912 34 567",
    "website": "varmlunsj.no",
}


@pytest.fixture
def person() -> object:
    return UserFactory(email="siri@varmlunsj.no", phone="55 55 55 55")


@pytest.fixture
def as_person(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def supplier(home_municipality) -> object:
    return SupplierProfileFactory(user=UserFactory(email="tilbyder@firma.no")).user


def test_when_a_person_without_a_profile_opens_the_form_then_it_offers_their_own_contact_details(as_person):
    response = as_person.get("/konto/leverandor/")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial == {"contact_email": "siri@varmlunsj.no", "contact_phone": "55 55 55 55"}
    assert "Remove supplier profile" not in response.text


def test_when_the_form_is_sent_then_the_profile_is_saved_normalised_and_shown_on_my_page(person, as_person):
    response = as_person.post("/konto/leverandor/", VALID)
    assert response.status_code == 302
    assert response["Location"] == "/konto/"
    profile = SupplierProfile.objects.get(user=person)
    assert (profile.company_name, profile.organisation_number, profile.kind) == (
        "Varm Lunsj AS",
        "123456785",
        "social_enterprise",
    )
    assert (profile.contact_email, profile.contact_phone, profile.website) == (
        "post@varmlunsj.no",
        "+47 912 34 567",
        "https://varmlunsj.no",
    )
    page = as_person.get("/konto/").content.decode()
    assert "Varm Lunsj AS" in page and "123456785" in page and "Social entrepreneur" in page
    assert not Membership.objects.filter(user=person).exists()


def test_when_the_profile_is_sent_again_then_the_one_profile_is_changed(person, as_person):
    as_person.post("/konto/leverandor/", VALID)
    response = as_person.get("/konto/leverandor/")
    assert response.context["form"].initial["organisation_number"] == "123456785"
    assert as_person.post("/konto/leverandor/", {**VALID, "company_name": "Kald Lunsj AS"}).status_code == 302
    assert list(SupplierProfile.objects.values_list("user", "company_name")) == [(person.pk, "Kald Lunsj AS")]


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("123456784", "The check digit of “123456784” is wrong (MOD11)"),
        ("12345678", "An organisation number has 9 digits; “12345678” has 8."),
        ("12345678A", "An organisation number may only contain digits"),
        ("", "This field is required."),
    ],
)
def test_when_the_organisation_number_is_wrong_then_the_field_says_why_and_nothing_is_saved(as_person, number, message):
    response = as_person.post("/konto/leverandor/", {**VALID, "organisation_number": number})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["organisation_number"]
    assert errors["organisation_number"][0].startswith(message)
    assert 'value="  Varm Lunsj AS "' in response.text or 'value="Varm Lunsj AS"' in response.text
    assert SupplierProfile.objects.count() == 0


def test_when_the_other_fields_are_wrong_then_each_names_its_field(as_person):
    response = as_person.post(
        "/konto/leverandor/",
        {"company_name": "   ", "organisation_number": "123456785", "kind": "bank", "contact_email": "post",
         "contact_phone": "ring meg", "website": "ikke en adresse"},
    )  # fmt: skip
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"company_name", "kind", "contact_email", "contact_phone", "website"}
    assert SupplierProfile.objects.count() == 0


def test_when_the_profile_is_removed_then_it_is_gone_and_removing_takes_a_post(supplier):
    client = Client()
    client.force_login(supplier)
    assert "Remove supplier profile" in client.get("/konto/leverandor/").text
    assert client.get("/konto/leverandor/fjern/").status_code == 405
    assert SupplierProfile.objects.filter(user=supplier).exists()
    response = client.post("/konto/leverandor/fjern/")
    assert (response.status_code, response["Location"]) == (302, "/konto/")
    assert not SupplierProfile.objects.filter(user=supplier).exists()
    assert "Register as a supplier" in client.get("/konto/").text


def test_when_anonymous_opens_the_supplier_form_then_they_are_sent_to_log_in():
    response = Client().post("/konto/leverandor/", VALID)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert SupplierProfile.objects.count() == 0


def test_when_a_user_is_deleted_then_the_supplier_profile_goes_with_it(supplier):
    supplier.delete()
    assert SupplierProfile.objects.count() == 0


# A supplier has no rights in any public body.


def test_the_permission_rules_give_a_supplier_nothing_in_a_public_body(supplier, home_municipality, innovator):
    project = make_project(actor=innovator, owner=home_municipality, visibility=Visibility.PUBLIC)
    assert not is_public_body_member(supplier)
    assert not is_editor_of(supplier, home_municipality)
    assert not may_administer(supplier, home_municipality)
    assert not can_edit(supplier, project)


def test_when_a_supplier_tries_editor_and_leader_actions_then_each_is_refused_and_nothing_changes(
    supplier, home_municipality, innovator
):
    project = make_project(actor=innovator, owner=home_municipality, visibility=Visibility.PUBLIC)
    client = Client()
    client.force_login(supplier)
    slug = project.slug
    # Editor actions on a public project of the municipality.
    assert client.get(f"/prosjekter/{slug}/").status_code == 200  # reading what is public is fine
    assert client.get(f"/prosjekter/{slug}/rediger/").status_code == 403
    assert client.post(f"/prosjekter/{slug}/rediger/", {"title": "Kapret"}).status_code == 403
    assert client.post(f"/prosjekter/{slug}/partnere/", {"name": "Leverandøren AS"}).status_code == 403
    assert client.get("/prosjekter/ny/").status_code == 403
    assert client.get(f"/gevinster/prosjekt/{slug}/ny/").status_code in (403, 404)
    # Leader actions in the municipality.
    assert client.get("/konto/organisasjoner/oygarden/medlemmer/").status_code == 403
    assert client.post("/konto/organisasjoner/oygarden/invitasjoner/", {"email": "meg@firma.no"}).status_code == 403
    assert client.get("/undersokelser/ny/oygarden/").status_code == 403
    project.refresh_from_db()
    assert project.title == "Varm mat"
    assert project.partners.count() == 0
    assert not Membership.objects.filter(user=supplier).exists()
    assert Project.objects.count() == 1
