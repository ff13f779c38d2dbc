"""An organisation's own workplaces broken down by the variables that vary among them (size band, county …), and
the attacks of a curious leader of the organisation on those breakdowns, each shown to fail on the page, its CSV
export and in the figures behind both: too few answers in a group; differencing the organisation's aggregate
against a visible group (the hidden one would follow), its groups against the public figures, and its groups
against each other; dominance (a group where every workplace gave the same answer); padding a group with made-up
answers; and reading the figures again after a late answer. The figures' oracle: no set of fewer than the
threshold of answers can be worked out from everything shown (``derivable_small_set`` over the real members,
not the capped ones the code decides on), and no set of answers that all gave the same answer — or 90 % or more of
them — can be counted from the exact figures (``derivable_dominant_set``), whatever its size: two breakdowns'
figures subtracted from each other must not tell that five workplaces all innovated."""

from __future__ import annotations

import csv
import io
import re

import pytest

from nyskap.barometer import services
from nyskap.barometer.models import STRATUM_VARIABLES
from nyskap.barometer.results import organisations_results, round_results
from nyskap.surveys.disclosure import derivable_dominant_set, derivable_small_set
from nyskap.surveys.errors import SurveyError
from nyskap.surveys.selectors import resolve_token
from nyskap.surveys.services import response_save, round_reopen

from .factories import answer, fielded_round, innovating, not_innovating

pytestmark = pytest.mark.django_db

BIG = "health_care | municipality | 10-49 | Vestland | 3"
SMALL = "health_care | municipality | 1-9 | Vestland | 3"
SCHOOLS = "education | municipality | 10-49 | Nordland | 5"


def rows(count, size="10-49", county="Vestland", sector="health_care", organisation=None, name="arbeidsplass"):
    centrality = {"Vestland": "3", "Nordland": "5", "Agder": "4"}[county]
    slug = (organisation.slug,) if organisation else ()
    return [
        (f"{name} {size} {county} {i}", sector, "municipality", size, county, centrality,
         f"{name}.{sector}.{size}.{county}.{i}@oygarden.kommune.no".lower(), "nb", *slug)
        for i in range(count)
    ]  # fmt: skip


def own(organisation, cell):
    return f"{cell} | org:{organisation.pk}"


def publish(innovator, round):
    services.round_close(actor=innovator, round=round)
    services.round_publish(actor=innovator, round=round)
    round.refresh_from_db()
    return round


def answers(round, cell, yes, no):
    for _i in range(yes):
        answer(round, cell, innovating())
    for _i in range(no):
        answer(round, cell, not_innovating())


def two_sizes(innovator, organisation, big, small, schools=(5, 5), other_small=None, other_big=None):
    """The organisation's workplaces in two size bands of health care in Vestland (8 of 10–49, 6 of 1–9 employees,
    each a unit of its own), 10 schools in Nordland of nobody's; ``big`` and ``small`` = (yes, no) answers of the
    organisation's, ``schools`` the schools'. ``other_small``: (yes, no) of a workplace of nobody's in health care,
    1–9 employees, in Agder; ``other_big``: of 5 of nobody's in health care, 10–49 employees, in Nordland, and of 5
    schools in Agder."""
    frame = rows(8, organisation=organisation) + rows(6, "1-9", organisation=organisation)
    frame += rows(10, county="Nordland", sector="education", name="skule")
    if other_small:
        frame += rows(5, "1-9", county="Agder", name="annan")
    if other_big:
        frame += rows(5, county="Nordland", name="nord") + rows(5, county="Agder", sector="education", name="agder")
    round = fielded_round(innovator, organisation, frame)
    answers(round, own(organisation, BIG), *big)
    answers(round, own(organisation, SMALL), *small)
    answers(round, SCHOOLS, *schools)
    if other_small:
        answers(round, "health_care | municipality | 1-9 | Agder | 4", *other_small)
    if other_big:
        answers(round, "health_care | municipality | 10-49 | Nordland | 5", *other_big)
        answers(round, "education | municipality | 10-49 | Agder | 4", *other_big)
    return publish(innovator, round)


