"""The refresh against the database: the stored figures equal a direct computation for every lens, the country's
project count is the public project count, organisation-internal items never reach a public lens, and a change
queues a refresh. Run on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Count, Q

from nyskap.challenges.models import PUBLIC_STATUSES, Challenge
from nyskap.core.visibility import Visibility
from nyskap.dashboards import services
from nyskap.dashboards.lenses import COUNTY_KINDS
from nyskap.dashboards.models import Snapshot
from nyskap.organisations.models import Organisation
from nyskap.projects.models import Adoption, Phase, Project
from nyskap.projects.services.projects import project_adopt
from nyskap.trials.models import Trial
from tests.benefits.factories import make_plan
from tests.challenges.factories import make_challenge
from tests.dashboards.factories import make_internal
from tests.projects.factories import make_project
from tests.trials.factories import make_trial


@pytest.fixture
def landscape(innovator, outsider, home_municipality, other_municipality):
    """Øygarden (Vestland): a public project adopted by Bodø, a project for its own people, a draft; a public trial, a
    draft challenge and a draft benefit plan. Bodø (Nordland): a public project."""
    shared = make_project(
        actor=innovator, owner=home_municipality, title="Varm mat", visibility=Visibility.PUBLIC, sector="health_care"
    )
    make_internal(innovator, home_municipality)
    make_project(actor=innovator, owner=home_municipality, title="Utkast", visibility=Visibility.DRAFT)
    make_project(
        actor=outsider,
        owner=other_municipality,
        title="Bodø-prosjekt",
        visibility=Visibility.PUBLIC,
        sector="education",
    )
    project_adopt(
        source=shared,
        actor=outsider,
        how="copied",
        adopted_on=datetime.date(2025, 5, 1),
        adopter_organisation=other_municipality,
    )
    make_trial(actor=innovator, owner=home_municipality, title="SMS-forsøk")
    make_challenge(actor=innovator, owner=home_municipality)
    make_plan(project=shared, actor=innovator)
    services.refresh()
    return shared


def _organisations(kind: str, key: str) -> list[int]:
    organisations = Organisation.objects.all()
    if kind == "county":
        organisations = organisations.filter(county__number=key, kind__in=COUNTY_KINDS)
    elif kind == "organisation":
        organisations = organisations.filter(Q(organisation_number=key) | Q(slug=key))
    elif kind == "size_band":
        organisations = organisations.filter(kind="municipality", size_band=key)
    elif kind == "centrality":
        organisations = organisations.filter(kind="municipality", centrality_class=int(key))
    return list(organisations.values_list("pk", flat=True))


def direct(kind: str, key: str) -> dict[str, object]:
    """The lens's public figures counted straight from the database, without the dashboards' code."""
    projects = Project.objects.filter(visibility=Visibility.PUBLIC)
    trials = Trial.objects.filter(visibility=Visibility.PUBLIC)
    challenges = Challenge.objects.filter(status__in=PUBLIC_STATUSES)
    if kind == "sector":
        projects, trials, challenges = (q.filter(sector=key) for q in (projects, trials, challenges))
    elif kind != "country":
        owners = _organisations(kind, key)
        projects = projects.filter(owners__in=owners).distinct()
        trials = trials.filter(owners__in=owners).distinct()
        challenges = challenges.filter(owners__in=owners).distinct()
    ids = list(projects.values_list("pk", flat=True))
    by_phase = dict(Project.objects.filter(pk__in=ids).values_list("phase").annotate(n=Count("pk")).order_by("phase"))
    owners: dict[int, set[int]] = {}
    for project_id, organisation_id in Project.owners.through.objects.values_list("project_id", "organisation_id"):
        owners.setdefault(project_id, set()).add(organisation_id)
    adoptions = [
        (source, adopter)
        for source, adopter, adopting_visibility in Adoption.objects.filter(source_project__in=ids).values_list(
            "source_project_id", "adopting_organisation_id", "adopting_project__visibility"
        )
        if adopter not in owners.get(source, set()) and adopting_visibility in (None, Visibility.PUBLIC)
    ]
    return {
        "projects": len(ids),
        "by_phase": by_phase,
        "trials": trials.count(),
        "challenges": challenges.count(),
        "adoptions_of": len(adoptions),
    }


def stored(snapshot: Snapshot) -> dict[str, object]:
    data = snapshot.data
    return {
        "projects": data["projects"]["total"],
        "by_phase": data["projects"]["by_phase"],
        "trials": data["trials"]["total"],
        "challenges": data["challenges"]["total"],
        "adoptions_of": data["spread"]["adoptions_of"],
    }


def test_every_stored_lens_equals_a_direct_computation(landscape):
    snapshots = list(Snapshot.objects.filter(audience="public"))
    assert len(snapshots) > 10
    for snapshot in snapshots:
        assert stored(snapshot) == direct(snapshot.lens, snapshot.key), (snapshot.lens, snapshot.key)


def test_the_country_counts_the_public_projects(landscape):
    country = Snapshot.objects.get(lens="country", key="NO", audience="public").data
    assert country["projects"]["total"] == Project.objects.filter(visibility=Visibility.PUBLIC).count() == 2
    assert country["projects"]["by_phase"] == {Phase.NEED: 2}
    assert country["spread"]["adoptions_of"] == 1
    assert country["benefits"]["plans"] == 0  # the only plan is a draft


def test_internal_items_reach_only_their_own_organisations_internal_figures(landscape, home_municipality):
    key = home_municipality.organisation_number
    public = Snapshot.objects.get(lens="organisation", key=key, audience="public").data
    internal = Snapshot.objects.get(lens="organisation", key=key, audience="internal").data
    assert (public["projects"]["total"], internal["projects"]["total"]) == (1, 2)  # never the draft project
    assert (public["challenges"]["total"], internal["challenges"]["total"]) == (0, 1)
    assert (public["benefits"]["plans"], internal["benefits"]["plans"]) == (0, 1)
    assert set(Snapshot.objects.filter(audience="internal").values_list("lens", "key")) == {("organisation", key)}
    for snapshot in Snapshot.objects.filter(audience="public"):
        assert snapshot.data["challenges"]["total"] == 0, snapshot


def test_participation_in_the_api_shape(landscape):
    country = Snapshot.objects.get(lens="country", key="NO", audience="public").data
    assert country["participation"] == [
        {
            "size_band": "xl",
            "municipalities": 1,
            "active": 1,
            "share": 1.0,
            "share_of_all": 0.5,
            "share_of_active": 0.5,
        },
        {
            "size_band": "xxl",
            "municipalities": 1,
            "active": 1,
            "share": 1.0,
            "share_of_all": 0.5,
            "share_of_active": 0.5,
        },
    ]


@pytest.mark.django_db(transaction=True)
def test_a_change_queues_a_refresh(settings, innovator, home_municipality):
    settings.DASHBOARDS_REFRESH_ON_CHANGE = True
    services.refresh()
    assert Snapshot.objects.get(lens="country", key="NO").data["projects"]["total"] == 0
    make_project(actor=innovator, owner=home_municipality, visibility=Visibility.PUBLIC)
    # The task backend of the tests runs the queued refresh at once, after the commit.
    assert Snapshot.objects.get(lens="country", key="NO").data["projects"]["total"] == 1


def test_a_refresh_replaces_every_snapshot_at_once(landscape):
    first = services.last_refresh()
    count = Snapshot.objects.count()
    second = services.refresh()
    assert second.finished_at >= first.finished_at
    assert Snapshot.objects.count() == count == second.lenses
    assert set(Snapshot.objects.values_list("computed_at", flat=True)) == {second.finished_at}


def test_no_lens_shows_a_survey_figure_the_survey_did_not_publish(landscape, home_municipality):
    """The curious leader's attack: put lenses side by side (a county, the country, a size band, an organisation,
    either audience) to compute a group the culture survey kept hidden. Every culture figure any snapshot holds is
    one the survey published, unchanged, for that very group; a group it did not publish shows nothing."""
    from django.utils import timezone

    from nyskap.culture.models import Benchmark

    now = timezone.now()
    published = {("national", ""): 3.6, ("county", "46"): 3.4, ("kind_size", "municipality:xl"): 3.1}
    for (scope, key), mean in published.items():
        for dimension in ("d1", "d2"):
            Benchmark.objects.create(
                scope=scope, key=key, dimension=dimension, organisations=5, respondents=40, mean=mean,
                low=mean - 0.2, high=mean + 0.2, computed_at=now,
            )  # fmt: skip
    services.refresh()
    group_of = {("country", "NO"): ("national", ""), ("county", "46"): ("county", "46")}
    bands = ("xs", "s", "m", "l", "xl", "xxl")
    group_of |= {("size_band", band): ("kind_size", f"municipality:{band}") for band in bands}
    shown = []
    for snapshot in Snapshot.objects.all():
        figures = snapshot.data.get("culture")
        group = group_of.get((snapshot.lens, snapshot.key))
        if group is None or group not in published:
            assert not figures, (snapshot.lens, snapshot.key, snapshot.audience, figures)
            continue
        expected = [
            (b.dimension, b.respondents, b.mean, b.low, b.high)
            for b in Benchmark.objects.filter(scope=group[0], key=group[1]).order_by("dimension")
        ]
        assert [(f["dimension"], f["respondents"], f["mean"], f["low"], f["high"]) for f in figures] == expected
        shown.append((snapshot.lens, snapshot.key, snapshot.audience))
    # Each published group is shown once, to everybody (internal figures are an organisation's own, and an
    # organisation's lens has no survey figures); the county and size band beside them, with no group, show nothing.
    assert sorted(shown) == [("country", "NO", "public"), ("county", "46", "public"), ("size_band", "xl", "public")]
    assert Snapshot.objects.get(lens="county", key="18", audience="public").data["culture"] == []
    assert Snapshot.objects.get(lens="size_band", key="xxl", audience="public").data["culture"] == []
