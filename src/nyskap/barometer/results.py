"""A round's indicators (DOMAIN.md §1.5) from the survey engine's answers: each a post-stratified share with its
Wilson interval on Kish's effective n, overall and per breakdown (sector, organisation type, size band, county,
centrality), with the survey engine's disclosure rules.

The database does the counting: one grouped query gives the answers per engine unit (a unit is one combination of
the breakdown variables, taken from the manager's invitation) and answer, one more the frame's workplaces per
stratum. Python adds up a few hundred cells; it never sees one row per respondent.

Disclosure, in this order:
1. Across breakdowns: the respondents of every breakdown group are checked together with the survey engine's
   ``disclose_overlapping`` (no set of fewer than *k* respondents may follow by adding and subtracting groups of
   different breakdowns, e.g. "Vestland" minus "Vestland, 10–49 employees"). A group withdrawn there shows no
   figure in any indicator.
2. Per indicator and breakdown: ``disclose`` on the indicator's own valid answers (primary and complementary
   suppression; answers without the item count as the residual).
3. Dominance: where 90 % or more of a group's valid answers are yes (or no), the share is replaced by a band
   ("90 % or more", "10 % or less") — the exact figure would tell each workplace's answer.
4. Dominance across breakdowns: per indicator, no set of answers worked out by adding and subtracting the exact
   figures of different breakdowns may be 90 % or more one answer either (``disclose_overlapping`` with the
   answers); the figures that would let it be worked out are hidden.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from nyskap.core.memory import collector_paused
from nyskap.surveys import selectors as survey_selectors
from nyskap.surveys.disclosure import DOMINANCE_SHARE, disclose, disclose_overlapping, dominant_value

from . import calculations, questionnaire
from .models import ORGANISATION_TAG, STRATUM_VARIABLES, Round, Workplace

Answer = str | tuple[str, ...]


@dataclass(frozen=True)
class Indicator:
    key: str
    label: Any
    item_keys: tuple[str, ...]
    is_yes: Callable[[Answer], bool]
    is_valid: Callable[[Answer], bool]
    group: Any = ""


def _single(options: set[str], invalid: frozenset[str] = frozenset({"dk", "dont_know"})) -> tuple[Callable, Callable]:
    return (lambda a: a in options), (lambda a: isinstance(a, str) and a not in invalid)


def _several(option: str) -> tuple[Callable, Callable]:
    return (lambda a: option in a), (lambda a: isinstance(a, tuple) and bool(a))


def _factor(sides: set[str]) -> tuple[Callable, Callable]:
    """A factor on the 1–6 scale (1–3 hindered, 4–6 promoted); "don't know" is no valid answer."""
    return (lambda a: a in sides), (lambda a: isinstance(a, str) and a != "dk")


PROMOTED, HINDERED = {"4", "5", "6"}, {"1", "2", "3"}
# How each side of a factor is named after it, in the questionnaire's three languages.
SIDES = {
    "promoted": (PROMOTED, {"nb": "fremmet", "nn": "fremja", "en": "promoted"}),
    "hindered": (HINDERED, {"nb": "hemmet", "nn": "hemma", "en": "hindered"}),
}


INNOVATION_ITEMS = ("b1_product", "b1_service", "b1_process_org", "b1_communication")
# The items about the most recent innovation (blocks 2–6 and 8–10): their shares are over the workplaces that
# introduced one (DOMAIN §1.5: "novelty shares over innovating units"). The factors (block 7) are asked in the
# shorter branch too, so they are over everybody who rated them.
LATEST_INNOVATION_ITEMS = frozenset(
    {"b2_types", "b3_novelty", "b4_initiators", "b5_partners", "b6_financing", "b8_values", "b9_evaluation"}
    | {"b10_shared"}
)


AGREE = {"nb": "enig (4–5)", "nn": "samd (4–5)", "en": "agree (4–5)"}
LANGUAGES = ("nb", "nn", "en")


def _strategic_indicators() -> list[Indicator]:
    """The strategic questionnaire's indicators: the share with an adopted strategy and with research
    collaboration (yes), the share agreeing that top management facilitates innovation (4–5 of 5), one share per
    goal and means, and each factor's two sides."""
    data = questionnaire.data(questionnaire.STRATEGIC)
    result = []
    for block in data["blocks"]:
        for item in block["items"]:
            key, text = item["key"], item["text"]
            if item["kind"] == "multiple":
                for option in item["options"]:
                    is_yes, is_valid = _several(option["key"])
                    indicator = Indicator(f"{key}.{option['key']}", option, (key,), is_yes, is_valid, block["name"])
                    result.append(indicator)
            elif item["kind"] == "single":
                is_yes, is_valid = _single({"yes"})
                result.append(Indicator(f"{key}.yes", text, (key,), is_yes, is_valid, block["name"]))
            elif item.get("scale_points") == 6:
                for side, (values, words) in SIDES.items():
                    is_side, valid = _factor(values)
                    label = {lang: f"{text[lang].split(' — ')[0]}: {words[lang]}" for lang in LANGUAGES}
                    result.append(Indicator(f"{key}.{side}", label, (key,), is_side, valid, group=block["name"]))
            else:
                is_side, valid = _factor({"4", "5"})
                label = {lang: f"{text[lang]}: {AGREE[lang]}" for lang in LANGUAGES}
                result.append(Indicator(f"{key}.agree", label, (key,), is_side, valid, group=block["name"]))
    return result