def figures(round, organisation):
    public = round_results(round)
    return public, organisations_results(round, public)[organisation.pk]


def rate(found):
    return next(
        (figure, found.breakdowns.get("innovation_rate", {}))
        for result, figure in found.indicators
        if result.indicator.key == "innovation_rate"
    )


def members(counts):
    return frozenset((unit, i) for unit, n in counts.items() for i in range(n))


def shown_groups(round, public, indicator_key, exact=None):
    """Every group a reader of the public page and of every organisation's page sees a figure of for one indicator,
    as sets of real (uncapped) answers: (public, organisations'). With ``exact`` (a dict), the groups are split by
    what the reader has of their answers: ``exact["public"]`` and ``exact["organisations"]`` the figures with a
    share, ``exact["banded"]`` those with a band (their counts only)."""
    result = next(r for r in public.indicators if r.indicator.key == indicator_key)
    valid = {u: n for u, (n, _y) in result.per_unit.items() if n > 0}
    split = {"public": [], "organisations": [], "banded": []} if exact is None else exact
    split.update({"public": [], "organisations": [], "banded": []})

    def take(where, seen, figure, group):
        if figure.shown:
            seen.append(group)
            split[where if figure.share is not None else "banded"].append(group)

    seen = []
    take("public", seen, result.overall, members(valid))
    for index, variable in enumerate(STRATUM_VARIABLES):
        for figure in result.breakdowns.get(variable, []):
            take(
                "public",
                seen,
                figure,
                members({u: n for u, n in valid.items() if public.units[u][index] == figure.group}),
            )
    organisations = []
    for organisation_id, found in organisations_results(round, public).items():
        tag = f"org:{organisation_id}"
        mine = {u: n for u, n in valid.items() if public.units[u][-1] == tag}
        total = next(f for r, f in found.indicators if r.indicator.key == indicator_key)
        take("organisations", organisations, total, members(mine))
        for variable, groups in found.breakdowns.get(indicator_key, {}).items():
            index = STRATUM_VARIABLES.index(variable)
            for figure in groups:
                in_group = members({u: n for u, n in mine.items() if public.units[u][index] == figure.group})
                take("organisations", organisations, figure, in_group)
    return seen, organisations


def answers_of(public, indicator_key):
    """Each real answer's value for one indicator: a unit's (valid, yes) answers as members (unit, i), the first
    ``yes`` of them "yes" (which ones does not matter: a unit's answers are in the same groups)."""
    result = next(r for r in public.indicators if r.indicator.key == indicator_key)
    return {(u, i): {"yes" if i < yes else "no": 1} for u, (n, yes) in result.per_unit.items() for i in range(n)}


