"""The matcher, from the instruments' own rules (the rule is cited above each case) and from its documented
scoring (nyskap.instruments.matching), with hand-worked numbers; hypothesis for the invariants."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from nyskap.instruments.catalogue import read_instruments
from nyskap.instruments.matching import (
    DOES_NOT_FIT,
    FITS,
    FITS_PARTLY,
    InstrumentFacts,
    MatchInput,
    match,
    match_one,
    sort_key,
)

PHASES = ["need", "ideas", "develop_test", "implemented", "spread"]
OFFERS = ["money", "advice", "competence", "network", "legal", "data", "method"]
KINDS = ["municipality", "county_municipality", "state_agency", "ministry", "company", "research", "other_public"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def shipped() -> dict[str, InstrumentFacts]:
    """The shipped catalogue as matcher facts (no database: the rows as read)."""
    facts = {}
    for row in read_instruments():
        v = row.values
        facts[v["slug"]] = InstrumentFacts(
            key=v["slug"], name=v["name_nb"], offers=tuple(v["offers"]), applicant_kinds=tuple(v["applicant_kinds"]),
            partner_kinds=tuple(v["partner_kinds"]), phases=tuple(v["phases"]), sectors=tuple(v["sectors"]),
            requires_open_call=v["requires_open_call"], ended=v["status"] == "ended", ended_on=v["ended_on"],
        )  # fmt: skip
    return facts


def messages(result) -> list[str]:
    return [reason.message for reason in result.reasons if reason.fits is False]


# Who may apply


def test_when_a_municipality_asks_for_co_financing_then_it_is_excluded_as_partner_only():
    # DOMAIN.md §3.3 (difi.no, 2019): "Applicants: state administrative bodies …; municipalities only as partners".
    result = match_one(shipped()["medfinansiering"], MatchInput(organisation_kind="municipality"))
    assert result.excluded and result.score == 0
    assert messages(result) == ["The scheme is for state bodies; municipalities can only be partners."]
    assert [r.code for r in result.reasons if r.fits is False] == ["partner_only"]


def test_when_a_state_agency_asks_for_co_financing_in_development_then_it_fits_fully():
    # Same rule: a state body may apply; the scheme covers development and implementation (WP box 13.3).
    result = match_one(
        shipped()["medfinansiering"],
        MatchInput(organisation_kind="state_agency", phase="develop_test", needs=("money",)),
    )
    assert not result.excluded and result.score == 100
    assert "State agencies may apply." in [r.message for r in result.reasons]


def test_when_a_university_asks_for_co_financing_then_it_may_apply_as_a_state_body():
    # A state university is a state administrative body (ORGL, sector 6100) under KD: the co-financing scheme's
    # "state administrative bodies" includes it (docs/adr, register updates).
    result = match_one(
        shipped()["medfinansiering"],
        MatchInput(organisation_kind="university", phase="develop_test", needs=("money",)),
    )
    assert not result.excluded and result.score == 100
    assert "Universities and university colleges may apply." in [r.message for r in result.reasons]


def test_when_a_university_asks_for_a_scheme_for_research_organisations_then_it_counts_as_one():
    # Klynger (Innovasjon Norge, Forskningsrådet): companies apply; public bodies and research organisations take
    # part as partners. A university is both, and the reason names the scheme's applicants.
    result = match_one(shipped()["klynger"], MatchInput(organisation_kind="university"))
    assert messages(result) == [
        "The scheme is for companies; universities and university colleges can only be partners."
    ]
    assert "university" in shipped()["klynger"].partner_kinds


def test_when_a_regional_health_trust_asks_then_state_schemes_refuse_it_and_health_schemes_accept_it():
    # A regional health trust is a state-owned enterprise, not state administration: not a "state body" for the
    # co-financing scheme; Helsefellesskap (HOD, KS) is for municipalities and health trusts (WP ch. 10).
    facts = shipped()
    co_financing = match_one(facts["medfinansiering"], MatchInput(organisation_kind="regional_health_trust"))
    assert co_financing.excluded
    assert messages(co_financing) == ["The scheme is for state bodies, not for regional health trusts."]
    health = match_one(facts["helsefellesskap"], MatchInput(organisation_kind="regional_health_trust"))
    assert not health.excluded
    assert "Regional health trusts may apply." in [r.message for r in health.reasons]
    public = match_one(facts["stimulab"], MatchInput(organisation_kind="regional_health_trust"))
    assert not public.excluded


def test_when_a_municipality_asks_for_innovation_contracts_then_it_can_only_be_the_pilot_customer():
    # Innovasjonskontrakter: grant to the SME supplier; the public body is the pilot customer (WP ch. 11.2).
    result = match_one(shipped()["innovasjonskontrakter"], MatchInput(organisation_kind="municipality"))
    assert messages(result) == ["The scheme is for companies; municipalities can only be partners."]


def test_when_a_state_agency_asks_for_forkommune_then_it_is_not_eligible():
    # FORKOMMUNE: research and innovation in the municipal sector; target group municipal (WP ch. 12.1).
    result = match_one(shipped()["forkommune"], MatchInput(organisation_kind="state_agency"))
    assert messages(result) == ["The scheme is for municipalities and county municipalities, not for state agencies."]


def test_when_a_county_municipality_asks_for_the_trials_act_then_it_may_apply():
    # Forsøksloven: for the state, county and municipal administration (WP ch. 9.1.3).
    result = match_one(shipped()["forsoksloven"], MatchInput(organisation_kind="county_municipality"))
    assert not result.excluded
    assert "County municipalities may apply." in [r.message for r in result.reasons]


def test_when_a_company_asks_for_public_schemes_then_startoff_is_excluded_for_two_reasons():
    # StartOff: public buyers apply, start-ups are suppliers; discontinued in the 2024 budget (WP ch. 11.3).
    result = match_one(shipped()["startoff"], MatchInput(organisation_kind="company"))
    assert messages(result) == [
        "The scheme has ended.",
        "The scheme is for public bodies; companies can only be partners.",
    ]


def test_when_an_instrument_ended_on_a_known_date_then_the_date_is_given():
    # Programfinansiering i 0–24-samarbeidet: "until end 2022" (WP box 4.1).
    result = match_one(shipped()["programfinansiering-0-24"], MatchInput())
    assert messages(result) == ["The scheme ended on 31.12.2022."]


def test_when_no_organisation_is_given_then_who_may_apply_is_not_checked_and_said_so():
    result = match_one(shipped()["medfinansiering"], MatchInput(phase="develop_test"))
    assert not result.excluded
    assert ("kind_unknown", None) in [(r.code, r.fits) for r in result.reasons]


def test_when_the_population_is_above_the_limit_then_the_instrument_is_excluded():
    facts = InstrumentFacts(key="small", name="Small", applicant_kinds=("municipality",), max_population=5000)
    assert match_one(facts, MatchInput(organisation_kind="municipality", population=5000)).excluded is False
    result = match_one(facts, MatchInput(organisation_kind="municipality", population=5001))
    assert messages(result) == ["The scheme is for municipalities with at most 5\u00a0000 inhabitants."]


# Open calls


def test_when_only_open_calls_are_wanted_then_call_based_schemes_without_an_open_call_are_excluded():
    # IPO: Forskningsrådet takes applications in calls (WP ch. 12.1); the trials act has no calls.
    facts = shipped()
    asked = MatchInput(organisation_kind="municipality", only_open_calls=True)
    assert messages(match_one(facts["ipo"], asked)) == ["Applications only through calls, and no call is open now."]
    assert not match_one(facts["forsoksloven"], asked).excluded
    with_call = facts["ipo"]._replace(has_open_call=True)
    assert ("open_call", True) in [(r.code, r.fits) for r in match_one(with_call, asked).reasons]


def test_when_open_calls_are_not_required_then_a_closed_call_scheme_is_ranked_with_a_note():
    result = match_one(shipped()["ipo"], MatchInput(organisation_kind="municipality"))
    assert not result.excluded
    assert ("no_open_call", None) in [(r.code, r.fits) for r in result.reasons]


# Scoring (hand-worked)


def test_when_criteria_partly_fit_then_the_score_is_the_share_of_points_won():
    facts = InstrumentFacts(
        key="x", name="X", offers=("money", "advice"), applicant_kinds=("municipality",), phases=("need",),
        sectors=("health_care",), innovation_types=("service",),
    )  # fmt: skip
    asked = MatchInput(
        phase="ideas", needs=("money", "network", "data"), innovation_types=("service",), sector="education"
    )
    # phase 0/40 + needs 30 × 1/3 = 10 + type 15 + sector 0 = 25 of 100.
    assert match_one(facts, asked).score == 25
    # Only phase and needs answered: (40 + 10) / 70 = 71.43 % → 71.
    assert match_one(facts, MatchInput(phase="need", needs=("money", "network", "data"))).score == 71
    # needs 30 × 1/2 = 15, plus 15 for an instrument open to every sector: 30 / 45 = 66.67 % → 67.
    open_facts = InstrumentFacts(key="y", name="Y", offers=("money",))
    assert match_one(open_facts, MatchInput(needs=("money", "advice"), sector="education")).score == 67


def test_when_half_a_point_is_left_then_it_rounds_up():
    facts = InstrumentFacts(
        key="x", name="X", offers=("money",), phases=("need",), sectors=("health_care",), innovation_types=("product",)
    )
    # Every criterion answered (100 points possible); only needs win: 30 × 1/4 = 7.5 % → 8.
    asked = MatchInput(
        phase="spread", needs=("money", "advice", "data", "legal"), innovation_types=("service",), sector="education"
    )
    assert match_one(facts, asked).score == 8
    # Repeated needs count once: 7 distinct kinds asked, 1 offered: (40 + 30/7) / 70 = 63.27 % → 63.
    assert match_one(facts, MatchInput(phase="need", needs=(*OFFERS, "money"))).score == 63


def test_when_results_tie_then_an_open_call_and_then_the_name_decide():
    a = InstrumentFacts(key="a", name="Beta", offers=("money",))
    b = InstrumentFacts(key="b", name="alfa", offers=("money",))
    c = InstrumentFacts(key="c", name="Gamma", offers=("money",), has_open_call=True)
    d = InstrumentFacts(key="d", name="Delta", offers=("advice",))
    e = InstrumentFacts(key="e", name="Aaa", offers=("money",), ended=True)
    keys = [r.key for r in match([a, b, c, d, e], MatchInput(needs=("money",)))]
    assert keys == ["c", "b", "a", "d", "e"]


def test_when_an_instrument_offers_none_of_the_support_asked_for_then_it_does_not_fit_and_ranks_below_those_that_do():
    # Advice in the right phase, open to every sector and type: phase 40 + needs 0 + type 15 + sector 15 = 70 %.
    advice = InstrumentFacts(key="advice", name="Advice", offers=("advice",), phases=("ideas",))
    # Money in another phase: phase 0 + needs 30 + type 15 + sector 15 = 60 %.
    money = InstrumentFacts(key="money", name="Money", offers=("money",), phases=("spread",))
    # Money in the right phase: 100 %.
    best = InstrumentFacts(key="best", name="Best", offers=("money", "advice"), phases=("ideas",))
    ended = InstrumentFacts(key="ended", name="Ended", offers=("money",), ended=True)
    asked = MatchInput(phase="ideas", needs=("money",), innovation_types=("service",), sector="education")
    results = match([advice, money, ended, best], asked)
    assert [(r.key, r.score, r.fit) for r in results] == [
        ("best", 100, FITS),
        ("money", 60, FITS_PARTLY),
        ("advice", 70, DOES_NOT_FIT),
        ("ended", 0, DOES_NOT_FIT),
    ]
    assert [r.excluded for r in results] == [False, False, False, True]
    # Without needs asked, the score alone ranks them again.
    assert [r.key for r in match([advice, money], MatchInput(phase="ideas"))] == ["advice", "money"]
    assert match_one(advice, MatchInput(phase="ideas")).fit == FITS


def test_when_a_municipality_in_the_implementation_phase_asks_for_money_then_the_gap_shows():
    # The white paper (ch. 5): instruments are lacking in the implementation phase. In the shipped catalogue a
    # municipality that needs money to implement finds exactly one full fit: the welfare technology programme.
    results = match(
        list(shipped().values()), MatchInput(organisation_kind="municipality", phase="implemented", needs=("money",))
    )
    full = [r.key for r in results if r.score == 100 and not r.excluded]
    assert full == ["velferdsteknologiprogrammet"]


# Invariants

kinds = st.sampled_from(KINDS)
facts_strategy = st.builds(
    InstrumentFacts,
    key=st.text(alphabet="abcdefgh", min_size=1, max_size=6),
    name=st.text(alphabet="abcXYZ ", min_size=1, max_size=8),
    offers=st.lists(st.sampled_from(OFFERS), max_size=4, unique=True).map(tuple),
    applicant_kinds=st.lists(kinds, max_size=3, unique=True).map(tuple),
    partner_kinds=st.lists(kinds, max_size=2, unique=True).map(tuple),
    max_population=st.none() | st.integers(1, 100_000),
    phases=st.lists(st.sampled_from(PHASES), max_size=3, unique=True).map(tuple),
    requires_open_call=st.booleans(),
    ended=st.booleans(),
    ended_on=st.none() | st.dates(datetime.date(2015, 1, 1), datetime.date(2030, 1, 1)),
    has_open_call=st.booleans(),
)
input_strategy = st.builds(
    MatchInput,
    phase=st.sampled_from(["", *PHASES]),
    needs=st.lists(st.sampled_from(OFFERS), max_size=4).map(tuple),
    organisation_kind=st.sampled_from(["", *KINDS]),
    population=st.none() | st.integers(0, 200_000),
    only_open_calls=st.booleans(),
)


@given(st.lists(facts_strategy, max_size=8), input_strategy)
def test_when_anything_is_matched_then_scores_are_percentages_and_the_order_is_stable(instruments, asked):
    with translation.override("en"):
        results = match(instruments, asked)
        again = match(list(reversed(instruments)), asked)
    assert [(r.key, r.score) for r in results] == [(r.key, r.score) for r in again] or len(
        {f.key for f in instruments}
    ) < len(instruments)
    for result in results:
        assert 0 <= result.score <= 100
        assert result.excluded == any(
            r.code in ("ended", "partner_only", "not_eligible", "too_large")
            or (r.code == "no_open_call" and r.fits is False)
            for r in result.reasons
        )
        if result.excluded:
            assert result.score == 0
    flags = [r.excluded for r in results]
    assert flags == sorted(flags)  # every ranked instrument comes before every excluded one
    # The fit in words follows the rules: left out or offering none of the asked-for support does not fit; nothing
    # answered against it fits, and only then is the score 100.
    for result in results:
        offers_none = bool(asked.needs) and not any(reason.code == "needs" and reason.fits for reason in result.reasons)
        if result.excluded or offers_none:
            assert result.fit == DOES_NOT_FIT
        elif result.score == 100:
            assert result.fit == FITS
        else:
            assert result.fit == FITS_PARTLY
    ranked = [r for r in results if not r.excluded]
    # An instrument offering none of the asked-for kinds of support never ranks above one offering at least one.
    offers = [r.offers_needed for r in ranked]
    assert offers == sorted(offers, reverse=True)
    # Within each fit, the higher score first.
    for fit in (FITS, FITS_PARTLY, DOES_NOT_FIT):
        scores = [r.score for r in ranked if r.fit == fit]
        assert scores == sorted(scores, reverse=True)
    assert results == sorted(results, key=sort_key)


@given(facts_strategy, input_strategy)
def test_when_the_asker_may_apply_then_more_fitting_needs_never_lower_the_score(facts, asked):
    with translation.override("en"):
        base = match_one(facts, asked)
        wider = match_one(
            facts, MatchInput(**{**asked.__dict__, "phase": facts.phases[0] if facts.phases else asked.phase})
        )
    if not base.excluded and facts.phases:
        assert wider.score >= base.score