def indicators(kind: str = questionnaire.OPERATIVE) -> list[Indicator]:
    """The indicators of the operative questionnaire: innovation rate, then one share per option of the type,
    novelty, initiator, partner, financing, value items, the evaluation rate, spreading and each promoting
    factor's two sides (promoted: 4–6, hindered: 1–3 on the six-point scale). Labels are the questionnaire's own
    option texts, in the reader's language. For the strategic questionnaire, its own (`_strategic_indicators`)."""
    if kind == questionnaire.STRATEGIC:
        return _strategic_indicators()
    data = questionnaire.data(questionnaire.OPERATIVE)
    items = {item["key"]: (block, item) for block in data["blocks"] for item in block["items"]}
    result = [Indicator("innovation_rate", _("Innovation rate"), INNOVATION_ITEMS, bool, bool)]
    for key in ("b2_types", "b3_novelty", "b4_initiators", "b5_partners", "b6_financing", "b8_values"):
        block, item = items[key]
        for option in item["options"]:
            if option["key"] == "dont_know":
                continue
            if item["kind"] == "multiple":
                is_yes, is_valid = _several(option["key"])
            else:
                is_yes, is_valid = _single({option["key"]})
            result.append(Indicator(f"{key}.{option['key']}", option, (key,), is_yes, is_valid, group=block["name"]))
    evaluated, valid = _single({"external", "internal"})
    result.append(Indicator("evaluation_rate", _("Evaluation rate"), ("b9_evaluation",), evaluated, valid))
    shared, valid = _single({"yes"})
    result.append(Indicator("spreading", _("Tried to spread the innovation"), ("b10_shared",), shared, valid))
    block, _item = items["b7_new_technology"]
    for key, (_block, item) in items.items():
        if key.startswith("b7_"):
            for side, (values, words) in SIDES.items():
                is_side, valid = _factor(values)
                label = {lang: f"{item['text'][lang].split(' — ')[0]}: {words[lang]}" for lang in ("nb", "nn", "en")}
                result.append(Indicator(f"{key}.{side}", label, (key,), is_side, valid, group=block["name"]))
    return result


def label_of(text: Any) -> str:
    if isinstance(text, dict):
        return str(survey_selectors.pick_language(text))
    return str(text)


@dataclass(frozen=True)
class Figure:
    group: str
    n: int
    share: calculations.Share | None
    band: str | None = None  # "high" (90 % or more) or "low" (10 % or less) instead of the share

    @property
    def shown(self) -> bool:
        return self.share is not None or self.band is not None


@dataclass
class IndicatorResult:
    indicator: Indicator
    overall: Figure
    breakdowns: dict[str, list[Figure]] = field(default_factory=dict)
    # Engine unit → (valid answers, yes): what the figures were counted from, never shown.
    per_unit: dict[int, tuple[int, int]] = field(default_factory=dict, repr=False)

    @property
    def label(self) -> str:
        return label_of(self.indicator.label)

    @property
    def group(self) -> str:
        return label_of(self.indicator.group)