def assert_nothing_derivable(round, threshold=5):
    """For every indicator: the organisations' figures add no set of fewer than ``threshold`` answers to what the
    public figures already tell; and neither the public figures nor the organisations' tell a set of answers of any
    size that are 90 % or more one answer, beyond what a band says of its own group."""
    public = round_results(round)
    for result in public.indicators:
        key = result.indicator.key
        exact = {}
        seen, organisations = shown_groups(round, public, key, exact)
        assert derivable_small_set(organisations, threshold, known=seen) is None, key
        counts = answers_of(public, key)
        assert derivable_dominant_set(exact["public"], counts, known=exact["banded"]) is None, key
        known = exact["public"] + exact["banded"]
        assert derivable_dominant_set(exact["organisations"], counts, known=known) is None, key


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_the_organisations_groups_get_n_weighted_share_and_interval(
    innovator, home_municipality, as_colleague, colleague
):
    """6 answers of 10–49 employees (3 innovating), 5 of 1–9 (2 innovating): one stratum (health care), one weight,
    so the shares are 3/6 and 2/5; only the size band varies among the municipality's workplaces."""
    round = two_sizes(innovator, home_municipality, big=(3, 3), small=(2, 3))
    _public, found = figures(round, home_municipality)
    assert found.shown and found.respondents == 11 and found.variables == ("size_band",)
    total, breakdowns = rate(found)
    assert total.n == 11 and total.share.estimate == pytest.approx(5 / 11)
    sizes = {f.group: f for f in breakdowns["size_band"]}
    assert set(sizes) == {"10-49", "1-9"}
    assert sizes["10-49"].n == 6 and sizes["10-49"].share.estimate == pytest.approx(3 / 6)
    assert sizes["1-9"].n == 5 and sizes["1-9"].share.estimate == pytest.approx(2 / 5)
    for figure in sizes.values():
        assert figure.share.low < figure.share.estimate < figure.share.high
    assert_nothing_derivable(round)

    page = as_colleague.get(f"/barometer/{round.pk}/resultater/egne/")
    text = page.content.decode()
    assert page.status_code == 200
    assert '<td class="num">5</td><td class="num">40 %</td>' in text
    assert '<td class="num">6</td><td class="num">50 %</td>' in text
    assert f'href="/barometer/{round.pk}/resultater/egne.csv"' in text
    assert text.count('class="table-scroll" tabindex="0" role="region" aria-labelledby=') == 1 + len(found.indicators)
    exported = csv_rows(as_colleague.get(f"/barometer/{round.pk}/resultater/egne.csv"))
    rate_rows = {(r["breakdown"], r["group"]): r for r in exported if r["indicator"] == "innovation_rate"}
    assert rate_rows[("size_band", "1-9")]["n"] == "5" and rate_rows[("size_band", "1-9")]["share"] == "0.4"
    assert rate_rows[("all", "own")]["n"] == "11"
    assert {r["organisation"] for r in exported} == {home_municipality.name}


def test_the_aggregate_minus_a_visible_group_would_tell_the_hidden_one(
    innovator, home_municipality, as_colleague, colleague
):
    """6 answers of 10–49 employees and 2 of 1–9: the 2 are too few, and the aggregate (8) minus the 6 would tell
    them, so neither group is shown — on the page, in the CSV and in the figures."""
    round = two_sizes(innovator, home_municipality, big=(3, 3), small=(1, 1))
    _public, found = figures(round, home_municipality)
    total, breakdowns = rate(found)
    assert total.shown and total.n == 8
    assert [f.shown for f in breakdowns["size_band"]] == [False, False]
    assert_nothing_derivable(round)
    text = as_colleague.get(f"/barometer/{round.pk}/resultater/egne/").content.decode()
    assert '<td class="num">6</td>' not in text and '<td class="num">2</td>' not in text
    exported = csv_rows(as_colleague.get(f"/barometer/{round.pk}/resultater/egne.csv"))
    for row in exported:
        if row["breakdown"] == "size_band":
            assert row["n"] == row["share"] == row["ci_low"] == row["band"] == "", row


def test_a_group_against_the_public_figures_would_tell_a_workplace_outside_the_organisation(
    innovator, home_municipality
):
    """The municipality's 5 answers of 1–9 employees, and one more workplace of 1–9 employees (in Agder, of nobody's):
    the public figure for 1–9 employees (6) minus the municipality's own group of 1–9 would tell that workplace's
    answer. The two pages together tell no set of fewer than five."""
    round = two_sizes(innovator, home_municipality, big=(3, 3), small=(2, 3), other_small=(1, 0), other_big=(3, 2))
    public, found = figures(round, home_municipality)
    assert found.shown and rate(found)[0].n == 11  # health care (17) minus its 11 leaves 6
    own_small = {f.group: f.shown for f in rate(found)[1].get("size_band", [])}.get("1-9", False)
    public_rate = next(r for r in public.indicators if r.indicator.key == "innovation_rate")
    public_small = next(f for f in public_rate.breakdowns["size_band"] if f.group == "1-9")
    assert public_small.n == 6 and not (public_small.shown and own_small)
    assert_nothing_derivable(round)


