"""The dashboards' figures on a worked example small enough to count by hand (`figures.compute` is pure)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from nyskap.benefits.selectors import BenefitSum
from nyskap.challenges.selectors import ChallengeFact
from nyskap.dashboards import figures
from nyskap.dashboards.lenses import Directory
from nyskap.instruments.selectors import InstrumentMeta, UseFact
from nyskap.organisations.selectors import Profile
from nyskap.procurement.selectors import NoticeCount
from nyskap.projects.selectors import AdoptionFact, ProjectFact
from nyskap.trials.selectors import SandboxFact, TrialFact

A, B, C, D, G, S = 1, 2, 3, 4, 5, 6
TODAY = datetime.date(2026, 12, 1)


def project(
    pk,
    owners,
    *,
    public=True,
    phase="need",
    sector="",
    types=(),
    degree="",
    novelty="",
    started=None,
    finished=None,
    implemented=None,
):
    return ProjectFact(
        pk, public, phase, degree, novelty, sector, started, finished, implemented, tuple(owners), tuple(types)
    )


@pytest.fixture
def facts() -> figures.Facts:
    directory = Directory(
        {
            A: Profile(A, "municipality", "A kommune", "a", "900000001", "46", "s", 5),
            B: Profile(B, "municipality", "B kommune", "b", "900000002", "46", "xxl", 2),
            C: Profile(C, "municipality", "C kommune", "c", "900000003", "18", "s", 6),
            D: Profile(D, "municipality", "D kommune", "d", "900000004", "18", "xs", 6),
            G: Profile(G, "county_governor", "Statsforvalteren", "g", "900000005", "46", "", None),
            S: Profile(S, "state_agency", "Direktoratet", "s-dir", "900000006", "03", "", None),
        }
    )
    return figures.Facts(
        directory=directory,
        projects=[
            project(
                1,
                [A, B],
                phase="implemented",
                sector="health_care",
                types=("service", "process"),
                degree="radical",
                novelty="first_of_its_kind",
                started=2020,
                finished=2022,
                implemented=datetime.date(2022, 1, 1),
            ),
            project(2, [C], phase="stopped", sector="education", started=2021),
            project(3, [A], public=False, phase="need", sector="health_care"),
            project(4, [S], phase="spread", implemented=datetime.date(2021, 6, 1)),
        ],
        adoptions=[
            AdoptionFact(1, 2, C, datetime.date(2022, 3, 2), True),
            AdoptionFact(1, None, S, datetime.date(2023, 1, 1), True),
            AdoptionFact(4, None, S, datetime.date(2022, 1, 1), True),  # by its own owner: not spread
            AdoptionFact(3, None, C, datetime.date(2024, 1, 1), False),  # of an internal project
        ],
        uses=[UseFact(1, 10, 2021, "granted"), UseFact(2, 10, 2021, "rejected"), UseFact(3, 11, 2022, "granted")],
        instruments={
            10: InstrumentMeta({"nb": "Stimulab", "nn": "Stimulab", "en": "Stimulab"}, ("need", "ideas"), ("money",)),
            11: InstrumentMeta({"nb": "Kommunalt innovasjonsfond", "nn": "", "en": ""}, ("need",), ("advice",)),
        },
        trials=[
            TrialFact(1, True, "pilot", "decided", "health_care", True, "permanent", False, (A,)),
            TrialFact(2, True, "forsoksloven", "running", "education", False, "", True, (C,)),
            TrialFact(3, False, "lab", "ended", "", False, "", False, (A,)),
        ],
        sandboxes=[SandboxFact(S, 12, 3), SandboxFact(None, 5, 1)],
        challenges=[
            ChallengeFact(1, True, "innovation_partnership", "awarded", "health_care", True, (A, B)),
            ChallengeFact(2, False, "market_dialogue", "draft", "", False, (A,)),
        ],
        notices=[NoticeCount(A, "46", "innovation", 3), NoticeCount(None, "18", "other", 7)],
        benefits=[
            BenefitSum(1, False, 2024, "own", Decimal("100"), Decimal("40")),
            BenefitSum(1, False, 2025, "citizens", Decimal("50"), Decimal("0")),
            BenefitSum(3, True, 2024, "own", Decimal("999"), Decimal("0")),
        ],
        plans=[(1, False), (3, True)],
        culture=[
            {
                "scope": "national",
                "key": "",
                "dimension": "curiosity",
                "organisations": 40,
                "respondents": 900,
                "mean": 3.6,
                "low": 3.5,
                "high": 3.7,
                "level": 3,
            },
            {
                "scope": "county",
                "key": "46",
                "dimension": "curiosity",
                "organisations": 10,
                "respondents": 200,
                "mean": 3.4,
                "low": 3.2,
                "high": 3.6,
                "level": 3,
            },
            {
                "scope": "kind_size",
                "key": "municipality:s",
                "dimension": "curiosity",
                "organisations": 5,
                "respondents": 100,
                "mean": 3.1,
                "low": 2.8,
                "high": 3.4,
                "level": 2,
            },
        ],
        culture_organisations=set(),
        barometer=[
            {
                "round": 7,
                "kind": "operative",
                "title": "Barometeret 2026",
                "period_end": "2026-06-30",
                "indicators": [
                    {
                        "key": "k1",
                        "overall": {"share": 0.5, "low": 0.4, "high": 0.6},
                        "breakdowns": {"county": {"46": {"share": 0.7, "low": 0.5, "high": 0.9}}},
                    }
                ],
            },
        ],
        sectors=["health_care", "education", "culture"],
    )


@pytest.fixture
def result(facts):
    return figures.compute(facts, TODAY)


def test_a_project_counts_once_in_every_lens_it_falls_in(result):
    assert result[("country", "NO", "public")]["projects"]["total"] == 3  # the internal project 3 is left out
    assert result[("county", "46", "public")]["projects"]["total"] == 1  # project 1: owned by A and B, once
    assert result[("county", "18", "public")]["projects"]["total"] == 1
    assert result[("size_band", "s", "public")]["projects"]["total"] == 2
    assert result[("size_band", "xxl", "public")]["projects"]["total"] == 1
    assert result[("centrality", "6", "public")]["projects"]["total"] == 1
    assert result[("sector", "health_care", "public")]["projects"]["total"] == 1
    assert result[("organisation", "900000001", "public")]["projects"]["total"] == 1
    # A state agency is not part of a county lens, whatever county its address is in.
    assert ("county", "03", "public") not in result


def test_every_lens_exists_even_with_nothing_in_it(result):
    assert result[("sector", "culture", "public")]["projects"]["total"] == 0
    assert result[("size_band", "xs", "public")]["projects"]["total"] == 0
    assert result[("organisation", "900000005", "public")]["projects"]["total"] == 0


def test_project_breakdowns(result):
    country = result[("country", "NO", "public")]["projects"]
    assert country["by_phase"] == {"implemented": 1, "spread": 1, "stopped": 1}
    assert country["by_type"] == {"process": 1, "service": 1}
    assert country["by_degree"] == {"radical": 1, "unknown": 2}
    assert country["by_year"] == {"2020": [1, 0], "2021": [1, 0], "2022": [0, 1]}
    assert (country["ended"], country["stopped"], country["stopped_share"]) == (3, 1, 0.3333)


def test_spread_counts_adoptions_by_other_bodies_only(result):
    country = result[("country", "NO", "public")]["spread"]
    assert (country["adoptions_of"], country["adoptions_by"], country["reused"]) == (2, 2, 1)
    assert country["reused_share"] == 0.3333
    # Project 1's family: itself, project 2 and the directorate (3); project 4 and its owner's own adoption (2).
    assert country["families"] == {"2": 1, "3-5": 1, "6-10": 0, "11+": 0}
    # Implemented 1 January 2022, first adopted by another body 2 March 2022: 60 days.
    assert country["median_wait_days"] == 60
    assert country["waits"]["0-6m"] == 1
    vestland = result[("county", "46", "public")]["spread"]
    assert (vestland["adoptions_of"], vestland["adoptions_by"]) == (2, 0)
    assert result[("county", "18", "public")]["spread"]["adoptions_by"] == 1


def test_internal_figures_add_the_organisations_own_items_only(result):
    public = result[("organisation", "900000001", "public")]
    internal = result[("organisation", "900000001", "internal")]
    assert (public["projects"]["total"], internal["projects"]["total"]) == (1, 2)
    assert (public["spread"]["adoptions_of"], internal["spread"]["adoptions_of"]) == (2, 3)
    assert (public["trials"]["total"], internal["trials"]["total"]) == (1, 2)
    assert (public["challenges"]["total"], internal["challenges"]["total"]) == (1, 2)
    assert (public["benefits"]["planned"], internal["benefits"]["planned"]) == (150, 1149)
    assert (public["benefits"]["plans"], internal["benefits"]["plans"]) == (1, 2)
    # Nothing internal is ever a lens of its own beyond the organisation's, nor leaks into a public lens.
    assert {kind for kind, _key, audience in result if audience == "internal"} == {"organisation"}
    assert result[("country", "NO", "public")]["benefits"]["planned"] == 150
    assert result[("county", "46", "public")]["challenges"]["total"] == 1
    # An organisation with nothing internal has no internal figures (the public ones serve its members).
    assert ("organisation", "900000003", "internal") not in result


def test_instruments_trials_challenges_procurement_benefits(result):
    country = result[("country", "NO", "public")]
    assert country["instruments"]["uses"] == 1  # the rejected use and the internal project's use do not count
    assert country["instruments"]["matrix"] == {"ideas|money": 1, "need|money": 1}
    assert country["instruments"]["top"] == [
        {"id": 10, "uses": 1, "names": {"nb": "Stimulab", "nn": "Stimulab", "en": "Stimulab"}}
    ]
    assert country["instruments"]["by_band"] == {"s": 1, "xxl": 1}
    trials = country["trials"]
    assert (trials["total"], trials["preregistered"], trials["ended"], trials["decided"], trials["overdue"]) == (
        2,
        1,
        1,
        1,
        1,
    )
    assert (trials["preregistered_share"], trials["decided_share"]) == (0.5, 1.0)
    assert (trials["sandbox_applications"], trials["sandbox_admitted"]) == (17, 4)
    assert result[("organisation", "900000006", "public")]["trials"]["sandbox_admitted"] == 3
    assert country["challenges"] == {
        "total": 1,
        "by_procedure": {"innovation_partnership": 1},
        "by_status": {"awarded": 1},
        "joint": 1,
    }
    assert country["procurement"] == {
        "notices": 10,
        "innovation": 3,
        "friendly": 0,
        "innovation_share": 0.3,
        "friendly_share": 0.0,
    }
    assert result[("county", "18", "public")]["procurement"]["notices"] == 7
    assert result[("sector", "health_care", "public")]["procurement"] is None
    benefits = country["benefits"]
    assert benefits["by_year"] == {"2024": [100, 40], "2025": [50, 0]}
    assert benefits["by_bearer"] == {"citizens": [50, 0], "own": [100, 40]}
    assert (benefits["planned"], benefits["realised"], benefits["outside"], benefits["outside_share"]) == (
        150,
        40,
        50,
        0.3333,
    )


def test_participation_by_size_band_beside_the_share_of_all(result):
    assert result[("country", "NO", "public")]["participation"] == [
        {
            "size_band": "xs",
            "municipalities": 1,
            "active": 0,
            "share": 0.0,
            "share_of_all": 0.25,
            "share_of_active": 0.0,
        },
        {
            "size_band": "s",
            "municipalities": 2,
            "active": 2,
            "share": 1.0,
            "share_of_all": 0.5,
            "share_of_active": 0.6667,
        },
        {
            "size_band": "xxl",
            "municipalities": 1,
            "active": 1,
            "share": 1.0,
            "share_of_all": 0.25,
            "share_of_active": 0.3333,
        },
    ]
    assert [row["centrality"] for row in result[("country", "NO", "public")]["participation_centrality"]] == [2, 5, 6]
    # Nordland (18): C took part (project 2, an adoption), D did not.
    assert [(r["size_band"], r["active"]) for r in result[("county", "18", "public")]["participation"]] == [
        ("xs", 0),
        ("s", 1),
    ]
    # A sector lens counts the sector's items only: in education only C took part.
    education = result[("sector", "education", "public")]["participation"]
    assert sum(row["active"] for row in education) == 1


def test_survey_figures_are_the_published_groups_only(result):
    assert [f["mean"] for f in result[("country", "NO", "public")]["culture"]] == [3.6]
    assert [f["mean"] for f in result[("county", "46", "public")]["culture"]] == [3.4]
    assert [f["mean"] for f in result[("size_band", "s", "public")]["culture"]] == [3.1]
    assert result[("county", "18", "public")]["culture"] == []  # no published group: nothing, not a computation
    assert result[("centrality", "6", "public")]["culture"] is None
    assert result[("organisation", "900000001", "public")]["culture"] is None
    assert result[("country", "NO", "public")]["barometer"][0]["indicators"] == [
        {"key": "k1", "share": 0.5, "low": 0.4, "high": 0.6}
    ]
    assert result[("county", "46", "public")]["barometer"][0]["indicators"][0]["share"] == 0.7
    assert result[("county", "18", "public")]["barometer"][0]["indicators"] == []  # hidden by the round
    assert result[("organisation", "900000001", "public")]["barometer"] is None


def test_small_counts_get_whole_ticks_only():
    from nyskap.dashboards import charts

    small = charts._value_axis([{"value": 2}, {"value": 0}]).to_dict()
    assert small["values"] == [0, 1, 2]
    large = charts._value_axis([{"value": 120}, {"value": 3}]).to_dict()
    assert "values" not in large and large["tickMinStep"] == 1
    shares = charts._value_axis([{"value": 0.5}, {"value": None}]).to_dict()
    assert "values" not in shares