@dataclass
class RoundResults:
    respondents: int
    threshold: int
    population: int
    covered_population: int
    weights: dict[str, float]
    indicators: list[IndicatorResult]
    withdrawn: set[tuple[str, str]]
    # For the organisations' own figures (`organisation_results`): the engine units' breakdown values, their
    # weights, and the respondents of every group the results show (as capped members, see step 1).
    units: dict[int, tuple[str, ...]] = field(default_factory=dict, repr=False)
    unit_weights: dict[int, float] = field(default_factory=dict, repr=False)
    shown_groups: dict[tuple[str, str], frozenset[tuple[int, int]]] = field(default_factory=dict, repr=False)
    submitted: dict[int, int] = field(default_factory=dict, repr=False)


def _cells(round: Round) -> tuple[dict[int, tuple[str, ...]], dict[tuple[str, ...], int]]:
    """Engine unit id → its breakdown values; and the frame's workplaces per combination of breakdown values."""
    assert round.survey_round is not None
    units = {pk: tuple(name.split(" | ")) for pk, name in survey_selectors.unit_names(round.survey_round).items()}
    frame = {
        tuple(str(row[v]) for v in STRATUM_VARIABLES): row["n"]
        for row in Workplace.objects.filter(round=round).values(*STRATUM_VARIABLES).annotate(n=Count("pk"))
    }
    return units, frame


def _stratum(round: Round, values: tuple[str, ...]) -> str:
    return " | ".join(values[STRATUM_VARIABLES.index(v)] for v in round.strata) or "all"


def _figure(group: str, cells: list[calculations.Cell], shown: bool, confidence: float) -> Figure:
    n = sum(c.n for c in cells)
    if not shown or n == 0:
        return Figure(group, n, None)
    yes = sum(c.yes for c in cells)
    dominant = dominant_value({"yes": int(yes), "no": int(n - yes)})
    if dominant is not None:
        return Figure(group, n, None, "high" if dominant == "yes" else "low")
    return Figure(group, n, calculations.weighted_share(cells, confidence))


@collector_paused()
def round_results(round: Round, confidence: float = calculations.CONFIDENCE) -> RoundResults | None:
    """Every indicator of a round that has been in fieldwork, or None before."""
    if round.survey_round is None:
        return None
    units, frame = _cells(round)
    population: dict[str, int] = defaultdict(int)
    for values, n in frame.items():
        population[_stratum(round, values)] += n
    counted_responses = survey_selectors.submitted_choosing_by_unit(round.survey_round, INNOVATION_ITEMS, "yes")
    submitted = {u: n for u, (n, _k) in counted_responses.items() if u is not None and u in units}
    innovating = {u: k for u, (_n, k) in counted_responses.items() if k}
    respondents_by_stratum: dict[str, int] = defaultdict(int)
    for unit, n in submitted.items():
        respondents_by_stratum[_stratum(round, units[unit])] += n
    weights = calculations.post_stratification_weights(population, respondents_by_stratum)
    threshold = round.min_cell
    total = sum(submitted.values())

    # 1. Across breakdowns, on respondents. A unit's members are capped at the threshold: only sets smaller than
    # the threshold matter, and a unit of k or more stays k or more (so the search stays small).
    groups: dict[tuple[str, str], frozenset[tuple[int, int]]] = {}
    members: dict[tuple[str, str], set[tuple[int, int]]] = defaultdict(set)
    for unit, n in submitted.items():
        for index, variable in enumerate(STRATUM_VARIABLES):
            members[(variable, units[unit][index])].update((unit, i) for i in range(min(n, threshold)))
    groups = {key: frozenset(value) for key, value in members.items()}
    overall_members = frozenset(m for g in groups.values() for m in g)
    if total >= threshold:
        groups[("all", "all")] = overall_members
    allowed = disclose_overlapping(groups, threshold)
    withdrawn = {key for key in groups if key not in allowed}

    by_item: dict[str, list[tuple[int, Answer, int]]] = defaultdict(list)
    catalogue = indicators(round.kind)
    needed = {key for indicator in catalogue for key in indicator.item_keys if key not in INNOVATION_ITEMS}
    latest = needed & LATEST_INNOVATION_ITEMS
    counted = survey_selectors.choice_counts_by_unit(round.survey_round, needed - latest)
    if latest:
        among = (INNOVATION_ITEMS, "yes")
        counted |= survey_selectors.choice_counts_by_unit(round.survey_round, latest, among=among)
    for (unit_id, key, answer), count in counted.items():
        if unit_id is not None and unit_id in units:
            by_item[key].append((unit_id, answer, count))
    unit_weights = {u: weights[_stratum(round, values)] for u, values in units.items() if u in submitted}
    results = []
    for indicator in catalogue:
        per_unit: dict[int, tuple[int, int]] = {}
        if indicator.key == "innovation_rate":
            per_unit = {u: (n, innovating.get(u, 0)) for u, n in submitted.items()}
        else:
            accumulated: dict[int, list[int]] = defaultdict(lambda: [0, 0])
            for unit_id, answer, count in by_item[indicator.item_keys[0]]:
                if indicator.is_valid(answer):
                    accumulated[unit_id][0] += count
                    accumulated[unit_id][1] += count if indicator.is_yes(answer) else 0
            per_unit = {u: (n, y) for u, (n, y) in accumulated.items()}
        results.append(_indicator_result(round, indicator, per_unit, units, unit_weights, allowed, confidence))
    return RoundResults(
        respondents=total,
        threshold=threshold,
        population=sum(population.values()),
        covered_population=sum(population[h] for h in weights),
        weights=weights,
        indicators=results,
        withdrawn=withdrawn,
        units=units,
        unit_weights=unit_weights,
        shown_groups={key: groups[key] for key in allowed},
        submitted=submitted,
    )