def test_the_organisations_groups_across_breakdowns_tell_nothing_either(innovator, home_municipality):
    """The municipality's workplaces differ in size band and county: 5 answers of 10–49 in Vestland, 5 of 1–9 in
    Vestland, 5 of 10–49 in Agder with 1 answer. Within each breakdown the groups may pass alone (size: 6 and 5;
    county: 10 and 1 — the 1 hidden, and the 10 with it); across them nothing smaller than five follows."""
    frame = rows(8, organisation=home_municipality) + rows(6, "1-9", organisation=home_municipality)
    frame += rows(5, county="Agder", organisation=home_municipality, name="agder")
    frame += rows(10, county="Nordland", sector="education", name="skule")
    round = fielded_round(innovator, home_municipality, frame)
    answers(round, own(home_municipality, BIG), 3, 2)
    answers(round, own(home_municipality, SMALL), 2, 3)
    answers(round, own(home_municipality, "health_care | municipality | 10-49 | Agder | 4"), 1, 0)
    answers(round, SCHOOLS, 5, 5)
    publish(innovator, round)
    _public, found = figures(round, home_municipality)
    assert set(found.variables) >= {"size_band", "county"}
    _total, breakdowns = rate(found)
    assert not any(f.shown for f in breakdowns["county"])
    assert_nothing_derivable(round)


def test_two_organisations_groups_are_decided_together(innovator, home_municipality, other_municipality):
    """Two municipalities with workplaces of both size bands in the same cells, and one workplace of nobody's with
    1–9 employees: each leader's groups, and both leaders' together, tell no set of fewer than five."""
    frame = rows(8, organisation=home_municipality) + rows(6, "1-9", organisation=home_municipality)
    frame += rows(6, organisation=other_municipality, name="andre") + rows(
        5, "1-9", organisation=other_municipality, name="andre"
    )
    frame += rows(5, "1-9", name="ingen") + rows(10, county="Nordland", sector="education", name="skule")  # fmt: skip
    round = fielded_round(innovator, home_municipality, frame)
    answers(round, own(home_municipality, BIG), 3, 3)
    answers(round, own(home_municipality, SMALL), 2, 3)
    answers(round, own(other_municipality, BIG), 3, 2)
    answers(round, own(other_municipality, SMALL), 3, 2)
    answers(round, SMALL, 1, 0)
    answers(round, SCHOOLS, 5, 5)
    publish(innovator, round)
    assert_nothing_derivable(round)


def test_dominance_a_group_where_every_workplace_said_the_same_is_hidden_not_banded(
    innovator, home_municipality, as_colleague, colleague
):
    """All 6 workplaces of 10–49 employees innovated (5 of 1–9: 2): "90 % or more" of 6 would say every one of
    them did, so the group is hidden; the 1–9 group would leave the 6 to subtraction, and they are all one answer,
    so it is hidden too. The aggregate (8 of 11) is no band and is shown."""
    round = two_sizes(innovator, home_municipality, big=(6, 0), small=(2, 3))
    public, found = figures(round, home_municipality)
    total, breakdowns = rate(found)
    assert [(f.group, f.shown, f.band) for f in breakdowns["size_band"]] == [
        ("1-9", False, None),
        ("10-49", False, None),
    ]
    # The aggregate (8 of 11) is no band, but it is also the public "Vestland", and the public "1–9 employees" is
    # the municipality's five of 1–9: subtracted, they would tell the six that all innovated. The public page
    # withholds "Vestland", so the aggregate is hidden too.
    public_rate = next(r for r in public.indicators if r.indicator.key == "innovation_rate")
    assert not next(f for f in public_rate.breakdowns["county"] if f.group == "Vestland").shown
    assert not total.shown and total.n == 11
    assert_nothing_derivable(round)
    text = as_colleague.get(f"/barometer/{round.pk}/resultater/egne/").content.decode()
    assert "90 % or more" not in text and "90 % eller mer" not in text and "100 %" not in text


