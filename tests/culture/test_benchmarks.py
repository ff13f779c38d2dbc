"""The national picture: only organisations that allow it, only closed rounds that met their threshold, rounds
frozen once used, groups of at least CULTURE_MIN_ORGANISATIONS organisations, complementary suppression across
overlapping groups and over time, rounded figures, Cronbach's alpha from the data."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import settings as settings_hypothesis
from hypothesis import strategies as st

from nyskap.culture.benchmarks import recompute
from nyskap.culture.models import Benchmark, Scope
from nyskap.culture.results import round_results
from nyskap.surveys.calculations import cronbach_alpha, mean_interval, moments
from nyskap.surveys.models import Round

from ..organisations.factories import CountyFactory, OrganisationFactory
from .factories import answer_all, culture_round

pytestmark = pytest.mark.django_db


def _closed_round(operator, organisation, values, overrides=None, share=True):
    round = culture_round(actor=operator, organisation=organisation, share_in_benchmarks=share)
    for index, value in enumerate(values):
        answer_all(round, value, overrides=(overrides or {}).get(index))
    Round.objects.filter(pk=round.pk).update(closed_early=True)
    return round


@pytest.fixture
def three_will_do(settings):
    """The four-municipality tests below publish groups of three organisations (the default minimum is 5)."""
    settings.CULTURE_MIN_ORGANISATIONS = 3


@pytest.fixture
def four_municipalities(operator, home_municipality, three_will_do):
    """Øygarden (Vestland) and three more: two in Vestland, one in Nordland; population 39,000 → same band."""
    vestland = home_municipality.county
    nordland = CountyFactory(number="18", name="Nordland", official_name="Nordland")
    others = [
        OrganisationFactory(name="Bergen kommune", slug="bergen", county=vestland, population=35000),
        OrganisationFactory(name="Askøy kommune", slug="askoy", county=vestland, population=30000),
        OrganisationFactory(name="Bodø kommune", slug="bodo", county=nordland, population=33000),
    ]
    orgs = [home_municipality, *others]
    means = [[4, 4, 4, 4, 5], [3, 3, 3, 4, 3], [2, 3, 2, 3, 2], [5, 4, 5, 4, 5]]
    rounds = [_closed_round(operator, org, values) for org, values in zip(orgs, means, strict=True)]
    return orgs, rounds, means


def test_when_recomputed_then_the_national_figure_is_the_mean_of_organisation_means(four_municipalities):
    _orgs, _rounds, means = four_municipalities
    assert recompute() > 0
    national = Benchmark.objects.get(scope=Scope.NATIONAL, key="", dimension="curiosity")
    org_means = [sum(v) / len(v) for v in means]
    expected = mean_interval(moments(org_means), bounds=(1, 5))
    # Published rounded: counts to 5, means and interval ends to 0.1.
    assert len(national.rounds) == 4
    assert (national.organisations, national.respondents) == (5, 20)
    assert national.mean == round(sum(org_means) / 4, 1)
    assert (national.low, national.high) == (round(expected.low, 1), round(expected.high, 1))


def test_when_a_county_has_one_organisation_then_it_and_the_county_it_could_be_derived_from_are_hidden(
    four_municipalities,
):
    recompute()
    counties = set(Benchmark.objects.filter(scope=Scope.COUNTY).values_list("key", flat=True))
    # Vestland has 3 organisations, Nordland 1: Nordland is hidden, and so is Vestland, since 4 − 3 = 1.
    assert counties == set()
    assert Benchmark.objects.filter(scope=Scope.KIND, key="municipality").count() == 7


def test_when_an_organisation_does_not_allow_comparison_then_it_is_left_out(operator, four_municipalities):
    _orgs, rounds, _means = four_municipalities
    Round.objects.filter(pk=rounds[3].pk).update(share_in_benchmarks=False)
    recompute()
    national = Benchmark.objects.get(scope=Scope.NATIONAL, dimension="curiosity")
    assert len(national.rounds) == 3
    assert rounds[3].pk not in national.rounds


def test_when_fewer_than_three_organisations_contribute_then_nothing_is_stored(four_municipalities):
    _orgs, rounds, _means = four_municipalities
    Round.objects.filter(pk__in=[rounds[0].pk, rounds[1].pk]).update(share_in_benchmarks=False)
    assert recompute() == 0
    assert Benchmark.objects.count() == 0


def test_when_a_round_is_still_open_or_under_its_threshold_then_it_does_not_count(operator, four_municipalities):
    orgs, rounds, _means = four_municipalities
    Round.objects.filter(pk=rounds[0].pk).update(closed_early=False)  # open again (the clock is mid-November)
    small = _closed_round(operator, orgs[1], [1, 1, 1])
    Round.objects.filter(pk=small.pk).update(closes_on=datetime.date(2026, 11, 29))
    recompute()
    assert len(Benchmark.objects.get(scope=Scope.NATIONAL, dimension="curiosity").rounds) == 3


def test_cronbach_alpha_matches_the_raw_computation(operator, four_municipalities):
    orgs, _rounds, _means = four_municipalities
    extra = culture_round(actor=operator, organisation=orgs[0], title="Varierende")
    patterns = [[1, 2, 2, 1], [2, 2, 3, 3], [3, 3, 3, 4], [4, 4, 5, 4], [5, 4, 5, 5], [2, 3, 2, 2]]
    for pattern in patterns:
        answer_all(extra, 3, overrides={f"curiosity-{i + 1}": str(v) for i, v in enumerate(pattern)})
    Round.objects.filter(pk=extra.pk).update(closed_early=True, closes_on=datetime.date(2026, 11, 30))
    recompute()
    national = Benchmark.objects.get(scope=Scope.NATIONAL, dimension="curiosity")
    # Øygarden's latest round is now `extra` (same close date, higher id), so its rows replace the first round's.
    rows = patterns + [[v] * 4 for v in [3, 3, 3, 4, 3, 2, 3, 2, 3, 2, 5, 4, 5, 4, 5]]
    assert national.alpha == round(cronbach_alpha(rows), 2)


def test_when_enough_organisations_contribute_then_the_results_page_compares(four_municipalities, operator):
    recompute()
    orgs, _rounds, _means = four_municipalities
    current = culture_round(actor=operator, organisation=orgs[0], title="Ny runde")
    for value in [3, 3, 4, 2, 3]:
        answer_all(current, value)
    Round.objects.filter(pk=current.pk).update(closed_early=True)
    current.refresh_from_db()
    results = round_results(current)
    labels = [b.label for b in results.dimensions[0].benchmarks]
    assert labels[0] == "All public-sector organisations"
    assert len(labels) == 2 and labels[1].startswith("Municipality")
    assert results.dimensions[0].benchmarks[0].organisations == 5  # 4, published rounded to 5


def test_the_public_national_page_shows_groups_and_too_few(four_municipalities):
    recompute()
    client = Client()
    client.cookies["django_language"] = "en"
    html = client.get("/kultur/").content.decode()
    assert "All public-sector organisations" in html
    # Groups without enough organisations are not rows of "too few": the page says how many are left out and why.
    assert "Too few" not in html
    assert (
        "groups are not listed: each has fewer than 3 organisations, or is hidden so that a smaller group cannot be "
        "worked out." in html
    )
    nb = Client().get("/kultur/").content.decode()
    by_kind = nb[nb.index('id="breakdown-1"') : nb.index('id="breakdown-2"')]
    rows = re.findall(r'<tr><th scope="row">([^<]*)</th><td class="num">(\d+)</td>', by_kind)
    assert rows == [("Alle offentlige virksomheter", "5"), ("Kommune", "5")]  # 4, published rounded to 5
    methods = client.get("/kultur/metode/").content.decode()
    assert "Cronbach" in methods


def test_when_no_organisation_has_closed_a_round_then_the_national_page_says_so_in_a_sentence(db):
    html = Client().get("/kultur/").content.decode()
    assert "<table" not in html and "For få" not in html
    sentence = re.search(r'<p class="ds-paragraph" id="no-national-picture">([^<]*)</p>', html)
    assert sentence is not None
    assert sentence[1] == (
        "Ikke noe nasjonalt bilde ennå: det vises når minst 5 organisasjoner har avsluttet en undersøkelsesrunde "
        "og tillatt sammenligning."
    )


def test_when_the_command_recomputes_then_it_reports_the_figures_stored(four_municipalities):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("recompute_culture_benchmarks", stdout=out)
    assert out.getvalue().startswith(f"Stored {Benchmark.objects.count()} figures in ")
    assert Benchmark.objects.filter(scope=Scope.NATIONAL).count() == 7


@settings_hypothesis(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.frozensets(st.integers(min_value=0, max_value=9), min_size=4),
            st.frozensets(st.integers(min_value=0, max_value=9)),
            st.frozensets(st.integers(min_value=0, max_value=9)),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_over_any_sequence_of_recomputations_no_small_set_is_derivable_from_everything_published(steps):
    """Pure check of the publishing plan over time: groups come and go and overlap; whatever was published at any
    step, together, never lets a reader derive fewer than the minimum (checked by brute force over all subsets)."""
    from itertools import combinations

    import numpy as np

    from nyskap.culture.benchmarks import plan

    minimum = 4
    previous: dict[tuple[str, str], frozenset] = {}
    history: list[frozenset] = []
    for everyone, first, second in steps:
        new = {("national", ""): everyone, ("kind", "a"): first & everyone, ("county", "b"): second & everyone}
        new = {k: v for k, v in new.items() if v}
        decided = plan(new, previous, frozenset(range(10)), minimum, history)
        published = {k: previous[k] for k in decided.keep} | {k: new[k] for k in decided.fresh}
        history.extend(published.values())
        previous = published
    members = sorted(set().union(*history)) if history else []
    if not members:
        return
    rows = np.array([[1.0 if m in g else 0.0 for m in members] for g in history])
    rank = np.linalg.matrix_rank(rows)
    for size in range(1, minimum):
        for subset in combinations(members, size):
            target = np.array([[1.0 if m in subset else 0.0 for m in members]])
            assert np.linalg.matrix_rank(np.vstack([rows, target])) > rank, (subset, history)