def _indicator_result(
    round: Round,
    indicator: Indicator,
    per_unit: dict[int, tuple[int, int]],
    units: dict[int, tuple[str, ...]],
    unit_weights: dict[int, float],
    allowed: frozenset[tuple[str, str]],
    confidence: float,
) -> IndicatorResult:
    cells = {u: calculations.Cell(unit_weights[u], n, y) for u, (n, y) in per_unit.items() if n > 0}

    def cell(unit: int) -> calculations.Cell:
        return cells[unit]

    valid = [u for u, (n, _y) in per_unit.items() if n > 0]
    valid_total = sum(per_unit[u][0] for u in valid)
    overall_shown = ("all", "all") in allowed and valid_total >= round.min_cell
    overall = _figure("all", [cell(u) for u in valid], overall_shown, confidence)
    result = IndicatorResult(indicator, overall, per_unit=per_unit)
    for index, variable in enumerate(STRATUM_VARIABLES):
        by_group: dict[str, list[int]] = defaultdict(list)
        for unit in valid:
            by_group[units[unit][index]].append(unit)
        group_counts = {g: sum(per_unit[u][0] for u in us) for g, us in by_group.items()}
        decision = disclose(valid_total, group_counts, round.min_cell)
        result.breakdowns[variable] = [
            _figure(
                group,
                [cell(u) for u in by_group[group]],
                decision.is_shown(group) and (variable, group) in allowed and overall_shown,
                confidence,
            )
            for group in sorted(by_group)
        ]
    _withhold_dominant_derivations(result, units, round.min_cell)
    return result


def _answer_counts(per_unit: dict[int, tuple[int, int]]) -> dict[tuple[int, int], dict[str, int]]:
    """An indicator's yes and no answers per engine unit, kept on the unit's first (capped) member, for the survey
    engine's dominance rule across figures (see `_members`)."""
    return {(unit, 0): {"yes": yes, "no": n - yes} for unit, (n, yes) in per_unit.items() if n > 0}


def _withhold_dominant_derivations(result: IndicatorResult, units: dict[int, tuple[str, ...]], threshold: int) -> None:
    """4. Across breakdowns, on the indicator's answers: no set of answers that can be worked out by adding and
    subtracting the exact figures (with the banded ones, whose counts are shown) may be 90 % or more one answer —
    "Vestland" plus "10–49 employees" minus "health care" might be six workplaces that all innovated, though
    none of the three figures is dominant. The survey engine's ``disclose_overlapping`` with the answers withdraws
    the figures that make such a set derivable (and any set under the threshold); those figures are hidden."""
    valid = {unit: n for unit, (n, _yes) in result.per_unit.items() if n > 0}
    if not any(_is_dominant(n, yes) for n, yes in result.per_unit.values()):
        return  # every set worked out is a union of engine units, and none of them is dominant: nor is a union
    exact: dict[tuple[str, str], frozenset[tuple[int, int]]] = {}
    banded: list[frozenset[tuple[int, int]]] = []

    def take(key: tuple[str, str], figure: Figure, in_group: dict[int, int]) -> None:
        if figure.share is not None:
            exact[key] = _members(in_group, threshold)
        elif figure.band is not None:
            banded.append(_members(in_group, threshold))

    take(("all", "all"), result.overall, valid)
    for index, variable in enumerate(STRATUM_VARIABLES):
        for figure in result.breakdowns.get(variable, []):
            take((variable, figure.group), figure, {u: n for u, n in valid.items() if units[u][index] == figure.group})
    if not exact:
        return
    kept = disclose_overlapping(exact, threshold, banded, counts=_answer_counts(result.per_unit))
    if len(kept) == len(exact):
        return
    if ("all", "all") not in kept:
        result.overall = Figure(result.overall.group, result.overall.n, None)
    for variable, figures in result.breakdowns.items():
        result.breakdowns[variable] = [
            Figure(f.group, f.n, None) if (variable, f.group) in exact and (variable, f.group) not in kept else f
            for f in figures
        ]


