"""The project library's open API: reads by visibility, writes through the services, the one error shape."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest
import time_machine

from nyskap.core.visibility import Visibility
from nyskap.projects.models import Adoption, Phase, PhaseChange, Project

from .. import helpers
from ..helpers import EN
from ..helpers import api_error as error
from .factories import NEED, make_project

pytestmark = pytest.mark.django_db

OSLO = dt.timezone(dt.timedelta(hours=1))
FROZEN = dt.datetime(2025, 3, 4, 10, 0, tzinfo=OSLO)
FROZEN_JSON = "2025-03-04T09:00:00Z"

# API tokens whose requests ask for English.
bearer = partial(helpers.bearer, **EN)


@pytest.fixture
def library(innovator, outsider, home_municipality, other_municipality):
    with time_machine.travel(FROZEN, tick=False):
        public = make_project(
            actor=innovator,
            owner=home_municipality,
            title="Varm mat",
            visibility=Visibility.PUBLIC,
            sector="health_care",
            innovation_types=["service"],
            degree="incremental",
            novelty="inspired_adapted",
            sdgs=[3],
            budget="250000",
            start_date=dt.date(2024, 9, 1),
        )
        internal = make_project(
            actor=innovator,
            owner=home_municipality,
            title="Intern velferdsteknologi",
            visibility=Visibility.ORGANISATION,
            sector="welfare",
        )
        bodo = make_project(
            actor=outsider,
            owner=other_municipality,
            title="Digital skoleskyss",
            visibility=Visibility.PUBLIC,
            need_problem="Skolebarn venter lenge på bussen om vinteren.",
            need_who="Elever med rett til skoleskyss.",
            need_today="Papirkort og faste ruter.",
            need_effect="Kortere ventetid og tryggere skolevei.",
        )
    return {"public": public, "internal": internal, "bodo": bodo}


# Reads


def test_when_anonymous_lists_projects_then_only_public_ones_come_in_the_page_shape(client, library):
    response = client.get("/api/v1/projects?sort=title", **EN)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2 and body["next"] is None and body["previous"] is None
    assert [p["slug"] for p in body["results"]] == ["digital-skoleskyss", "varm-mat"]
    assert body["results"][1] == {
        "slug": "varm-mat",
        "title": "Varm mat",
        "url": "http://testserver/prosjekter/varm-mat/",
        "owners": [{"slug": "oygarden", "name": "Øygarden kommune"}],
        "phase": "need",
        "visibility": "public",
        "sector": "health_care",
        "innovation_types": ["service"],
        "degree": "incremental",
        "novelty": "inspired_adapted",
        "start_date": "2024-09-01",
        "end_date": None,
        "updated_at": FROZEN_JSON,
        "match": None,
        "missing_words": [],
    }


def test_when_a_member_lists_with_a_token_then_organisation_projects_are_included(client, library, colleague):
    response = client.get("/api/v1/projects?sort=title", **bearer(colleague))
    assert [p["slug"] for p in response.json()["results"]] == [
        "digital-skoleskyss",
        "intern-velferdsteknologi",
        "varm-mat",
    ]


def test_when_the_outsider_lists_with_a_token_then_the_organisation_project_is_not_shown(client, library, outsider):
    response = client.get("/api/v1/projects", **bearer(outsider))
    assert sorted(p["slug"] for p in response.json()["results"]) == ["digital-skoleskyss", "varm-mat"]


def test_when_a_wrong_token_is_sent_to_a_read_then_it_is_refused_not_downgraded(client, library):
    response = client.get("/api/v1/projects", HTTP_AUTHORIZATION="Bearer nsk_wrong")
    assert response.status_code == 401
    assert response.json() == error(401, "not_authenticated", "A valid API token is required.")


def test_when_filters_are_repeated_then_values_of_one_filter_are_alternatives(client, library, colleague):
    auth = bearer(colleague)
    both = client.get("/api/v1/projects?sector=health_care&sector=welfare&sort=title", **auth).json()
    assert [p["slug"] for p in both["results"]] == ["intern-velferdsteknologi", "varm-mat"]
    narrowed = client.get("/api/v1/projects?sector=health_care&sector=welfare&county=18", **auth).json()
    assert narrowed["count"] == 0
    by_county = client.get("/api/v1/projects?county=18", **auth).json()
    assert [p["slug"] for p in by_county["results"]] == ["digital-skoleskyss"]
    by_type = client.get("/api/v1/projects?innovation_type=service&sdg=3", **auth).json()
    assert [p["slug"] for p in by_type["results"]] == ["varm-mat"]


def test_when_a_text_query_is_given_then_the_matching_project_is_found(client, library):
    response = client.get("/api/v1/projects?q=skoleskyss")
    assert [p["slug"] for p in response.json()["results"]] == ["digital-skoleskyss"]


def test_when_a_filter_value_is_unknown_then_422_names_the_parameter(client, library):
    response = client.get("/api/v1/projects?phase=need&phase=finished", **EN)
    assert response.status_code == 422
    body = response.json()
    assert body["status"] == 422 and body["code"] == "validation_error"
    assert body["message"] == "The request is not valid."
    assert [e["field"] for e in body["errors"]] == ["filters.phase.1"]


def test_when_facets_are_asked_then_counts_and_spread_cover_the_visible_result(client, library):
    response = client.get("/api/v1/projects/facets?phase=need", **EN)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["phase"] == [{"value": "need", "label": "Need", "count": 2, "selected": True}]
    assert body["sector"] == [{"value": "health_care", "label": "Health and care", "count": 1, "selected": False}]
    assert body["county"] == [
        {"value": "18", "label": "Nordland", "count": 1, "selected": False},
        {"value": "46", "label": "Vestland", "count": 1, "selected": False},
    ]
    assert body["spread"] == {
        "projects": 2,
        "novelty_known": 1,
        "novelty_unknown": 1,
        "first_of_its_kind": 0.0,
        "inspired_adapted": 1.0,
        "copied": 0.0,
        "reuse": 1.0,
        "adoptions": 0,
        "adopted_projects": 0,
    }


def test_when_anonymous_opens_a_public_project_then_every_field_is_shown(client, library):
    response = client.get("/api/v1/projects/varm-mat", **EN)
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "slug": "varm-mat",
        "title": "Varm mat",
        "url": "http://testserver/prosjekter/varm-mat/",
        "owners": [{"slug": "oygarden", "name": "Øygarden kommune"}],
        "phase": "need",
        "visibility": "public",
        "sector": "health_care",
        "innovation_types": ["service"],
        "degree": "incremental",
        "novelty": "inspired_adapted",
        "start_date": "2024-09-01",
        "end_date": None,
        "updated_at": FROZEN_JSON,
        **NEED,
        "description": "",
        "service_area": "",
        "sdgs": [3],
        "life_events": [],
        "budget": "250000.00",
        "effects_achieved": "",
        "effects_measurement": "none",
        "lessons_learned": "",
        "stopped_reason": "",
        "contact_name": "",
        "contact_email": "",
        "source": "",
        "is_synthetic": False,
        "created_at": FROZEN_JSON,
        "partners": [],
        "funding_sources": [],
        "timeline": [{"from_phase": None, "to_phase": "need", "at": FROZEN_JSON, "note": ""}],
    }


def test_when_a_project_is_not_visible_then_404_in_the_error_shape(client, library, outsider):
    expected = error(404, "not_found", "Not found.")
    anonymous = client.get("/api/v1/projects/intern-velferdsteknologi")
    assert (anonymous.status_code, anonymous.json()) == (404, expected)
    refused = client.get("/api/v1/projects/intern-velferdsteknologi", **bearer(outsider))
    assert (refused.status_code, refused.json()) == (404, expected)
    missing = client.get("/api/v1/projects/finnes-ikke")
    assert (missing.status_code, missing.json()) == (404, expected)


# Writes


def create_payload(**overrides) -> dict:
    return {"organisation": "oygarden", "title": "Digital tilsynsordning", **NEED, **overrides}


def test_when_creating_without_a_token_then_401(client, home_municipality):
    response = client.post("/api/v1/projects", create_payload(), content_type="application/json")
    assert response.status_code == 401
    assert response.json() == error(401, "not_authenticated", "A valid API token is required.")
    assert Project.objects.count() == 0


def test_when_an_editor_creates_a_project_then_it_is_registered_as_a_draft_in_the_need_phase(client, innovator):
    payload = create_payload(sector="welfare", innovation_types=["process", "service"], budget="1200.5")
    with time_machine.travel(FROZEN, tick=False):
        response = client.post("/api/v1/projects", payload, content_type="application/json", **bearer(innovator))
    assert response.status_code == 201
    body = response.json()
    assert (body["slug"], body["phase"], body["visibility"]) == ("digital-tilsynsordning", "need", "draft")
    assert (body["sector"], body["innovation_types"], body["budget"]) == ("welfare", ["process", "service"], "1200.50")
    assert body["owners"] == [{"slug": "oygarden", "name": "Øygarden kommune"}]
    project = Project.objects.get(slug="digital-tilsynsordning")
    assert list(project.authors.all()) == [innovator]
    assert list(project.phase_changes.values_list("to_phase", "actor")) == [("need", innovator.pk)]


def test_when_the_outsider_creates_for_another_organisation_then_403_and_nothing_is_saved(
    client, outsider, home_municipality
):
    response = client.post("/api/v1/projects", create_payload(), content_type="application/json", **bearer(outsider))
    assert response.status_code == 403
    assert response.json() == error(
        403, "forbidden", "Only editors and administrators of Øygarden kommune can do this."
    )
    assert Project.objects.count() == 0


def test_when_a_member_without_editor_role_creates_then_403(client, colleague):
    response = client.post("/api/v1/projects", create_payload(), content_type="application/json", **bearer(colleague))
    assert response.status_code == 403
    assert Project.objects.count() == 0


def test_when_the_need_is_blank_then_422_names_the_field(client, innovator):
    payload = create_payload(need_who="  ")
    response = client.post("/api/v1/projects", payload, content_type="application/json", **bearer(innovator))
    assert response.status_code == 422
    assert response.json() == error(
        422,
        "validation_error",
        "The request is not valid.",
        [{"field": "need_who", "message": "Describe who has the problem."}],
    )
    assert Project.objects.count() == 0


def test_when_the_organisation_is_unknown_then_422(client, innovator):
    payload = create_payload(organisation="finnes-ikke")
    response = client.post("/api/v1/projects", payload, content_type="application/json", **bearer(innovator))
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "organisation", "message": "No organisation has this identifier."}]


def test_when_a_required_field_is_missing_then_422_from_the_schema(client, innovator):
    payload = create_payload()
    del payload["need_effect"]
    response = client.post("/api/v1/projects", payload, content_type="application/json", **bearer(innovator))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["need_effect"]


def test_when_an_editor_patches_then_only_the_sent_fields_change(client, library, innovator):
    response = client.patch(
        "/api/v1/projects/varm-mat",
        {"description": "Nå med varmeskap.", "sector": None},
        content_type="application/json",
        **bearer(innovator),
    )
    assert response.status_code == 200
    project = Project.objects.get(slug="varm-mat")
    assert (project.description, project.sector, project.degree) == ("Nå med varmeskap.", "", "incremental")
    assert response.json()["sector"] is None


def test_when_the_outsider_patches_a_visible_project_then_403_and_nothing_changes(client, library, outsider):
    response = client.patch(
        "/api/v1/projects/varm-mat", {"title": "Kapret"}, content_type="application/json", **bearer(outsider)
    )
    assert response.status_code == 403
    assert response.json() == error(
        403, "forbidden", "Only the project's authors and editors of its organisations can change it."
    )
    assert Project.objects.get(slug="varm-mat").title == "Varm mat"


def test_when_patching_an_invisible_project_then_404(client, library, outsider):
    response = client.patch(
        "/api/v1/projects/intern-velferdsteknologi", {"title": "x"}, content_type="application/json", **bearer(outsider)
    )
    assert response.status_code == 404


def test_when_the_phase_moves_forward_then_the_timeline_records_it(client, library, innovator):
    response = client.post(
        "/api/v1/projects/varm-mat/phase", {"phase": "ideas"}, content_type="application/json", **bearer(innovator)
    )
    assert response.status_code == 200
    assert response.json()["phase"] == "ideas"
    assert [entry["to_phase"] for entry in response.json()["timeline"]] == ["need", "ideas"]
    change = PhaseChange.objects.get(project__slug="varm-mat", to_phase="ideas")
    assert (change.from_phase, change.actor) == ("need", innovator)


def test_when_a_phase_is_skipped_then_422_explains_the_allowed_transitions(client, library, innovator):
    response = client.post(
        "/api/v1/projects/varm-mat/phase", {"phase": "spread"}, content_type="application/json", **bearer(innovator)
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "phase", "message": "A project can only go from Need to Ideas and concepts or be stopped."}
    ]
    assert Project.objects.get(slug="varm-mat").phase == Phase.NEED


def test_when_the_outsider_changes_the_phase_then_403(client, library, outsider):
    response = client.post(
        "/api/v1/projects/varm-mat/phase", {"phase": "ideas"}, content_type="application/json", **bearer(outsider)
    )
    assert response.status_code == 403
    assert Project.objects.get(slug="varm-mat").phase == Phase.NEED


# Adoptions


def test_when_the_outsider_registers_an_adoption_then_everybody_can_list_it(client, library, outsider):
    payload = {"adopting_project": "digital-skoleskyss", "how": "adapted", "adopted_on": "2025-01-15"}
    response = client.post(
        "/api/v1/projects/varm-mat/adoptions", payload, content_type="application/json", **bearer(outsider)
    )
    assert response.status_code == 201
    expected = {
        "adopting_project": {"slug": "digital-skoleskyss", "title": "Digital skoleskyss"},
        "adopting_organisations": [{"slug": "bodo", "name": "Bodø kommune"}],
        "how": "adapted",
        "adopted_on": "2025-01-15",
        "source_phase": "need",
        "note": "",
    }
    assert response.json() == expected
    assert client.get("/api/v1/projects/varm-mat/adoptions").json() == [expected]
    assert Adoption.objects.count() == 1


def test_when_adopting_with_a_project_one_cannot_change_then_403(client, library, outsider):
    payload = {"adopting_project": "varm-mat", "how": "copied", "adopted_on": "2025-01-15"}
    response = client.post(
        "/api/v1/projects/digital-skoleskyss/adoptions", payload, content_type="application/json", **bearer(outsider)
    )
    assert response.status_code == 403
    assert Adoption.objects.count() == 0


def test_when_a_project_adopts_itself_then_422_names_the_adopter(client, library, innovator):
    payload = {"adopting_project": "varm-mat", "how": "copied", "adopted_on": "2025-01-15"}
    response = client.post(
        "/api/v1/projects/varm-mat/adoptions", payload, content_type="application/json", **bearer(innovator)
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "adopting_project", "message": "A project cannot adopt itself."}]


# Similar


def test_when_asking_for_similar_projects_then_visible_matches_come_with_reasons(client, library):
    payload = {"text": "Eldre hjemme får kald middag", "sector": "health_care", "innovation_types": ["service"]}
    response = client.post("/api/v1/projects/similar", payload, content_type="application/json", **EN)
    assert response.status_code == 200
    body = response.json()
    assert [match["project"]["slug"] for match in body] == ["varm-mat"]
    assert body[0]["same_sector"] is True
    assert body[0]["shared_types"] == ["service"]
    assert "middag" in body[0]["shared_words"]


def test_when_similar_text_matches_only_an_invisible_project_then_it_is_not_shown(client, library):
    response = client.post("/api/v1/projects/similar", {"text": "velferdsteknologi"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == []


def test_when_the_similar_text_is_empty_then_422(client, library):
    response = client.post("/api/v1/projects/similar", {"text": ""}, content_type="application/json")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["text"]
