"""Facet tags: each project's facet values stored with its search document, so a search page counts its facets from
the rows of its own lookup. Checked against the independent count in the database (`facets_for_ids`) after every
kind of change that alters a facet — from the project's side and from the other side of each relation."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType

from nyskap.core.models import SearchDocument
from nyskap.core.visibility import Visibility
from nyskap.organisations.models import OrganisationKind
from nyskap.projects.models import Adoption, InnovationType, LifeEvent, Project, SustainableDevelopmentGoal
from nyskap.projects.search import search_projects
from nyskap.projects.selectors import facet_tags, facets_for_ids, facets_from_tags, hit_facets
from nyskap.projects.services import project_adopt, project_change_phase
from tests.organisations.factories import CountyFactory, OrganisationFactory

from .factories import make_project


def stored_tags(ids: list[int]) -> dict[int, str | None]:
    content_type = ContentType.objects.get_for_model(Project)
    return dict(
        SearchDocument.objects.filter(content_type=content_type, object_id__in=ids).values_list("object_id", "tags")
    )


def assert_tags_current(ids: list[int]) -> None:
    """What is stored is what the database says now, and counting it gives the database's own facet counts."""
    stored = stored_tags(ids)
    assert stored == facet_tags(ids)
    from_tags = facets_from_tags([text for text in stored.values() if text is not None])
    from_database = facets_for_ids(ids)
    assert from_tags.counts == from_database.counts
    assert from_tags.spread == from_database.spread


@pytest.fixture
def library(innovator, home_municipality, other_municipality):
    other_county = CountyFactory(number="46", name="Vestland", official_name="Vestland fylkeskommune")
    agency = OrganisationFactory(name="Etat for robotar", kind=OrganisationKind.STATE_AGENCY, county=other_county)
    projects = []
    for number, (sector, novelty, types) in enumerate(
        [
            ("health_care", "copied", ["service"]),
            ("welfare", "first_of_its_kind", ["service", "process"]),
            ("", "", []),
            ("education", "inspired_adapted", ["product"]),
        ]
    ):
        project = make_project(
            actor=innovator,
            owner=home_municipality,
            title=f"Robot {number}",
            visibility=Visibility.PUBLIC,
            sector=sector,
            novelty=novelty,
            innovation_types=types,
        )
        if number % 2:
            project.owners.add(other_municipality)
        if number == 3:
            project.owners.add(agency)
        projects.append(project)
    return {"projects": projects, "agency": agency}


def test_when_projects_are_indexed_then_their_tags_count_as_the_database_counts(library):
    ids = [project.pk for project in library["projects"]]
    assert_tags_current(ids)
    counts = facets_from_tags([text for text in stored_tags(ids).values() if text]).counts
    assert counts["innovation_types"] == {"service": 2, "process": 1, "product": 1}
    assert counts["sector"] == {"health_care": 1, "welfare": 1, "education": 1}
    assert counts["organisation_kind"] == {"municipality": 4, "state_agency": 1}


def test_when_a_facet_changes_from_any_side_then_the_stored_tags_follow(
    library, innovator, home_municipality, other_municipality
):
    projects, agency = library["projects"], library["agency"]
    ids = [project.pk for project in projects]
    first, second = projects[0], projects[1]

    project_change_phase(project=first, to_phase="ideas", actor=innovator)  # the project's own column
    assert_tags_current(ids)
    first.innovation_types.add(InnovationType.objects.get(code="product"))  # forward relation
    first.sdgs.add(SustainableDevelopmentGoal.objects.order_by("number").first())
    first.life_events.add(LifeEvent.objects.order_by("code").first())
    assert_tags_current(ids)
    assert "innovation_types=product" in stored_tags([first.pk])[first.pk]

    agency.projects.add(first, second)  # reverse relation: the organisation adds projects
    assert_tags_current(ids)
    agency.projects.remove(second)
    assert_tags_current(ids)
    InnovationType.objects.get(code="service").projects.clear()  # reverse clear
    assert_tags_current(ids)
    assert not any("innovation_types=service" in text for text in stored_tags(ids).values())

    # An owner's own facet values: county, kind, size band, centrality.
    other_municipality.county = CountyFactory(number="50", name="Trøndelag", official_name="Trøndelag")
    other_municipality.size_band = "xs"
    other_municipality.centrality_class = 6
    other_municipality.save()
    assert_tags_current(ids)
    assert "county=50" in stored_tags([second.pk])[second.pk]

    adoption = project_adopt(
        source=first,
        actor=innovator,
        how="adapted",
        adopted_on=datetime.date(2026, 1, 5),
        adopter_project=projects[2],
    )
    assert "adoptions=1" in stored_tags([first.pk])[first.pk]
    assert_tags_current(ids)
    Adoption.objects.filter(pk=adoption.pk).get().delete()
    assert "adoptions=1" not in stored_tags([first.pk])[first.pk]
    assert_tags_current(ids)


def test_when_a_search_page_counts_facets_then_they_equal_the_database_count_of_its_hits(library):
    result = search_projects(user=AnonymousUser(), params={"q": "robot"})
    ids = result.projects.ids()
    assert len(ids) == 4
    assert result.spread == facets_for_ids(ids).spread
    by_database = facets_for_ids(ids).counts
    assert {value.value: value.count for value in result.facets["sector"]} == by_database["sector"]
    assert {value.value: value.count for value in result.facets["county"]} == by_database["county"]


def test_when_a_hit_has_no_stored_tags_then_its_facets_are_counted_in_the_database(library):
    ids = [project.pk for project in library["projects"]]
    SearchDocument.objects.filter(object_id=ids[0]).update(tags=None)  # indexed before tags existed
    tags = stored_tags(ids)
    found = hit_facets(ids, tags)
    assert found.counts == facets_for_ids(ids).counts
    assert found.spread.projects == 4
