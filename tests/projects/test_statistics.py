from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nyskap.core.visibility import Visibility
from nyskap.projects.calculations import novelty_shares
from nyskap.projects.models import AdoptionHow, Novelty, Phase, Project
from nyskap.projects.selectors import facet_counts, spread_statistics
from nyskap.projects.services import project_adopt, project_change_phase

from .factories import make_project


def test_when_counts_are_given_then_shares_are_exact():
    shares = novelty_shares(first_of_its_kind=2, inspired_adapted=5, copied=3)

    assert (shares.known, shares.first_of_its_kind, shares.inspired_adapted, shares.copied, shares.reuse) == (
        10,
        0.2,
        0.5,
        0.3,
        0.8,
    )


def test_when_no_project_states_novelty_then_the_shares_are_undefined():
    shares = novelty_shares(first_of_its_kind=0, inspired_adapted=0, copied=0)

    assert (shares.known, shares.first_of_its_kind, shares.reuse) == (0, None, None)


def test_when_a_count_is_negative_then_refused():
    with pytest.raises(ValueError, match="negative"):
        novelty_shares(first_of_its_kind=-1, inspired_adapted=0, copied=0)


@given(st.integers(0, 10_000), st.integers(0, 10_000), st.integers(0, 10_000))
def test_when_any_counts_are_known_then_the_shares_add_up_to_one(first, inspired, copied):
    shares = novelty_shares(first_of_its_kind=first, inspired_adapted=inspired, copied=copied)

    if shares.known:
        assert shares.first_of_its_kind + shares.inspired_adapted + shares.copied == pytest.approx(1.0)
        assert shares.reuse == pytest.approx(shares.inspired_adapted + shares.copied)


@pytest.fixture
def portfolio(innovator, outsider, home_municipality, other_municipality) -> list[Project]:
    """Five public projects in Øygarden: novelty first, first, inspired, copied, unknown; one draft (copied) that
    other people cannot see. Bodø adopts the first one, and a Bodø project adopts the first and the second."""
    novelties = [Novelty.FIRST_OF_ITS_KIND, Novelty.FIRST_OF_ITS_KIND, Novelty.INSPIRED_ADAPTED, Novelty.COPIED, ""]
    projects = [
        make_project(
            actor=innovator,
            owner=home_municipality,
            title=f"P{i}",
            novelty=novelty,
            visibility=Visibility.PUBLIC,
            innovation_types=["service", "process"] if i < 2 else ["service"],
            sdgs=[3] if i % 2 else [],
            sector="health_care" if i < 3 else "education",
        )
        for i, novelty in enumerate(novelties)
    ]
    make_project(actor=innovator, owner=home_municipality, title="Utkast", novelty=Novelty.COPIED)
    project_change_phase(project=projects[0], to_phase=Phase.IDEAS, actor=innovator)
    bodo_project = make_project(actor=outsider, owner=other_municipality, title="Bodø", novelty=Novelty.COPIED)
    project_adopt(
        source=projects[0],
        adopter_organisation=other_municipality,
        how=AdoptionHow.COPIED,
        adopted_on=dt.date(2024, 1, 1),
        actor=outsider,
    )
    project_adopt(
        source=projects[0],
        adopter_project=bodo_project,
        how=AdoptionHow.COPIED,
        adopted_on=dt.date(2024, 2, 1),
        actor=outsider,
    )
    project_adopt(
        source=projects[1],
        adopter_project=bodo_project,
        how=AdoptionHow.ADAPTED,
        adopted_on=dt.date(2024, 3, 1),
        actor=outsider,
    )
    return projects


def test_when_counting_the_public_portfolio_then_shares_and_adoptions_are_hand_computed(
    portfolio, anonymous, django_assert_num_queries
):
    from django.contrib.auth.models import AnonymousUser

    queryset = Project.objects.visible_to(AnonymousUser())
    with django_assert_num_queries(2):
        stats = spread_statistics(queryset)

    # Public: first, first, inspired, copied, unknown → 4 known: 2/4, 1/4, 1/4; reuse 2/4.
    assert (stats.projects, stats.novelty_unknown, stats.shares.known) == (5, 1, 4)
    assert (stats.shares.first_of_its_kind, stats.shares.inspired_adapted, stats.shares.copied) == (0.5, 0.25, 0.25)
    assert stats.shares.reuse == 0.5
    assert (stats.adoptions, stats.adopted_projects) == (3, 2)


def test_when_counting_what_the_author_sees_then_the_draft_is_included(portfolio, innovator):
    stats = spread_statistics(Project.objects.visible_to(innovator))

    assert (stats.projects, stats.shares.known, stats.shares.copied) == (6, 5, 0.4)


def test_when_counting_facets_then_each_value_is_counted_in_fixed_queries(portfolio, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    queryset = Project.objects.visible_to(AnonymousUser())
    with django_assert_num_queries(7):
        facets = facet_counts(queryset)

    assert facets["phase"] == {Phase.NEED: 4, Phase.IDEAS: 1}
    assert facets["sector"] == {"health_care": 3, "education": 2}
    assert facets["novelty"] == {Novelty.FIRST_OF_ITS_KIND: 2, Novelty.INSPIRED_ADAPTED: 1, Novelty.COPIED: 1}
    assert facets["degree"] == {}
    assert facets["innovation_types"] == {"service": 5, "process": 2}
    assert facets["sdgs"] == {3: 2}
    assert facets["life_events"] == {}
