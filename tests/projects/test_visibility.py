from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from nyskap.core.visibility import Visibility
from nyskap.projects.models import Project
from nyskap.projects.services import project_update

from .factories import make_project


@pytest.fixture
def projects(innovator, home_municipality) -> dict[str, Project]:
    return {
        level: make_project(actor=innovator, owner=home_municipality, title=f"Prosjekt {level}", visibility=level)
        for level in Visibility.values
    }


def _visible_titles(user) -> list[str]:
    return sorted(Project.objects.visible_to(user).values_list("title", flat=True))


def test_when_the_author_lists_then_all_four_are_visible(projects, innovator):
    assert _visible_titles(innovator) == [
        "Prosjekt draft",
        "Prosjekt network",
        "Prosjekt organisation",
        "Prosjekt public",
    ]


def test_when_a_colleague_lists_then_organisation_network_and_public_are_visible(projects, colleague):
    assert _visible_titles(colleague) == ["Prosjekt network", "Prosjekt organisation", "Prosjekt public"]


def test_when_an_outsider_lists_then_only_network_and_public_are_visible(projects, outsider):
    assert _visible_titles(outsider) == ["Prosjekt network", "Prosjekt public"]


def test_when_anonymous_lists_then_only_public_is_visible(projects):
    assert _visible_titles(AnonymousUser()) == ["Prosjekt public"]


def test_when_the_operator_lists_then_all_are_visible(projects, operator):
    assert len(_visible_titles(operator)) == 4


def test_when_checking_one_project_then_the_rule_agrees_with_the_list(projects, colleague, outsider):
    organisation_project = projects[Visibility.ORGANISATION]

    assert colleague.has_perm("core.view_object", organisation_project) is True
    assert outsider.has_perm("core.view_object", organisation_project) is False
    assert AnonymousUser().has_perm("core.view_object", organisation_project) is False
    assert AnonymousUser().has_perm("core.view_object", projects[Visibility.PUBLIC]) is True


def test_when_a_project_is_published_then_the_outsider_sees_it(projects, innovator, outsider):
    project_update(project=projects[Visibility.ORGANISATION], actor=innovator, visibility=Visibility.PUBLIC)

    assert "Prosjekt organisation" in _visible_titles(outsider)


def test_when_a_project_has_several_owners_then_it_is_listed_once(projects, other_municipality, outsider):
    projects[Visibility.ORGANISATION].owners.add(other_municipality)

    assert _visible_titles(outsider) == ["Prosjekt network", "Prosjekt organisation", "Prosjekt public"]
