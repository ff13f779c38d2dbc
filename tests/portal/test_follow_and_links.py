"""Follow buttons on projects, sectors, organisations and searches; the import link for editors."""

from __future__ import annotations

import pytest

from nyskap.core.visibility import Visibility
from nyskap.projects.models import Sector, Subscription, SubscriptionKind

from ..projects.factories import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_project(innovator, home_municipality):
    return make_project(
        actor=innovator,
        owner=home_municipality,
        title="Varm mat",
        visibility=Visibility.PUBLIC,
        sector=Sector.HEALTH_CARE,
    )


def test_when_a_member_follows_a_project_from_its_page_then_the_button_turns_to_stop(
    as_colleague, colleague, public_project
):
    page = as_colleague.get(f"/prosjekter/{public_project.slug}/").content.decode()
    assert 'name="kind" value="project"' in page and f'name="target" value="{public_project.slug}"' in page
    assert "Følg dette prosjektet" in page
    assert "Følg Helse og omsorg" in page
    response = as_colleague.post(
        "/prosjekter/folg/ny/",
        {"kind": "project", "target": public_project.slug, "next": f"/prosjekter/{public_project.slug}/"},
    )
    assert response.status_code == 302 and response["Location"] == f"/prosjekter/{public_project.slug}/"
    assert list(Subscription.objects.filter(user=colleague).values_list("kind", "project__slug")) == [
        (SubscriptionKind.PROJECT, public_project.slug)
    ]
    page = as_colleague.get(f"/prosjekter/{public_project.slug}/").content.decode()
    assert "Følger dette prosjektet – slutt å følge" in page
    as_colleague.post("/prosjekter/folg/ny/", {"kind": "sector", "target": Sector.HEALTH_CARE, "next": "/"})
    assert Subscription.objects.filter(user=colleague, kind=SubscriptionKind.SECTOR, sector="health_care").count() == 1


def test_when_anonymous_opens_a_project_then_the_follow_button_asks_to_log_in(anonymous, public_project):
    page = anonymous.get(f"/prosjekter/{public_project.slug}/").content.decode()
    assert "Logg inn for å følge dette prosjektet" in page
    assert 'action="/prosjekter/folg/ny/"' not in page


def test_when_an_organisation_page_is_opened_then_it_has_a_follow_button_and_only_visible_projects(
    as_outsider, as_colleague, innovator, home_municipality, public_project
):
    make_project(actor=innovator, owner=home_municipality, title="Intern pilot", visibility=Visibility.ORGANISATION)
    own = as_colleague.get("/organisasjoner/oygarden/").content.decode()
    assert "Følg Øygarden kommune" in own and 'name="kind" value="organisation"' in own
    assert "Varm mat" in own and "Intern pilot" in own
    outside = as_outsider.get("/organisasjoner/oygarden/").content.decode()
    assert "Varm mat" in outside and "Intern pilot" not in outside


def test_when_a_search_has_words_then_it_can_be_followed_and_an_htmx_update_swaps_the_button(
    as_colleague, public_project
):
    page = as_colleague.get("/prosjekter/?q=mat&sort=relevance").content.decode()
    assert 'name="kind" value="search"' in page and 'name="target" value="q=mat"' in page
    assert "Følg dette søket" in page
    fragment = as_colleague.get("/prosjekter/?q=suppe", HTTP_HX_REQUEST="true").content.decode()
    assert 'id="follow-search" class="follow-search" hx-swap-oob="true"' in fragment
    assert 'name="target" value="q=suppe"' in fragment
    bare = as_colleague.get("/prosjekter/").content.decode()
    assert 'name="kind" value="search"' not in bare


def test_when_an_editor_opens_the_project_list_then_import_is_linked_and_a_member_sees_no_link(
    as_innovator, as_colleague, public_project
):
    assert 'href="/prosjekter/overforing/import/"' in as_innovator.get("/prosjekter/").content.decode()
    assert 'href="/prosjekter/overforing/import/"' not in as_colleague.get("/prosjekter/").content.decode()
    assert as_colleague.get("/prosjekter/overforing/import/").status_code == 403