def _members(counts: dict[int, int], threshold: int) -> frozenset[tuple[int, int]]:
    """A group's respondents as (unit, i), capped at the threshold per unit as in step 1 of `round_results`."""
    return frozenset((unit, i) for unit, n in counts.items() for i in range(min(n, threshold)))


@dataclass
class OrganisationResults:
    """One organisation's own workplaces in a round: how many answered (None when that is not shown either), per
    indicator its aggregate figure, and per indicator the figures of each breakdown whose groups differ among its
    workplaces (``variables``), every figure hidden where it could tell a workplace's answer."""

    respondents: int | None
    shown: bool
    indicators: list[tuple[IndicatorResult, Figure]]
    variables: tuple[str, ...] = ()
    # Indicator key → breakdown variable → its groups' figures (the groups with valid answers, sorted).
    breakdowns: dict[str, dict[str, list[Figure]]] = field(default_factory=dict)

    def rows(self) -> list[tuple[IndicatorResult, Figure, list[tuple[str, list[Figure]]]]]:
        """Per indicator: its result, the organisation's aggregate and its breakdowns in ``variables`` order."""
        return [
            (result, figure, [(v, self.breakdowns.get(result.indicator.key, {}).get(v, [])) for v in self.variables])
            for result, figure in self.indicators
        ]


def _organisation_of(results: RoundResults) -> dict[int, str]:
    """Engine unit → the organisation tag of its units of one organisation's own."""
    return {
        unit: values[-1]
        for unit, values in results.units.items()
        if len(values) > len(STRATUM_VARIABLES) and values[-1].startswith(ORGANISATION_TAG)
    }


def _organisation_groups(tags: dict[int, str], counts: dict[int, int], threshold: int) -> dict[str, frozenset]:
    by_tag: dict[str, dict[int, int]] = defaultdict(dict)
    for unit, n in counts.items():
        if unit in tags:
            by_tag[tags[unit]][unit] = n
    return {tag: _members(units, threshold) for tag, units in by_tag.items()}


def _varying(results: RoundResults, tags: dict[int, str]) -> dict[str, tuple[int, ...]]:
    """Per organisation tag, the breakdown variables (by index) whose values differ among its engine units: the
    breakdowns of its own figures (one group would only repeat its aggregate)."""
    values: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for unit, tag in tags.items():
        values[tag].append(results.units[unit])
    return {
        tag: tuple(i for i in range(len(STRATUM_VARIABLES)) if len({v[i] for v in rows}) > 1)
        for tag, rows in values.items()
    }


GroupKey = tuple[str, str, str]  # (organisation tag, breakdown variable, group)


def _breakdown_counts(
    results: RoundResults, tags: dict[int, str], varying: dict[str, tuple[int, ...]], counts: dict[int, int]
) -> dict[GroupKey, dict[int, int]]:
    """(tag, variable, group) → its engine units' counts, for the organisations' breakdowns."""
    found: dict[GroupKey, dict[int, int]] = defaultdict(dict)
    for unit, n in counts.items():
        tag = tags.get(unit)
        if tag is None:
            continue
        for index in varying[tag]:
            found[(tag, STRATUM_VARIABLES[index], results.units[unit][index])][unit] = n
    return found


# A band says every answer was the same below this many answers (90 % or more of nine is nine): the organisation's
# own figures are about workplaces its reader knows, so there the band is withheld too.
UNANIMOUS_BELOW = round(1 / (1 - DOMINANCE_SHARE))


