"""search_projects: visibility first, filters that combine, Norwegian full text, facet counts and spread."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from nyskap.core.visibility import Visibility
from nyskap.projects.models import Project
from nyskap.projects.search import search_projects
from nyskap.projects.services import project_update

from .factories import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(innovator, outsider, home_municipality, other_municipality):
    make_project(
        actor=innovator,
        owner=home_municipality,
        title="Velferdsteknologi i hjemmetjenesten",
        visibility=Visibility.PUBLIC,
        sector="health_care",
        novelty="copied",
        innovation_types=["service", "process"],
        description="Kommunen tok i bruk digitale medisindispensere.",
    )
    make_project(
        actor=innovator,
        owner=home_municipality,
        title="Felles barnevernteneste",
        visibility=Visibility.PUBLIC,
        sector="welfare",
        novelty="first_of_its_kind",
        innovation_types=["organisation"],
    )
    make_project(
        actor=innovator,
        owner=home_municipality,
        title="Intern kladd om skulemat",
        visibility=Visibility.ORGANISATION,
        sector="education",
    )
    make_project(
        actor=outsider,
        owner=other_municipality,
        title="Smart parkering",
        visibility=Visibility.PUBLIC,
        sector="transport",
        novelty="inspired_adapted",
        innovation_types=["service"],
    )


def titles(result) -> list[str]:
    return [p.title for p in result.projects]


def test_when_anonymous_searches_everything_then_only_public_projects_come_back(library):
    result = search_projects(user=AnonymousUser(), params=QueryDict(""))
    assert sorted(titles(result)) == [
        "Felles barnevernteneste",
        "Smart parkering",
        "Velferdsteknologi i hjemmetjenesten",
    ]


def test_when_a_colleague_searches_then_the_organisation_draft_is_included_and_the_outsider_does_not_see_it(
    library, colleague, outsider
):
    assert "Intern kladd om skulemat" in titles(search_projects(user=colleague, params={}))
    assert "Intern kladd om skulemat" not in titles(search_projects(user=outsider, params={}))
    # Full text never leaks a hidden project either.
    assert "Intern kladd om skulemat" not in titles(search_projects(user=outsider, params={"q": "skulemat"}))
    found = search_projects(user=colleague, params={"q": "skolemat"})
    assert [(p.title, p.search_match) for p in found.projects][:1] == [("Intern kladd om skulemat", "all")]
    assert found.all_words == 1


def test_when_searching_in_norwegian_then_inflections_and_nynorsk_forms_match(library):
    anonymous = AnonymousUser()
    assert titles(search_projects(user=anonymous, params={"q": "kommune"})) == ["Velferdsteknologi i hjemmetjenesten"]
    result = search_projects(user=anonymous, params={"q": "barnevernteneste"})
    assert [(p.title, p.search_match) for p in result.projects][:1] == [("Felles barnevernteneste", "all")]
    assert result.all_words == 1  # "Velferdsteknologi i hjemmetjenesten" follows, for the part "tjeneste" only
    assert titles(search_projects(user=anonymous, params={"q": "velferdsteknolgi"})) == [
        "Velferdsteknologi i hjemmetjenesten"
    ]


def test_when_filters_combine_then_within_a_facet_is_or_and_across_facets_is_and(library):
    anonymous = AnonymousUser()
    params = QueryDict("sector=health_care&sector=transport")
    assert sorted(titles(search_projects(user=anonymous, params=params))) == [
        "Smart parkering",
        "Velferdsteknologi i hjemmetjenesten",
    ]
    params = QueryDict("sector=health_care&sector=transport&county=18")
    assert titles(search_projects(user=anonymous, params=params)) == ["Smart parkering"]
    params = QueryDict("innovation_type=service&novelty=copied")
    assert titles(search_projects(user=anonymous, params=params)) == ["Velferdsteknologi i hjemmetjenesten"]


def test_when_results_are_shown_then_facets_count_the_current_result(library):
    result = search_projects(user=AnonymousUser(), params=QueryDict("innovation_type=service"))
    counts = {facet: {v.value: v.count for v in values} for facet, values in result.facets.items()}
    assert counts["sector"] == {"health_care": 1, "transport": 1}
    assert counts["innovation_type"] == {"process": 1, "service": 2}
    assert counts["county"] == {"18": 1, "46": 1}
    assert counts["novelty"] == {"copied": 1, "inspired_adapted": 1}
    selected = [v.value for v in result.facets["innovation_type"] if v.selected]
    assert selected == ["service"]
    assert result.spread.projects == 2
    assert result.spread.shares.copied == pytest.approx(0.5)


def test_when_a_filter_value_is_unknown_then_the_form_reports_it_and_nothing_is_listed(library):
    result = search_projects(user=AnonymousUser(), params=QueryDict("sector=romfart"))
    assert list(result.projects) == []
    assert "sector" in result.form.errors


def test_when_a_project_is_edited_then_the_search_finds_its_new_text(library, innovator):
    project = Project.objects.get(title="Smart parkering")
    assert titles(search_projects(user=AnonymousUser(), params={"q": "ladestasjoner"})) == []
    project_update(project=project, actor=project.authors.get(), description="Nye ladestasjoner for elbiler.")
    assert titles(search_projects(user=AnonymousUser(), params={"q": "ladestasjon"})) == ["Smart parkering"]


def test_when_searching_then_the_number_of_queries_does_not_grow_with_the_result(
    library, colleague, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20):
        result = search_projects(user=colleague, params={"q": "kommune", "sector": ["health_care"]})
        list(result.projects)


def test_when_a_need_is_written_then_similar_projects_come_with_the_reasons(library, colleague):
    from nyskap.projects.search import similar_projects

    need = "Hjemmetjenesten bruker mye tid på medisinhåndtering; vi vurderer velferdsteknologi som dispensere."
    similar = similar_projects(user=colleague, text=need, sector="health_care", innovation_types=["service"])
    assert next(s.project.title for s in similar) == "Velferdsteknologi i hjemmetjenesten"
    best = similar[0]
    assert "velferdsteknologi" in best.shared_words and "hjemmetjenesten" in best.shared_words
    assert best.same_sector is True and best.shared_types == ["service"]


def test_when_similar_projects_are_sought_then_hidden_ones_never_appear(library, outsider):
    from nyskap.projects.search import similar_projects

    assert "Intern kladd om skulemat" not in [
        s.project.title for s in similar_projects(user=outsider, text="skulemat i skolen")
    ]


def test_when_projects_are_indexed_in_bulk_then_they_are_found(library):
    from nyskap.core.models import SearchDocument
    from nyskap.projects.search import index_projects

    SearchDocument.objects.all().delete()
    assert titles(search_projects(user=AnonymousUser(), params={"q": "parkering"})) == []
    assert index_projects(Project.objects.all()) == 4
    assert titles(search_projects(user=AnonymousUser(), params={"q": "parkering"})) == ["Smart parkering"]


def test_when_the_same_search_is_repeated_then_facets_come_from_the_cache_until_a_project_changes(
    library, innovator, home_municipality, django_assert_max_num_queries
):
    first = search_projects(user=AnonymousUser(), params=QueryDict("sector=transport&sector=health_care"))
    assert {v.value: v.count for v in first.facets["sector"]} == {"health_care": 1, "transport": 1}
    with django_assert_max_num_queries(2):  # only the content-type lookup may remain; no facet queries
        again = search_projects(user=AnonymousUser(), params=QueryDict("sector=transport&sector=health_care"))
    assert {v.value: v.count for v in again.facets["sector"]} == {"health_care": 1, "transport": 1}

    make_project(
        actor=innovator, owner=home_municipality, title="Bysykler", visibility=Visibility.PUBLIC, sector="transport"
    )
    fresh = search_projects(user=AnonymousUser(), params=QueryDict("sector=transport&sector=health_care"))
    assert {v.value: v.count for v in fresh.facets["sector"]} == {"health_care": 1, "transport": 2}
    assert fresh.spread.projects == 3


def test_when_a_project_is_deleted_then_it_leaves_the_search_index(library):
    from nyskap.core.models import SearchDocument

    project = Project.objects.get(title="Smart parkering")
    pk = project.pk
    assert SearchDocument.objects.filter(object_id=pk).count() == 1
    project.delete()
    assert SearchDocument.objects.filter(object_id=pk).count() == 0
    assert titles(search_projects(user=AnonymousUser(), params={"q": "parkering"})) == []


def test_when_many_ids_are_indexed_in_chunks_then_every_project_is_found(library):
    from nyskap.core.models import SearchDocument
    from nyskap.projects.search import index_project_ids

    SearchDocument.objects.all().delete()
    ids = list(Project.objects.order_by("pk").values_list("pk", flat=True))
    assert index_project_ids(ids, chunk=3) == 4
    assert titles(search_projects(user=AnonymousUser(), params={"q": "parkering"})) == ["Smart parkering"]


def test_when_anonymous_searches_text_then_the_index_tags_keep_hidden_projects_out_and_follow_each_change(
    library, innovator, colleague
):
    """An anonymous search without filters is scoped by the visibility tag stored with each search document, not
    by a subquery: the tag must follow every change of visibility, both ways, and never let a hidden project in."""
    from nyskap.core.search.models import SearchDocument
    from nyskap.core.search.services import content_type_of

    draft = Project.objects.get(title="Intern kladd om skulemat")
    stored = SearchDocument.objects.get(content_type=content_type_of(Project), object_id=draft.pk)
    assert "visibility=organisation" in stored.tags.split()
    assert titles(search_projects(user=AnonymousUser(), params={"q": "intern kladd"})) == []
    assert search_projects(user=AnonymousUser(), params={"q": "intern kladd"}).spread.projects == 0

    project_update(project=draft, actor=innovator, visibility=Visibility.PUBLIC)
    assert titles(search_projects(user=AnonymousUser(), params={"q": "intern kladd"})) == ["Intern kladd om skulemat"]

    project_update(project=draft, actor=innovator, visibility=Visibility.DRAFT)
    stored.refresh_from_db()
    assert "visibility=draft" in stored.tags.split()
    result = search_projects(user=AnonymousUser(), params={"q": "intern kladd"})
    assert titles(result) == []
    assert result.spread.projects == 0
    assert all(value.count == 0 for values in result.facets.values() for value in values)
    # Signed in, the visibility rule itself decides: a draft is its author's only.
    assert titles(search_projects(user=colleague, params={"q": "intern kladd"})) == []
    assert "Intern kladd om skulemat" in titles(search_projects(user=innovator, params={"q": "intern kladd"}))


def test_when_a_stored_tag_is_stale_then_the_page_still_never_shows_the_hidden_project(library):
    """Defence in depth: even a document wrongly tagged public is read through the visibility rule."""
    from nyskap.core.search.models import SearchDocument
    from nyskap.core.search.services import content_type_of

    draft = Project.objects.get(title="Intern kladd om skulemat")
    document = SearchDocument.objects.get(content_type=content_type_of(Project), object_id=draft.pk)
    SearchDocument.objects.filter(pk=document.pk).update(tags=document.tags.replace("organisation", "public"))
    assert titles(search_projects(user=AnonymousUser(), params={"q": "intern kladd"})) == []
