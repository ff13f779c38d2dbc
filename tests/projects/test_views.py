"""The project pages: search with facets, need-first creation with similar projects, detail with timeline and
reuse, phase change, edit and “we adopted this”. Each test checks the response and the database; the outsider
(an editor in another municipality) is refused everywhere a project is not theirs."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from nyskap.core.visibility import Visibility
from nyskap.projects.models import Adoption, Phase, PhaseChange, Project
from nyskap.projects.services import ProjectError, project_adopt, project_change_phase

from ..accounts.factories import editor_in
from ..helpers import english, field_error, flash
from .factories import NEED, make_project

pytestmark = pytest.mark.django_db

LIST = "/prosjekter/"
CREATE = "/prosjekter/ny/"
SIMILAR = "/prosjekter/lignende/"


def options(html: str, name: str) -> list[tuple[str, str, bool]]:
    """``(value, label, selected)`` of each option of the select ``name``."""
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert select, name
    return [
        (value, label.strip(), bool(selected))
        for value, selected, label in re.findall(r'<option value="([^"]*)"( selected)?\s*>([^<]*)</option>', select[0])
    ]


@pytest.fixture
def library(innovator, outsider, home_municipality, other_municipality):
    """Public projects in two municipalities, one for members only and one stopped."""
    welfare_tech = make_project(
        actor=innovator,
        owner=home_municipality,
        title="Velferdsteknologi i hjemmetjenesten",
        visibility=Visibility.PUBLIC,
        sector="health_care",
        novelty="copied",
        innovation_types=["service", "process"],
        need_problem="Hjemmetjenesten bruker mye tid på **medisinhåndtering** hos eldre.",
        contact_name="Siri Kontakt",
        contact_email="siri@oygarden.kommune.no",
    )
    make_project(
        actor=innovator,
        owner=home_municipality,
        title="Felles barnevernteneste",
        visibility=Visibility.PUBLIC,
        sector="welfare",
        novelty="first_of_its_kind",
    )
    make_project(
        actor=innovator,
        owner=home_municipality,
        title="Intern kladd om skulemat",
        visibility=Visibility.ORGANISATION,
        sector="education",
    )
    parking = make_project(
        actor=outsider,
        owner=other_municipality,
        title="Smart parkering",
        visibility=Visibility.PUBLIC,
        sector="transport",
        novelty="inspired_adapted",
    )
    project_change_phase(
        project=parking,
        to_phase=Phase.STOPPED,
        actor=outsider,
        stopped_reason="Sensorene virket ikke om vinteren.",
        lessons_learned="Test i alt slags vær.",
    )
    return welfare_tech


# Search


def test_when_anonymous_searches_then_only_public_projects_with_owners_and_snippets(library):
    response = english(Client()).get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Velferdsteknologi i hjemmetjenesten" in html and "Smart parkering" in html
    assert "Intern kladd om skulemat" not in html
    assert "3 projects" in html
    assert "Øygarden kommune" in html and "Bodø kommune" in html
    assert "Hjemmetjenesten bruker mye tid på" in html
    assert html.count("<h1") == 1


def test_when_a_member_searches_then_the_organisations_own_projects_are_included(library, as_colleague):
    html = english(as_colleague).get(LIST).content.decode()
    assert "Intern kladd om skulemat" in html and "4 projects" in html


def test_when_a_facet_is_chosen_then_it_is_checked_with_counts_and_narrows_the_result(library):
    html = english(Client()).get(LIST, {"sector": "health_care"}).content.decode()
    assert "1 project<" in html
    assert (
        '<input class="ds-input" type="checkbox" name="sector" value="health_care" '
        'id="facet-sector-health_care" checked>' in html
    )
    assert "Health and care (1)</label>" in html
    assert '<legend class="ds-label">Sector</legend>' in html
    assert "Smart parkering" not in html


def test_when_text_is_searched_then_matching_projects_are_found(library):
    html = english(Client()).get(LIST, {"q": "parkering"}).content.decode()
    assert "Smart parkering" in html and "Velferdsteknologi" not in html


def test_when_htmx_asks_then_only_the_results_fragment_is_returned(library):
    response = english(Client()).get(LIST, {"sector": "transport"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<h1" not in html
    assert "Smart parkering" in html and "Velferdsteknologi" not in html
    assert 'id="facet-sector-transport" checked' in html
    assert "HX-Request" in response["Vary"]


def test_when_a_filter_value_is_invalid_then_the_error_is_shown_not_a_crash(library):
    response = english(Client()).get(LIST, {"phase": "bogus", "sdg": "x"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Some of the filters could not be used:" in html
    assert "Phase: Select a valid choice. bogus is not one of the available choices." in html
    assert "0 projects" in html


def test_when_the_result_is_shown_then_spread_statistics_give_shares_and_counts(library, innovator):
    source = Project.objects.get(title="Felles barnevernteneste")
    project_adopt(
        source=source,
        actor=innovator,
        how="copied",
        adopted_on=timezone.localdate(),
        adopter_project=library,
    )
    html = english(Client()).get(LIST).content.decode()
    table = html[html.index('id="spread-statistics"') :]
    assert re.search(r"First of its kind</th>\s*<td>33 %</td>\s*<td>1</td>", table)
    assert re.search(r"Copied</th>\s*<td>33 %</td>\s*<td>1</td>", table)
    assert re.search(r"Adoptions registered</dt><dd>1</dd>", table)


def test_when_there_are_many_results_then_pages_of_twenty_keep_the_query_string(innovator, home_municipality):
    for number in range(25):
        make_project(
            actor=innovator,
            owner=home_municipality,
            title=f"Prosjekt {number:02}",
            visibility=Visibility.PUBLIC,
            sector="culture",
        )
    client = english(Client())
    first = client.get(LIST, {"sector": "culture", "sort": "title"}).content.decode()
    assert "25 projects" in first and first.count('class="ds-card project-card"') == 20
    assert 'href="?sector=culture&amp;sort=title&amp;page=2"' in first
    second = client.get(LIST, {"sector": "culture", "sort": "title", "page": "2"}).content.decode()
    assert second.count('class="ds-card project-card"') == 5 and "Prosjekt 24" in second
    assert "Prosjekt 00" not in second


def _make_many(count: int, innovator, home_municipality, other_municipality) -> None:
    for number in range(count):
        project = make_project(
            actor=innovator,
            owner=home_municipality,
            title=f"Prosjekt {number}",
            visibility=Visibility.PUBLIC,
            sector="culture",
            innovation_types=["service"],
            novelty="copied",
        )
        project.owners.add(other_municipality)


def test_when_the_library_grows_then_the_search_page_runs_the_same_number_of_queries(
    innovator, home_municipality, other_municipality, django_assert_num_queries
):
    client = Client()
    _make_many(5, innovator, home_municipality, other_municipality)
    with django_assert_num_queries(SEARCH_PAGE_QUERIES):
        assert client.get(LIST, {"sector": "culture"}).status_code == 200
    _make_many(25, innovator, home_municipality, other_municipality)
    cache.clear()  # as cold as the first time: the county choices are read again
    with django_assert_num_queries(SEARCH_PAGE_QUERIES):
        response = client.get(LIST, {"sector": "culture"})
    assert response.content.decode().count('class="ds-card project-card"') == 20


# county choices (cold cache) + facets (7) + owner facets (4) + spread (2) + page + owners of the page; the paginator's
# count comes from the spread statistics (the same number), and a repeated search takes facets and spread from the cache
SEARCH_PAGE_QUERIES = 16


# Need-first creation


def _need_post(owner, **overrides) -> dict:
    return {
        **NEED,
        "title": "Varm middag til eldre",
        "owner": owner.pk,
        "visibility": Visibility.ORGANISATION,
        "sector": "health_care",
        **overrides,
    }


def test_when_an_editor_opens_the_create_page_then_only_their_organisations_can_own_it(
    as_innovator, home_municipality, other_municipality
):
    html = english(as_innovator).get(CREATE).content.decode()
    assert [o for o in options(html, "owner") if o[0]] == [(str(home_municipality.pk), "Øygarden kommune", True)]
    assert 'hx-post="/prosjekter/lignende/"' in html and 'hx-trigger="keyup changed delay:600ms"' in html
    assert 'aria-live="polite"' in html


def test_when_a_member_without_editor_role_opens_the_create_page_then_a_friendly_403(as_colleague):
    response = english(as_colleague).get(CREATE)
    assert response.status_code == 403
    assert "Ask an administrator of your organisation to make you an editor" in response.content.decode()


def test_when_anonymous_opens_the_create_page_then_login_is_required(anonymous):
    response = anonymous.get(CREATE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_when_the_need_is_submitted_then_the_project_is_created_and_shown(as_innovator, innovator, home_municipality):
    response = english(as_innovator).post(CREATE, _need_post(home_municipality, innovation_types=["service"]))
    project = Project.objects.get(title="Varm middag til eldre")
    assert response.status_code == 302 and response["Location"] == f"/prosjekter/{project.slug}/"
    assert flash(response) == ["The project “Varm middag til eldre” has been registered."]
    assert list(project.owners.all()) == [home_municipality] and list(project.authors.all()) == [innovator]
    assert project.phase == Phase.NEED and project.visibility == Visibility.ORGANISATION
    assert project.sector == "health_care" and [t.code for t in project.innovation_types.all()] == ["service"]
    assert PhaseChange.objects.filter(project=project, to_phase=Phase.NEED, actor=innovator).count() == 1


def test_when_the_outsider_names_another_municipality_as_owner_then_refused_and_nothing_saved(
    as_outsider, home_municipality
):
    response = english(as_outsider).post(CREATE, _need_post(home_municipality))
    assert response.status_code == 400
    assert field_error(response.content.decode(), "owner") == (
        "Select a valid choice. That choice is not one of the available choices."
    )
    assert not Project.objects.filter(title="Varm middag til eldre").exists()


def test_when_a_field_is_missing_then_the_error_is_beside_it_and_the_text_is_kept(as_innovator, home_municipality):
    response = english(as_innovator).post(CREATE, _need_post(home_municipality, need_who=""))
    html = response.content.decode()
    assert response.status_code == 400
    assert field_error(html, "need_who") == "This field is required."
    assert "Eldre som bor hjemme får middag levert kald." in html
    assert Project.objects.count() == 0


def test_when_the_service_refuses_then_its_message_is_beside_the_field(as_innovator, home_municipality, monkeypatch):
    def refuse(**kwargs):
        raise ProjectError("Describe the problem – the need comes before the solution.", field="need_problem")

    monkeypatch.setattr("nyskap.projects.services.project_create", refuse)
    response = english(as_innovator).post(CREATE, _need_post(home_municipality))
    html = response.content.decode()
    assert response.status_code == 400
    assert field_error(html, "need_problem") == "Describe the problem – the need comes before the solution."
    assert "Varm middag til eldre" in html


def test_when_checking_similar_without_javascript_then_the_list_shows_and_everything_typed_is_kept(
    library, as_innovator, home_municipality
):
    data = {
        "title": "Medisiner i hjemmetjenesten",
        "need_problem": "Hjemmetjenesten bruker mye tid på medisinhåndtering; vi vurderer velferdsteknologi.",
        "need_who": "",
        "need_today": "",
        "need_effect": "",
        "owner": home_municipality.pk,
        "visibility": Visibility.NETWORK,
        "sector": "health_care",
        "innovation_types": ["service"],
        "check_similar": "1",
    }
    response = english(as_innovator).post(CREATE, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Medisiner i hjemmetjenesten"' in html
    assert "Hjemmetjenesten bruker mye tid på medisinhåndtering; vi vurderer velferdsteknologi.</textarea>" in html
    assert ("network", "Public-sector network (signed-in public bodies)", True) in options(html, "visibility")
    assert ("health_care", "Health and care", True) in options(html, "sector")
    assert re.search(r'name="innovation_types" value="service"[^>]*checked', html)
    assert "This field is required." not in html
    similar = html[html.index('id="similar-projects"') :]
    assert "Velferdsteknologi i hjemmetjenesten" in similar
    assert "Same sector: Health and care" in similar and "Same kind of innovation: Service" in similar
    assert "siri@oygarden.kommune.no" in similar
    assert Project.objects.count() == 4


def test_when_htmx_posts_a_need_then_similar_projects_come_with_reasons_including_stopped_ones(library, as_colleague):
    response = english(as_colleague).post(
        SIMILAR,
        {"title": "Parkering", "need_problem": "Smart parkering med sensorer i sentrum"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Smart parkering" in html and "Stopped" in html and "Bodø kommune" in html
    assert "Shared words: parkering" in html


def test_when_similar_projects_are_sought_then_projects_hidden_from_the_user_never_appear(library, as_outsider):
    html = english(as_outsider).post(SIMILAR, {"need_problem": "Intern kladd om skulemat"}).content.decode()
    assert "Intern kladd om skulemat" not in html


def test_when_similar_is_fetched_without_login_or_with_get_then_refused(library, as_innovator, anonymous):
    assert anonymous.post(SIMILAR, {"need_problem": "parkering"}).status_code == 302
    assert as_innovator.get(SIMILAR).status_code == 405


# Detail


def test_when_the_project_is_unknown_then_404(client):
    assert client.get("/prosjekter/finnes-ikke/").status_code == 404


@pytest.mark.parametrize("persona", ["anonymous", "as_outsider"])
def test_when_the_user_may_not_see_the_project_then_404_not_403(project, persona, request):
    client = request.getfixturevalue(persona)
    assert client.get(f"/prosjekter/{project.slug}/").status_code == 404


def test_when_a_member_reads_the_project_then_need_facts_and_timeline_are_shown(
    as_colleague, innovator, home_municipality, other_municipality
):
    project = make_project(
        actor=innovator,
        owner=home_municipality,
        title="Varm mat",
        visibility=Visibility.ORGANISATION,
        need_problem="Maten er **kald**. <script>alert(1)</script>",
        sector="health_care",
        innovation_types=["service"],
        budget="1200000",
        contact_name="Siri Kontakt",
        contact_email="siri@oygarden.kommune.no",
        is_synthetic=True,
    )
    project_change_phase(project=project, to_phase=Phase.IDEAS, actor=innovator, note="Idéverksted holdt.")
    html = english(as_colleague).get(f"/prosjekter/{project.slug}/").content.decode()
    assert html.count("<h1") == 1
    assert "Maten er <strong>kald</strong>." in html and "<script>alert(1)" not in html
    assert '<a class="ds-link" href="/organisasjoner/oygarden/">Øygarden kommune</a>' in html
    assert "<dt>Sector</dt><dd>Health and care</dd>" in html
    assert "NOK 1,200,000" in html
    assert 'href="mailto:siri@oygarden.kommune.no"' in html
    assert "Synthetic example: made-up demonstration data, not a real project." in html
    timeline = html[html.index('id="phase-timeline"') :]
    assert re.search(r"<td>Need</td>\s*<td>Ideas and concepts</td>\s*<td>Ina Innovatør</td>", timeline)
    assert "Idéverksted holdt." in timeline
    # A member sees the project but cannot change it.
    assert "Edit the project" not in html and 'id="phase-form"' not in html


def test_when_an_editor_reads_the_project_then_edit_phase_and_adopt_are_offered(as_innovator, project):
    html = english(as_innovator).get(f"/prosjekter/{project.slug}/").content.decode()
    assert f'href="/prosjekter/{project.slug}/rediger/"' in html
    assert 'id="phase-form"' in html
    assert 'name="phase" value="ideas"' in html and 'name="phase" value="stopped"' in html
    assert 'name="phase" value="spread"' not in html and 'name="phase" value="develop_test"' not in html


@pytest.fixture
def family(innovator, outsider, home_municipality, other_municipality):
    """A public source implemented on 10 January 2025; Bodø's project adopted it, a Troms body adopted Bodø's, and a
    draft nobody else may see adopted it too."""
    with time_machine.travel(datetime.datetime(2025, 1, 10, 12, tzinfo=datetime.UTC)):
        source = make_project(actor=innovator, owner=home_municipality, title="Kilden", visibility=Visibility.PUBLIC)
        for phase in (Phase.IDEAS, Phase.DEVELOP_TEST, Phase.IMPLEMENTED):
            project_change_phase(project=source, to_phase=phase, actor=innovator)
    child = make_project(actor=outsider, owner=other_municipality, title="Barnet", visibility=Visibility.PUBLIC)
    project_adopt(
        source=source, actor=outsider, how="adapted", adopted_on=datetime.date(2025, 3, 1), adopter_project=child
    )
    troms = editor_in("Tromsø kommune", county_number="55", county_name="Troms")
    grandchild = make_project(
        actor=troms, owner=troms.memberships.get().organisation, title="Barnebarnet", visibility=Visibility.PUBLIC
    )
    project_adopt(
        source=child, actor=troms, how="copied", adopted_on=datetime.date(2025, 6, 1), adopter_project=grandchild
    )
    hidden = make_project(actor=outsider, owner=other_municipality, title="Hemmelig kladd", visibility=Visibility.DRAFT)
    project_adopt(
        source=source, actor=outsider, how="copied", adopted_on=datetime.date(2025, 2, 1), adopter_project=hidden
    )
    return source


def test_when_a_project_was_adopted_then_the_family_tree_counties_and_days_are_shown(family):
    html = english(Client()).get(f"/prosjekter/{family.slug}/").content.decode()
    reuse = html[html.index('id="reuse-heading"') :]
    assert "Hemmelig kladd" not in html and "A project you cannot see" in reuse
    # Barnebarnet is nested in the list under Barnet.
    assert re.search(r">Barnet</a>[^<]*<ul class=\"ds-list\">\s*<li>\s*<a[^>]*>Barnebarnet</a>", reuse)
    assert "Adopted by 2 other public bodies." in reuse  # Bodø and Tromsø; the hidden draft is Bodø's too
    assert re.search(r"<th scope=\"row\">Nordland</th><td>1</td>", reuse)
    assert re.search(r"<th scope=\"row\">Troms</th><td>1</td>", reuse)
    chart = reuse[reuse.index('<svg class="chart__svg"') : reuse.index("</svg>")]
    assert 'role="img"' in chart and ">Adopting bodies by county</title>" in chart
    assert ">Nordland</text>" in chart and ">Troms</text>" in chart and chart.count('class="chart__bar"') == 2
    timing = reuse[reuse.index('id="adoption-timing"') :]
    assert re.search(r">Barnet</a>\s*</th>\s*<td>[^<]+</td>\s*<td>50</td>", timing)
    assert re.search(r">Barnebarnet</a>\s*</th>\s*<td>[^<]+</td>\s*<td>142</td>", timing)


def test_when_a_project_came_from_another_then_the_source_is_linked(family):
    child = Project.objects.get(title="Barnet")
    html = english(Client()).get(f"/prosjekter/{child.slug}/").content.decode()
    came_from = html[html.index("Came from") :]
    assert f'<a class="ds-link" href="/prosjekter/{family.slug}/">Kilden</a> – adapted' in came_from


# Phase change


def test_when_an_editor_moves_the_project_forward_then_the_timeline_records_it(as_innovator, innovator, project):
    response = english(as_innovator).post(f"/prosjekter/{project.slug}/fase/", {"phase": "ideas", "note": "Klar."})
    project.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == f"/prosjekter/{project.slug}/"
    assert project.phase == Phase.IDEAS
    assert flash(response) == ["The project is now in the phase Ideas and concepts."]
    change = project.phase_changes.get(to_phase=Phase.IDEAS)
    assert (change.from_phase, change.actor, change.note) == (Phase.NEED, innovator, "Klar.")


def test_when_stopping_without_a_reason_then_the_refusal_is_beside_the_field(as_innovator, project):
    response = english(as_innovator).post(
        f"/prosjekter/{project.slug}/fase/", {"phase": "stopped", "lessons_learned": "Vi lærte mye."}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert field_error(html, "stopped_reason") == "Say why the project is stopped."
    assert "Vi lærte mye.</textarea>" in html
    project.refresh_from_db()
    assert project.phase == Phase.NEED and project.phase_changes.count() == 1


def test_when_stopping_without_lessons_then_the_service_asks_for_them(as_innovator, project):
    response = english(as_innovator).post(
        f"/prosjekter/{project.slug}/fase/", {"phase": "stopped", "stopped_reason": "Ingen penger."}
    )
    assert response.status_code == 400
    assert field_error(response.content.decode(), "lessons_learned") == (
        "Share what was learned before you stop the project – also what did not work."
    )
    project.refresh_from_db()
    assert project.phase == Phase.NEED


def test_when_stopping_with_reason_and_lessons_then_the_project_is_stopped(as_innovator, project):
    response = as_innovator.post(
        f"/prosjekter/{project.slug}/fase/",
        {"phase": "stopped", "stopped_reason": "Ingen penger.", "lessons_learned": "Søk midler tidlig."},
    )
    project.refresh_from_db()
    assert response.status_code == 302
    assert (project.phase, project.stopped_reason, project.lessons_learned) == (
        Phase.STOPPED,
        "Ingen penger.",
        "Søk midler tidlig.",
    )


def test_when_a_phase_not_allowed_next_is_posted_then_refused_and_unchanged(as_innovator, project):
    response = english(as_innovator).post(f"/prosjekter/{project.slug}/fase/", {"phase": "spread"})
    assert response.status_code == 400
    assert field_error(response.content.decode(), "phase") == (
        "Select a valid choice. spread is not one of the available choices."
    )
    project.refresh_from_db()
    assert project.phase == Phase.NEED


@pytest.mark.parametrize(("persona", "status"), [("as_outsider", 404), ("as_colleague", 403)])
def test_when_someone_who_cannot_edit_changes_the_phase_then_refused_and_unchanged(project, persona, status, request):
    client = request.getfixturevalue(persona)
    response = client.post(f"/prosjekter/{project.slug}/fase/", {"phase": "ideas"})
    assert response.status_code == status
    project.refresh_from_db()
    assert project.phase == Phase.NEED and project.phase_changes.count() == 1


def test_when_the_phase_url_is_fetched_with_get_then_405(as_innovator, project):
    assert as_innovator.get(f"/prosjekter/{project.slug}/fase/").status_code == 405


# Edit


def test_when_an_editor_edits_then_the_form_is_prefilled_and_the_change_saved(as_innovator, project):
    client = english(as_innovator)
    html = client.get(f"/prosjekter/{project.slug}/rediger/").content.decode()
    assert 'value="Varm mat"' in html and "Eldre som bor hjemme får middag levert kald.</textarea>" in html
    assert 'name="is_synthetic"' not in html
    data = {
        **NEED,
        "title": "Varm mat hver dag",
        "effects_measurement": "internal",
        "visibility": Visibility.PUBLIC,
        "sdgs": ["3", "11"],
        "budget": "250000",
        "lessons_learned": "Start smått.",
    }
    response = client.post(f"/prosjekter/{project.slug}/rediger/", data)
    assert response.status_code == 302 and flash(response) == ["The project has been saved."]
    project.refresh_from_db()
    assert project.title == "Varm mat hver dag" and project.visibility == Visibility.PUBLIC
    assert sorted(g.number for g in project.sdgs.all()) == [3, 11]
    assert str(project.budget) == "250000.00" and project.lessons_learned == "Start smått."


def test_when_the_end_is_before_the_start_then_the_services_message_is_beside_the_field(as_innovator, project):
    data = {
        **NEED,
        "title": "Varm mat",
        "effects_measurement": "none",
        "visibility": Visibility.ORGANISATION,
        "start_date": "2025-05-01",
        "end_date": "2025-04-01",
    }
    response = english(as_innovator).post(f"/prosjekter/{project.slug}/rediger/", data)
    assert response.status_code == 400
    assert field_error(response.content.decode(), "end_date") == "The end date cannot be before the start date."
    project.refresh_from_db()
    assert project.start_date is None


@pytest.mark.parametrize(("persona", "status"), [("as_outsider", 404), ("as_colleague", 403)])
def test_when_someone_who_cannot_edit_tries_then_refused_and_unchanged(project, persona, status, request):
    client = request.getfixturevalue(persona)
    assert client.get(f"/prosjekter/{project.slug}/rediger/").status_code == status
    data = {**NEED, "title": "Kapret", "effects_measurement": "none", "visibility": Visibility.PUBLIC}
    assert client.post(f"/prosjekter/{project.slug}/rediger/", data).status_code == status
    project.refresh_from_db()
    assert project.title == "Varm mat" and project.visibility == Visibility.ORGANISATION


# Adopt


@pytest.fixture
def public_project(innovator, home_municipality) -> Project:
    return make_project(
        actor=innovator, owner=home_municipality, title="Digital postkasse", visibility=Visibility.PUBLIC
    )


@pytest.fixture
def outsiders_project(outsider, other_municipality) -> Project:
    return make_project(actor=outsider, owner=other_municipality, title="Bodøs postkasse")


def test_when_an_editor_adopts_with_their_project_then_the_adoption_is_recorded(
    public_project, outsiders_project, as_outsider, outsider
):
    client = english(as_outsider)
    html = client.get(f"/prosjekter/{public_project.slug}/gjenbruk/").content.decode()
    assert [o for o in options(html, "adopter_project") if o[0]] == [
        (str(outsiders_project.pk), "Bodøs postkasse", False)
    ]
    response = client.post(
        f"/prosjekter/{public_project.slug}/gjenbruk/",
        {"adopter_project": outsiders_project.pk, "how": "adapted", "adopted_on": "2025-03-01", "note": "Takk!"},
    )
    assert response.status_code == 302 and response["Location"] == f"/prosjekter/{public_project.slug}/"
    assert flash(response) == ["Registered: Bodøs postkasse adopted “Digital postkasse”."]
    adoption = Adoption.objects.get()
    assert (adoption.adopting_project, adoption.how, adoption.adopted_on, adoption.note, adoption.created_by) == (
        outsiders_project,
        "adapted",
        datetime.date(2025, 3, 1),
        "Takk!",
        outsider,
    )


def test_when_an_organisation_adopts_without_a_project_then_it_is_recorded(
    public_project, as_outsider, other_municipality
):
    response = as_outsider.post(
        f"/prosjekter/{public_project.slug}/gjenbruk/",
        {"adopter_organisation": other_municipality.pk, "how": "copied", "adopted_on": "2025-03-01"},
    )
    assert response.status_code == 302
    assert Adoption.objects.get().adopting_organisation == other_municipality


def test_when_the_adoption_is_already_registered_then_the_services_message_is_shown(
    public_project, outsiders_project, as_outsider, outsider
):
    project_adopt(
        source=public_project,
        actor=outsider,
        how="copied",
        adopted_on=datetime.date(2025, 1, 1),
        adopter_project=outsiders_project,
    )
    response = english(as_outsider).post(
        f"/prosjekter/{public_project.slug}/gjenbruk/",
        {"adopter_project": outsiders_project.pk, "how": "adapted", "adopted_on": "2025-03-01"},
    )
    assert response.status_code == 400
    assert field_error(response.content.decode(), "adopter_project") == "This adoption is already registered."
    assert Adoption.objects.count() == 1


def test_when_the_adoption_date_is_in_the_future_then_refused(public_project, outsiders_project, as_outsider):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = english(as_outsider).post(
        f"/prosjekter/{public_project.slug}/gjenbruk/",
        {"adopter_project": outsiders_project.pk, "how": "adapted", "adopted_on": tomorrow.isoformat()},
    )
    assert response.status_code == 400
    assert field_error(response.content.decode(), "adopted_on") == "The adoption date cannot be in the future."
    assert Adoption.objects.count() == 0


def test_when_neither_or_both_adopters_are_chosen_then_the_form_says_so(
    public_project, outsiders_project, other_municipality, as_outsider
):
    client = english(as_outsider)
    url = f"/prosjekter/{public_project.slug}/gjenbruk/"
    neither = client.post(url, {"how": "adapted", "adopted_on": "2025-03-01"})
    both = client.post(
        url,
        {
            "adopter_project": outsiders_project.pk,
            "adopter_organisation": other_municipality.pk,
            "how": "adapted",
            "adopted_on": "2025-03-01",
        },
    )
    for response in (neither, both):
        assert response.status_code == 400
        assert field_error(response.content.decode(), "adopter_project") == (
            "Choose either the adopting project or the adopting organisation."
        )
    assert Adoption.objects.count() == 0


def test_when_a_member_who_can_edit_no_adopter_tries_to_adopt_then_403(public_project, as_colleague):
    assert as_colleague.get(f"/prosjekter/{public_project.slug}/gjenbruk/").status_code == 403
    response = as_colleague.post(
        f"/prosjekter/{public_project.slug}/gjenbruk/",
        {"adopter_organisation": public_project.owners.get().pk, "how": "copied", "adopted_on": "2025-03-01"},
    )
    assert response.status_code == 403
    assert Adoption.objects.count() == 0


def test_when_the_outsider_tries_to_adopt_a_project_they_cannot_see_then_404(project, outsiders_project, as_outsider):
    response = as_outsider.post(
        f"/prosjekter/{project.slug}/gjenbruk/",
        {"adopter_project": outsiders_project.pk, "how": "copied", "adopted_on": "2025-03-01"},
    )
    assert response.status_code == 404
    assert as_outsider.get(f"/prosjekter/{project.slug}/gjenbruk/").status_code == 404
    assert Adoption.objects.count() == 0


def test_when_the_outsider_tries_to_adopt_with_someone_elses_project_then_refused(public_project, project, as_outsider):
    response = english(as_outsider).post(
        f"/prosjekter/{public_project.slug}/gjenbruk/",
        {"adopter_project": project.pk, "how": "copied", "adopted_on": "2025-03-01"},
    )
    assert response.status_code == 400
    assert field_error(response.content.decode(), "adopter_project") == (
        "Select a valid choice. That choice is not one of the available choices."
    )
    assert Adoption.objects.count() == 0


# CSRF


@pytest.mark.parametrize("suffix", ["fase/", "rediger/", "gjenbruk/"])
def test_when_a_post_has_no_csrf_token_then_refused(project, innovator, suffix):
    client = Client(enforce_csrf_checks=True)
    client.force_login(innovator)
    assert client.post(f"/prosjekter/{project.slug}/{suffix}", {"phase": "ideas"}).status_code == 403
    assert client.post(CREATE, _need_post(project.owners.get())).status_code == 403
    assert client.post(SIMILAR, {"need_problem": "varm mat"}).status_code == 403
    project.refresh_from_db()
    assert project.phase == Phase.NEED and Project.objects.count() == 1


def test_when_anonymous_visitors_repeat_a_search_then_the_page_is_served_from_the_cache_until_a_project_changes(
    public_project, innovator, home_municipality, django_assert_max_num_queries
):
    from tests.projects.factories import make_project

    first = english(Client()).get(LIST, {"sector": "health_care"})
    assert first.status_code == 200
    with django_assert_max_num_queries(0):
        again = english(Client()).get(LIST, {"sector": "health_care"})
    assert again.content == first.content
    make_project(actor=innovator, owner=home_municipality, title="Ny kantine", visibility=Visibility.PUBLIC)
    fresh = english(Client()).get(LIST)
    assert "Ny kantine" in fresh.content.decode()


def test_when_a_member_searches_then_their_page_is_never_taken_from_the_anonymous_cache(
    public_project, as_colleague, project
):
    english(Client()).get(LIST)  # fills the anonymous cache
    html = english(as_colleague).get(LIST).content.decode()
    assert project.title in html  # the organisation-only project the anonymous page does not have


# Partners and funding


def test_when_an_editor_adds_a_registered_partner_and_a_free_text_partner_then_both_are_listed(
    as_innovator, project, other_municipality
):
    url = f"/prosjekter/{project.slug}/partnere/"
    response = english(as_innovator).post(
        url, {"partner-organisation": other_municipality.organisation_number, "partner-role": "public_body"}
    )
    assert response.status_code == 302
    english(as_innovator).post(url, {"partner-name": "Pensjonistforeningen", "partner-role": "voluntary"})
    partners = list(project.partners.order_by("pk").values_list("organisation__name", "name", "role"))
    assert partners == [("Bodø kommune", "", "public_body"), (None, "Pensjonistforeningen", "voluntary")]
    html = english(as_innovator).get(f"/prosjekter/{project.slug}/").content.decode()
    assert "Pensjonistforeningen" in html and "Bodø kommune" in html


def test_when_the_partner_organisation_is_unknown_then_the_error_is_shown_and_nothing_is_added(as_innovator, project):
    response = english(as_innovator).post(
        f"/prosjekter/{project.slug}/partnere/", {"partner-organisation": "123456789", "partner-role": "business"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "No organisation has that organisation number or address name." in html
    assert 'value="123456789"' in html  # what was typed is kept
    assert project.partners.count() == 0


def test_when_an_editor_adds_funding_then_it_is_listed_and_a_negative_amount_is_refused(as_innovator, project):
    url = f"/prosjekter/{project.slug}/finansiering/"
    ok = english(as_innovator).post(
        url, {"funding-source_name": "Skjønnsmidler", "funding-amount": "250000", "funding-year": "2025"}
    )
    assert ok.status_code == 302
    bad = english(as_innovator).post(url, {"funding-source_name": "Gave", "funding-amount": "-5"})
    assert bad.status_code == 400 and "Ensure this value is greater than or equal to 0." in bad.content.decode()
    assert list(project.funding_sources.values_list("source_name", "amount", "year")) == [
        ("Skjønnsmidler", Decimal("250000.00"), 2025)
    ]


@pytest.mark.parametrize(("client_fixture", "status"), [("as_colleague", 403), ("as_outsider", 404)])
def test_when_someone_who_cannot_edit_adds_a_partner_or_funding_then_it_is_refused(
    client_fixture, status, project, request
):
    # The colleague may read the project but not edit it (403); to the outsider it does not exist (404).
    client = request.getfixturevalue(client_fixture)
    partner = client.post(f"/prosjekter/{project.slug}/partnere/", {"partner-name": "X", "partner-role": "business"})
    funding = client.post(
        f"/prosjekter/{project.slug}/finansiering/", {"funding-source_name": "X", "funding-amount": "1"}
    )
    assert (partner.status_code, funding.status_code) == (status, status)
    assert project.partners.count() == 0 and project.funding_sources.count() == 0


def test_when_an_editor_opens_the_project_then_the_change_history_shows_who_changed_what(
    as_innovator, innovator, project, as_colleague
):
    # Changes through a request get their actor from the audit middleware; here the service runs directly.
    from auditlog.context import set_actor

    from nyskap.projects.services import project_update

    with set_actor(innovator):
        project_update(project=project, actor=innovator, description="Ny beskrivelse", service_area="Omsorg")
    html = english(as_innovator).get(f"/prosjekter/{project.slug}/").content.decode()
    history = html[html.index('id="change-history"') : html.index("</table>", html.index('id="change-history"'))]
    assert "Ina Innovatør" in history and "Description" in history and "Service area" in history
    # A member who cannot edit does not see the history.
    assert 'id="change-history"' not in english(as_colleague).get(f"/prosjekter/{project.slug}/").content.decode()


# Attachments


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_when_an_editor_attaches_a_file_then_viewers_can_download_it_and_outsiders_cannot(
    as_innovator, as_colleague, as_outsider, project
):
    url = f"/prosjekter/{project.slug}/vedlegg/"
    response = english(as_innovator).post(
        url, {"attachment-file": _upload("Rapport 2025.pdf", b"%PDF-1.7 rapport"), "attachment-title": "Sluttrapport"}
    )
    assert response.status_code == 302
    attachment = project.attachments.get()
    assert (attachment.title, attachment.size, attachment.filename) == ("Sluttrapport", 16, "rapport-2025.pdf")
    download = as_colleague.get(f"/prosjekter/{project.slug}/vedlegg/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.7 rapport"
    assert download["Content-Disposition"] == 'attachment; filename="rapport-2025.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert as_outsider.get(f"/prosjekter/{project.slug}/vedlegg/{attachment.pk}/").status_code == 404
    assert Client().get(f"/prosjekter/{project.slug}/vedlegg/{attachment.pk}/").status_code == 404


def test_when_the_file_type_is_not_allowed_then_it_is_refused_beside_the_field(as_innovator, project):
    response = english(as_innovator).post(
        f"/prosjekter/{project.slug}/vedlegg/", {"attachment-file": _upload("virus.exe", b"MZ")}
    )
    assert response.status_code == 400
    assert "Files of this type cannot be attached." in response.content.decode()
    assert project.attachments.count() == 0


def test_when_a_member_who_cannot_edit_uploads_or_removes_then_it_is_refused(as_innovator, as_colleague, project):
    english(as_innovator).post(f"/prosjekter/{project.slug}/vedlegg/", {"attachment-file": _upload("a.txt", b"hei")})
    attachment = project.attachments.get()
    upload = as_colleague.post(f"/prosjekter/{project.slug}/vedlegg/", {"attachment-file": _upload("b.txt", b"x")})
    remove = as_colleague.post(f"/prosjekter/{project.slug}/vedlegg/{attachment.pk}/slett/")
    assert (upload.status_code, remove.status_code) == (403, 403)
    assert list(project.attachments.values_list("title", flat=True)) == ["a.txt"]
    assert english(as_innovator).post(f"/prosjekter/{project.slug}/vedlegg/{attachment.pk}/slett/").status_code == 302
    assert project.attachments.count() == 0


def test_when_an_operator_without_memberships_registers_a_project_then_any_public_body_can_own_it(
    as_operator, operator, other_municipality
):
    page = english(as_operator).get("/prosjekter/ny/")
    assert page.status_code == 200 and f'value="{other_municipality.pk}"' in page.content.decode()
    response = english(as_operator).post(
        "/prosjekter/ny/",
        {**NEED, "title": "Drift registrerer", "owner": other_municipality.pk, "visibility": Visibility.PUBLIC},
    )
    assert response.status_code == 302
    created = Project.objects.get(title="Drift registrerer")
    assert list(created.owners.all()) == [other_municipality] and list(created.authors.all()) == [operator]


def test_when_a_search_lists_a_project_then_its_card_escapes_every_stored_text(anonymous, innovator, home_municipality):
    home_municipality.name = "Kommune <b>fet</b>"
    home_municipality.save()
    project = make_project(
        actor=innovator,
        owner=home_municipality,
        title="Kaldt vann <img src=x onerror=alert(1)>",
        visibility=Visibility.PUBLIC,
        need_problem="Rørene fryser & <script>alert(2)</script> om vinteren.",
        sector="health_care",
    )
    html = anonymous.get("/prosjekter/", {"q": "kaldt vann"}, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    card = html[html.index('<li class="ds-card project-card">') :]
    card = card[: card.index("</li>") + 5]
    assert card == (
        '<li class="ds-card project-card"><h3 class="ds-heading" data-size="xs">'
        f'<a class="ds-link" href="/prosjekter/{project.slug}/">Kaldt vann &lt;img src=x onerror=alert(1)&gt;</a></h3>'
        '<p class="ds-paragraph project-card__owners" data-size="sm">Kommune &lt;b&gt;fet&lt;/b&gt;</p>'
        '<p class="ds-paragraph" data-size="sm">'
        "Rørene fryser &amp; &lt;script&gt;alert(2)&lt;/script&gt; om vinteren.</p>"
        '<dl class="facts project-card__facts">'
        "<dt>Fase</dt><dd>Behov</dd><dt>Sektor</dt><dd>Helse og omsorg</dd></dl></li>"
    )


def test_when_a_county_is_renamed_then_the_search_filters_show_the_new_name(anonymous, innovator, home_municipality):
    make_project(actor=innovator, owner=home_municipality, title="Fylkesprosjekt", visibility=Visibility.PUBLIC)
    county = home_municipality.county
    first = anonymous.get("/prosjekter/", HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert f">{county.name} (1)</label>" in first
    county.name = "Nytt fylkesnavn"
    county.save()
    second = anonymous.get("/prosjekter/", HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert ">Nytt fylkesnavn (1)</label>" in second