def _own_figure(group: str, cells: list[calculations.Cell], shown: bool, confidence: float) -> Figure:
    figure = _figure(group, cells, shown, confidence)
    if figure.band is not None and figure.n < UNANIMOUS_BELOW:
        return Figure(group, figure.n, None)
    return figure


def _is_dominant(n: int, yes: int) -> bool:
    return n > 0 and dominant_value({"yes": yes, "no": n - yes}) is not None


@collector_paused()
def organisations_results(
    round: Round, results: RoundResults, confidence: float = calculations.CONFIDENCE
) -> dict[int, OrganisationResults]:
    """The figures of every organisation's own workplaces (its engine units), by organisation id, with the survey
    engine's rules and the public results taken as already published. Every organisation's groups are decided
    together, the same for every reader (two organisations' leaders comparing notes, or a member of both, learn no
    more than one), in this order:

    1. The aggregates, on respondents: ``disclose_overlapping`` withdraws organisations until no set of fewer than
       the threshold follows from their groups together with every group the public results show (an
       organisation's total minus a county's would otherwise tell the county's other workplaces).
    2. The breakdowns of the organisations shown (by the variables that differ among their workplaces), on
       respondents: ``disclose_overlapping`` over them all, the public groups and the aggregates of step 1 taken as
       published (its aggregate minus one of its counties must not leave fewer than the threshold).
    3. Per indicator on its valid answers: steps 1 and 2 again (a "don't know" lowers one figure's count but not
       another's); within each breakdown ``disclose`` against the organisation's aggregate (primary and
       complementary suppression). Dominance: an aggregate of 90 % or more one answer gets a band, as on the public
       page — none where the band would say every answer (fewer than ten) — and then no breakdown (its exact groups
       would bound the rest); a dominant group is hidden and counted with the hidden ones, and where the hidden
       ones together (worked out by subtraction) are dominant, the breakdown shows nothing."""
    threshold = round.min_cell
    tags = _organisation_of(results)
    varying = _varying(results, tags)
    known = [group for group in results.shown_groups.values() if group]
    totals = _organisation_groups(tags, results.submitted, threshold)
    shown_tags = disclose_overlapping(totals, threshold, known)
    respondent_groups = {
        key: _members(units, threshold)
        for key, units in _breakdown_counts(results, tags, varying, results.submitted).items()
        if key[0] in shown_tags
    }
    allowed_groups = disclose_overlapping(respondent_groups, threshold, known + [totals[t] for t in shown_tags])

    own_units: dict[str, list[int]] = defaultdict(list)
    for unit, tag in tags.items():
        own_units[tag].append(unit)
    figures: dict[str, list[tuple[IndicatorResult, Figure]]] = defaultdict(list)
    breakdowns: dict[str, dict[str, dict[str, list[Figure]]]] = defaultdict(dict)
    for result in results.indicators:
        valid = {unit: n for unit, (n, _y) in result.per_unit.items() if n > 0}
        published = [_members(valid, threshold)] if result.overall.shown else []
        for index, variable in enumerate(STRATUM_VARIABLES):
            for figure in result.breakdowns.get(variable, []):
                if figure.shown:
                    in_group = {u: n for u, n in valid.items() if results.units[u][index] == figure.group}
                    published.append(_members(in_group, threshold))
        published = [g for g in published if g]
        groups = {t: g for t, g in _organisation_groups(tags, valid, threshold).items() if t in shown_tags}
        indicator_tags = disclose_overlapping(groups, threshold, published) if groups else frozenset()

        def cells(units: list[int]) -> list[calculations.Cell]:
            return [
                calculations.Cell(results.unit_weights[u], valid[u], result.per_unit[u][1])  # noqa: B023
                for u in units
                if u in valid and u in results.unit_weights  # noqa: B023
            ]

        candidates: dict[GroupKey, dict[int, int]] = {}
        by_key = _breakdown_counts(results, tags, varying, valid)
        for tag in own_units:
            mine = [u for u in own_units[tag] if u in valid]
            total = _own_figure("own", cells(mine), tag in indicator_tags, confidence)
            figures[tag].append((result, total))
            if total.share is None:
                continue  # hidden, or a band: no breakdown either
            for index in varying[tag]:
                variable = STRATUM_VARIABLES[index]
                keys = [key for key in by_key if key[0] == tag and key[1] == variable]
                yes = {key: sum(result.per_unit[u][1] for u in by_key[key]) for key in keys}
                n = {key: sum(by_key[key].values()) for key in keys}
                exact = {key[2]: n[key] for key in keys if not _is_dominant(n[key], yes[key])}
                decision = disclose(total.n, exact, threshold)
                shown = [key for key in keys if decision.is_shown(key[2])]
                rest_n = total.n - sum(n[key] for key in shown)
                rest_yes = sum(result.per_unit[u][1] for u in mine) - sum(yes[key] for key in shown)
                if _is_dominant(rest_n, rest_yes):
                    continue  # the hidden groups together would tell their workplaces' answers
                candidates.update({key: by_key[key] for key in shown if key in allowed_groups})
        allowed = disclose_overlapping(
            {key: _members(units, threshold) for key, units in candidates.items()},
            threshold,
            published + [groups[t] for t in indicator_tags],
        )
        allowed = _withhold_own_dominant_derivations(result, figures, groups, candidates, allowed, published, threshold)
        for tag in own_units:
            for index in varying[tag]:
                variable = STRATUM_VARIABLES[index]
                breakdowns[tag].setdefault(result.indicator.key, {})[variable] = [
                    _own_figure(key[2], cells(list(by_key[key])), key in allowed, confidence)
                    for key in sorted(k for k in by_key if k[0] == tag and k[1] == variable)
                ]
    found = {}
    for tag, units in own_units.items():
        answered = sum(results.submitted.get(u, 0) for u in units)
        visible = tag in shown_tags
        found[int(tag.removeprefix(ORGANISATION_TAG))] = OrganisationResults(
            answered if visible else None,
            visible,
            figures[tag],
            tuple(STRATUM_VARIABLES[i] for i in varying[tag]) if visible else (),
            breakdowns[tag] if visible else {},
        )
    return found