def test_dominance_an_aggregate_of_fewer_than_ten_all_alike_is_hidden_and_so_are_its_groups(
    innovator, home_municipality
):
    """Every one of the municipality's 5 + 5 answers is "no innovation": a band on 10 answers says at least 9 —
    not which one — so the aggregate gets its band; its groups none (each would be every workplace's answer)."""
    round = two_sizes(innovator, home_municipality, big=(0, 5), small=(0, 5))
    _public, found = figures(round, home_municipality)
    total, breakdowns = rate(found)
    assert total.share is None and total.band == "low" and total.n == 10
    assert not any(f.shown for f in breakdowns["size_band"])
    few = two_sizes(innovator, home_municipality, big=(0, 5), small=(0, 0))
    _public, found = figures(few, home_municipality)
    total, _breakdowns = rate(found)
    assert total.n == 5 and not total.shown and total.band is None  # "10 % or less" of 5 is none of them


def test_padding_a_group_with_made_up_answers_is_refused_by_the_engine(innovator, home_municipality):
    """A leader cannot put an answer into her organisation's group of her choosing (to lift a small group over the
    threshold and subtract her own made-up answers)."""
    from tests.surveys.factories import invite

    frame = rows(8, organisation=home_municipality) + rows(6, "1-9", organisation=home_municipality)
    round = fielded_round(innovator, home_municipality, frame)
    unit = round.survey_round.units.get(name=own(home_municipality, SMALL))
    with pytest.raises(SurveyError):
        response_save(
            access=resolve_token(invite(round.survey_round)), data=not_innovating(), submit=True, unit_id=unit.pk
        )


def test_over_time_the_figures_cannot_change_after_publication(innovator, home_municipality, as_colleague, colleague):
    """Reading the page and the CSV, then a late answer, then reading again would tell the late answer: a published
    round is never reopened, takes no answer, and shows the same figures."""
    round = two_sizes(innovator, home_municipality, big=(3, 3), small=(2, 3))

    def cells():
        return re.findall(
            r"<t[hd][^>]*>[^<]*</t[hd]>", as_colleague.get(f"/barometer/{round.pk}/resultater/egne/").content.decode()
        )

    page = cells()
    assert '<td class="num">5</td>' in page
    exported = as_colleague.get(f"/barometer/{round.pk}/resultater/egne.csv").content
    with pytest.raises(SurveyError):
        round_reopen(actor=innovator, round=round.survey_round)
    with pytest.raises(SurveyError):
        answer(round, own(home_municipality, SMALL), innovating())
    assert cells() == page
    assert as_colleague.get(f"/barometer/{round.pk}/resultater/egne.csv").content == exported


def test_the_page_and_its_csv_are_for_members_only_and_published_rounds_only(
    innovator, home_municipality, as_colleague, colleague, as_outsider, anonymous
):
    frame = rows(8, organisation=home_municipality) + rows(6, "1-9", organisation=home_municipality)
    fielded = fielded_round(innovator, home_municipality, frame + rows(10, county="Nordland", sector="education"))
    round = two_sizes(innovator, home_municipality, big=(3, 3), small=(2, 3))
    for path in ("resultater/egne/", "resultater/egne.csv"):
        assert as_colleague.get(f"/barometer/{round.pk}/{path}").status_code == 200
        assert as_outsider.get(f"/barometer/{round.pk}/{path}").status_code == 404
        assert anonymous.get(f"/barometer/{round.pk}/{path}").status_code == 302
        assert as_colleague.get(f"/barometer/{fielded.pk}/{path}").status_code == 404
        assert as_colleague.get(f"/barometer/999999/{path}").status_code == 404
    assert "egne.csv" not in as_outsider.get(f"/barometer/{round.pk}/resultater/").content.decode()


@pytest.mark.parametrize(
    "query",
    ["?sep=%00", "?sep=;;;;", "?sep=\t", "?sep=%ff%fe", "?sep=" + "x" * 5000, "?kind=nonsense", "?page=-1&sep[]=1"],
)
def test_bad_query_parameters_give_no_server_error(innovator, home_municipality, as_colleague, colleague, query):
    round = two_sizes(innovator, home_municipality, big=(3, 3), small=(2, 3))
    for path in ("resultater/egne/", "resultater/egne.csv"):
        assert as_colleague.get(f"/barometer/{round.pk}/{path}{query}").status_code < 500


