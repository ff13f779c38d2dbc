"""The overview's facet counts come from one statement: the same figures as counting each facet on its own (the
reference below, one GROUP BY per facet) for any search and filters, and the overview page reads its facets,
total, owners' names, page of trials and their owners in a fixed number of queries whatever the number of trials."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Count

from nyskap.accounts.models import Role
from nyskap.core.visibility import Visibility
from nyskap.organisations.models import Organisation, OrganisationKind
from nyskap.trials import selectors, services
from nyskap.trials.models import Trial, TrialDesign, TrialKind

from ..accounts.factories import MembershipFactory
from ..organisations.factories import CountyFactory, OrganisationFactory
from .factories import make_trial, run_to_end

pytestmark = pytest.mark.django_db


def reference_counts(trials: Any) -> dict[str, dict[Any, int]]:
    """Each facet counted by its own GROUP BY over the filtered trials."""
    ids = trials.order_by().values("pk")
    base = Trial.objects.filter(pk__in=ids).order_by()
    counts: dict[str, dict[Any, int]] = {}
    for field in selectors.OWN_FIELD_FACETS:
        counts[field] = dict(base.exclude(**{field: ""}).values_list(field).annotate(n=Count("pk")))
    outcomes = selectors.with_outcome(base).values_list(selectors.OUTCOME_STATE).annotate(n=Count("pk"))
    counts["outcome"] = dict(outcomes)
    for facet, field in selectors.OWNER_FACETS.items():
        owned = Trial.owners.through.objects.filter(trial_id__in=ids)
        owned = owned.exclude(**{f"organisation__{field}__isnull": True})
        if facet == "size_band":
            owned = owned.exclude(organisation__size_band="")
        if facet == "municipality":
            owned = owned.filter(organisation__kind=OrganisationKind.MUNICIPALITY)
        rows = owned.order_by().values_list(f"organisation__{field}").annotate(n=Count("trial_id", distinct=True))
        counts[facet] = dict(rows)
    return counts


@pytest.fixture
def registry(innovator, home_municipality, other_municipality):
    """Trials of several kinds, designs and sectors, owned alone or jointly (two owners in one county, a county
    municipality without size band or centrality), with results as data, in words and none, and a draft."""
    Organisation.objects.filter(pk=home_municipality.pk).update(centrality_class=3)
    Organisation.objects.filter(pk=other_municipality.pk).update(centrality_class=2)
    neighbour = OrganisationFactory(
        name="Askøy kommune",
        slug="askoy",
        kind=OrganisationKind.MUNICIPALITY,
        county=home_municipality.county,
        population=30000,
        centrality_class=3,
    )
    county_council = OrganisationFactory(
        name="Vestland fylkeskommune",
        slug="vestland",
        kind=OrganisationKind.COUNTY_MUNICIPALITY,
        county=home_municipality.county,
    )
    CountyFactory(number="03", name="Oslo", official_name="Oslo")
    for organisation in (other_municipality, neighbour, county_council):
        MembershipFactory(user=innovator, organisation=organisation, role=Role.EDITOR)
    owners = [
        [home_municipality],
        [home_municipality, neighbour],
        [other_municipality],
        [home_municipality, other_municipality, county_council],
        [county_council],
        [neighbour],
    ]
    kinds = [
        TrialKind.PILOT,
        TrialKind.LAB,
        TrialKind.SECTOR_LAW,
        TrialKind.PILOT,
        TrialKind.FORSOKSLOVEN,
        TrialKind.LAB,
    ]
    designs = [TrialDesign.INDIVIDUAL_RCT, "", TrialDesign.BEFORE_AFTER, TrialDesign.INDIVIDUAL_RCT, "", ""]
    for index, (chosen, kind, design) in enumerate(zip(owners, kinds, designs, strict=True)):
        trial = make_trial(
            actor=innovator,
            owner=chosen[0],
            title=f"Forsøk med ventetid {index}",
            kind=kind,
            design=design,
            sector=["health_care", "education", ""][index % 3],
            area=["Helse", "", "Skole"][index % 3],
            visibility=Visibility.DRAFT if index == 5 else Visibility.PUBLIC,
        )
        if len(chosen) > 1:
            services.trial_update(actor=innovator, trial=trial, fields={}, owners=chosen)
        if index == 0:
            run_to_end(trial, innovator)
            services.result_add_counts(
                actor=innovator, trial=trial, outcome="Møtte", arms=[("SMS", 40, 100), ("Ingen SMS", 30, 100)]
            )
        if index == 2:
            run_to_end(trial, innovator)
            services.report_results(actor=innovator, trial=trial, summary="Kortere ventetid.")


FILTERS = [
    {},
    {"kind": ["pilot"]},
    {"kind": ["pilot", "lab"], "sector": ["health_care"]},
    {"county": ["46"]},
    {"municipality": ["askoy", "bodo"]},
    {"size_band": ["xl"], "centrality": ["3"]},
    {"outcome": ["none"]},
    {"area": ["Helse"], "design": ["individual_rct"]},
    {"county": ["99"]},
    {"centrality": ["x"]},
]


@pytest.mark.parametrize("params", FILTERS)
@pytest.mark.parametrize("who", ["anonymous", "innovator"])
def test_the_counts_in_one_statement_are_those_of_a_group_by_per_facet(registry, innovator, params, who):
    user = innovator if who == "innovator" else None
    for query in ("", "ventetid"):
        trials = selectors.filtered(user, params, query)
        figures = selectors.overview_counts(trials)
        expected = reference_counts(trials)
        assert figures.counts == {name: values for name, values in expected.items()}
        assert figures.total == trials.count()
        assert set(figures.names["municipality"]) == set(expected["municipality"])
        assert set(figures.names["county"]) == set(expected["county"])


def test_the_names_are_those_of_the_counted_owners(registry):
    figures = selectors.overview_counts(selectors.filtered(None, {}))
    assert figures.names["county"] == {"46": "Vestland", "18": "Nordland"}
    assert figures.names["municipality"] == {
        "oygarden": "Øygarden kommune",
        "askoy": "Askøy kommune",
        "bodo": "Bodø kommune",
    }
    # Two owners in one county count their joint trial once; the county council has no size band or centrality.
    assert figures.counts["county"] == {"46": 4, "18": 2}
    assert figures.counts["centrality"] == {3: 3, 2: 2}
    assert sum(figures.counts["size_band"].values()) == 5


def test_no_hit_and_impossible_filters_count_nothing(client, registry):
    for trials in (selectors.filtered(None, {}, "zqxjvw"), selectors.filtered(None, {"county": ["æ"]})):
        figures = selectors.overview_counts(trials)
        assert figures.total == 0
        assert all(not values for values in figures.counts.values())
    # A filter no value can meet, with a search: no trial, and no error.
    response = client.get("/forsok/?centrality=x&q=ventetid")
    assert response.status_code == 200
    assert "0 forsøk" in response.content.decode()


def test_the_overview_reads_in_a_fixed_number_of_queries(client, registry, django_assert_num_queries):
    # The facet counts with the total and the owners' names; the page of trials; their owners.
    with django_assert_num_queries(3):
        response = client.get("/forsok/?kind=pilot&kind=lab")
    assert response.status_code == 200
    page = response.content.decode()
    assert "3 forsøk" in page
    assert ">Vestland (3)</label>" in page and ">Nordland (1)</label>" in page
    assert ">Askøy kommune (1)</label>" in page and ">Bodø kommune (1)</label>" in page


def test_trials_indexed_in_bulk_are_indexed_as_one_by_one(registry):
    from nyskap.core.search.models import SearchDocument
    from nyskap.trials.search import index_trials

    fields = ("object_id", "title", "text_a", "text_b", "text_c", "language", "tags")
    one_by_one = sorted(SearchDocument.objects.values_list(*fields))
    assert len(one_by_one) == Trial.objects.count() == 6
    SearchDocument.objects.all().delete()
    assert index_trials(Trial.objects.order_by("pk")) == 6
    assert sorted(SearchDocument.objects.values_list(*fields)) == one_by_one
    assert selectors.filtered(None, {}, "ventetid").count() == 5