def _withhold_own_dominant_derivations(
    result: IndicatorResult,
    figures: dict[str, list[tuple[IndicatorResult, Figure]]],
    groups: dict[str, frozenset[tuple[int, int]]],
    candidates: dict[GroupKey, dict[int, int]],
    allowed: frozenset[GroupKey],
    published: list[frozenset[tuple[int, int]]],
    threshold: int,
) -> frozenset[GroupKey]:
    """Step 4 of `organisations_results`, on one indicator: no set of answers worked out from the organisations'
    exact figures together with the public figures and their bands may be 90 % or more one answer (the public
    "1–9 employees" minus a municipality's own "1–9 employees" might be five workplaces that all innovated). The
    survey engine withdraws the figures that make such a set derivable; an aggregate withdrawn takes its breakdown
    with it. Returns the breakdown groups still shown; the aggregates are hidden in ``figures``."""
    if not any(_is_dominant(n, yes) for n, yes in result.per_unit.values()):
        return allowed  # a union of engine units none of which is dominant is not dominant either
    totals = {tag: rows[-1][1] for tag, rows in figures.items() if rows and rows[-1][0] is result}
    exact: dict[tuple[str, ...], frozenset[tuple[int, int]]] = {
        ("own", tag): groups[tag] for tag, total in totals.items() if total.share is not None
    }
    exact |= {key: _members(candidates[key], threshold) for key in allowed}
    if not exact:
        return allowed
    banded = [groups[tag] for tag, total in totals.items() if total.band is not None]
    kept = disclose_overlapping(exact, threshold, published + banded, counts=_answer_counts(result.per_unit))
    withdrawn = {key[1] for key in exact if key[0] == "own" and key not in kept}
    for tag in withdrawn:
        figures[tag][-1] = (result, Figure("own", totals[tag].n, None))
    return frozenset(key for key in allowed if key in kept and key[0] not in withdrawn)


def organisation_results(
    round: Round, results: RoundResults, organisation_id: int, confidence: float = calculations.CONFIDENCE
) -> OrganisationResults:
    """The figures of one organisation's own workplaces (see `organisations_results`); nothing shown for an
    organisation without engine units of its own."""
    found = organisations_results(round, results, confidence).get(organisation_id)
    if found is None:
        figures = [(result, Figure("own", 0, None)) for result in results.indicators]
        return OrganisationResults(None, False, figures)
    return found