def public_members(public, indicator_key, **where):
    """The real answers to one indicator of the engine units with the given breakdown values."""
    result = next(r for r in public.indicators if r.indicator.key == indicator_key)
    index = {variable: STRATUM_VARIABLES.index(variable) for variable in where}
    return members(
        {
            u: n
            for u, (n, _y) in result.per_unit.items()
            if n > 0 and all(public.units[u][index[v]] == value for v, value in where.items())
        }
    )


def test_dominance_across_public_breakdowns_six_who_all_innovated_cannot_be_worked_out(innovator, home_municipality):
    """Health care only: 6 workplaces of 10–49 employees in Vestland, all innovating; 6 of 1–9 in Vestland and 6 of
    10–49 in Nordland, one innovating each. No figure is small or 90 % one answer (all 8 of 18, Vestland 7 of 12,
    10–49 employees 7 of 12, 1–9 employees and Nordland 1 of 6), yet all minus "1–9 employees" minus "Nordland" is
    the six of Vestland with 10–49 employees, all innovating: a set of more than five, everyone the same answer. The
    public page withholds enough of those figures that it cannot be worked out."""
    frame = rows(6) + rows(6, "1-9") + rows(6, county="Nordland")
    round = fielded_round(innovator, home_municipality, frame)
    answers(round, BIG, 6, 0)
    answers(round, SMALL, 1, 5)
    answers(round, "health_care | municipality | 10-49 | Nordland | 5", 1, 5)
    publish(innovator, round)
    public = round_results(round)
    key = "innovation_rate"
    counts = answers_of(public, key)
    six = public_members(public, key, size_band="10-49", county="Vestland")
    every = [
        public_members(public, key),
        public_members(public, key, county="Vestland"),
        public_members(public, key, county="Nordland"),
        public_members(public, key, size_band="10-49"),
        public_members(public, key, size_band="1-9"),
    ]
    # What the figures told before: each figure alone passes every rule, and together they give the six.
    assert derivable_small_set(every, 5) is None
    assert derivable_dominant_set(every, counts) == six
    result = next(r for r in public.indicators if r.indicator.key == key)
    shown = [result.overall.shown] + [f.shown for v in ("size_band", "county") for f in result.breakdowns[v]]
    assert not all(shown)
    assert all(f.band is None for v in ("size_band", "county") for f in result.breakdowns[v])
    assert_nothing_derivable(round)


def test_dominance_a_public_group_minus_the_organisations_own_would_tell_five_who_all_innovated(
    innovator, home_municipality
):
    """The public "1–9 employees" (10 answers, 7 innovating) is the municipality's own five of 1–9 (2 innovating)
    and five workplaces of nobody's in Agder, all innovating. Every figure passes every rule on its own — five
    answers each at least, none 90 % one answer — but the public group minus the municipality's own group of 1–9
    would tell that the five in Agder all innovated. The two pages together no longer tell it."""
    round = two_sizes(innovator, home_municipality, big=(3, 3), small=(2, 3), other_small=(5, 0), other_big=(3, 2))
    public, found = figures(round, home_municipality)
    key = "innovation_rate"
    counts = answers_of(public, key)
    agder = public_members(public, key, size_band="1-9", county="Agder")
    public_small = public_members(public, key, size_band="1-9")
    own_small = public_members(public, key, size_band="1-9", county="Vestland")
    # Before: the public figure and the municipality's own group, both exact, give the five of Agder.
    assert len(agder) == 5 and derivable_small_set([public_small, own_small], 5) is None
    assert derivable_dominant_set([public_small, own_small], counts) == agder
    public_rate = next(r for r in public.indicators if r.indicator.key == key)
    public_figure = next(f for f in public_rate.breakdowns["size_band"] if f.group == "1-9")
    own_figure = next((f for f in rate(found)[1].get("size_band", []) if f.group == "1-9"), None)
    assert public_figure.n == 10 and not (public_figure.share is not None and own_figure and own_figure.shown)
    assert_nothing_derivable(round)
