"""What a dashboard page shows, built from a snapshot's figures: key figures (side by side with a comparison lens
and the country) and panels, each a chart with its data table, a sentence stating the main finding (the chart's
text alternative) and a link to the definition of what it counts. Every metric is defined once, in
``DEFINITIONS``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import labels
from .lenses import SECTOR

BAR = "bar"
GROUPED = "grouped"
HEATMAP = "heatmap"
PERCENT_BAR = "percent"

# The definitions: metric → (name, what it counts). Shown on the definitions page; every key figure and panel
# links to its own.
DEFINITIONS: dict[str, tuple[Any, Any]] = {
    "projects": (
        gettext_lazy("Projects"),
        gettext_lazy(
            "Projects in the library visible to everybody, owned by at least one organisation in the lens (each "
            "project once, however many of its owners are in the lens). A sector lens counts the projects of that "
            "sector."
        ),
    ),
    "by_phase": (
        gettext_lazy("Projects by phase"),
        gettext_lazy(
            "The projects' current phase, from need to spread (the white paper's innovation process), and those "
            "stopped."
        ),
    ),
    "by_type": (
        gettext_lazy("Projects by innovation type"),
        gettext_lazy("A project with several innovation types counts once under each."),
    ),
    "by_degree": (
        gettext_lazy("Projects by degree of innovation"),
        gettext_lazy("Incremental, radical or transformative, as the project states it (white paper ch. 3.1)."),
    ),
    "by_novelty": (
        gettext_lazy("Projects by novelty"),
        gettext_lazy("First of its kind, inspired by others and adapted, or copied (the barometer's novelty item)."),
    ),
    "by_year": (
        gettext_lazy("Projects started and finished per year"),
        gettext_lazy(
            "Started: the year of the start date. Finished: the year of the end date, once that date has passed."
        ),
    ),
    "stopped_share": (
        gettext_lazy("Share of ended projects that were stopped"),
        gettext_lazy(
            "Stopped projects divided by ended projects (implemented, spread or stopped). A stopped project must "
            "give its reason, so every one counted here has one."
        ),
    ),
    "adoptions_of": (
        gettext_lazy("Adoptions by other bodies"),
        gettext_lazy(
            "Registered adoptions of the lens's projects by an organisation that does not own the project. Counts "
            "for everybody only when both the project and the adopting project are public."
        ),
    ),
    "adoptions_by": (
        gettext_lazy("Adoptions made"),
        gettext_lazy("Adoptions the lens's organisations made of projects owned by others."),
    ),
    "reused_share": (
        gettext_lazy("Share of projects reused by another body"),
        gettext_lazy("Projects adopted at least once by an organisation that does not own them, of all projects."),
    ),
    "families": (
        gettext_lazy("Family trees by size"),
        gettext_lazy(
            "A family is a project that adopts no other, with every project and body that adopted it, directly or "
            "further down. Counted for the lens's original projects adopted at least once."
        ),
    ),
    "waits": (
        gettext_lazy("Time from implemented to first adoption"),
        gettext_lazy(
            "From the day the project first reached the phase implemented (its end date when the timeline does "
            "not say) to the first adoption by another body."
        ),
    ),
    "median_wait": (
        gettext_lazy("Median days from implemented to first adoption"),
        gettext_lazy("The middle value of the waits above, in days."),
    ),
    "matrix": (
        gettext_lazy("Instruments used, by phase and offer"),
        gettext_lazy(
            "Granted uses of instruments registered on the lens's projects. A use counts once in every cell of "
            "phase and offer its instrument covers: the white paper's figure 5.3, computed from use instead of "
            "drawn by hand."
        ),
    ),
    "uses": (
        gettext_lazy("Granted instrument uses"),
        gettext_lazy("Uses of instruments registered on the lens's projects with the outcome granted."),
    ),
    "top_instruments": (
        gettext_lazy("The instruments used most"),
        gettext_lazy("The ten instruments with most granted uses by the lens's projects."),
    ),
    "uses_by_band": (
        gettext_lazy("Instrument use by municipality size band"),
        gettext_lazy("Granted uses on projects owned by a municipality, by the municipality's size band."),
    ),
    "trials": (
        gettext_lazy("Trials"),
        gettext_lazy("Trials, sandbox projects, pilots and labs in the registry visible to everybody."),
    ),
    "trials_by_kind": (gettext_lazy("Trials by kind"), gettext_lazy("The kind of trial the registry records.")),
    "trials_by_status": (gettext_lazy("Trials by status"), gettext_lazy("The trial's current status.")),
    "preregistered_share": (
        gettext_lazy("Share of trials pre-registered"),
        gettext_lazy("Trials with a frozen pre-registration, of all trials."),
    ),
    "decided_share": (
        gettext_lazy("Share of ended trials decided"),
        gettext_lazy("Trials with a decision, of the trials that have ended (ended, results reported or decided)."),
    ),
    "overdue": (
        gettext_lazy("Overdue trials"),
        gettext_lazy(
            "Past the (extended) end date without results, or results reported more than 90 days ago without a "
            "decision."
        ),
    ),
    "sandbox": (
        gettext_lazy("Sandbox admissions"),
        gettext_lazy(
            "Projects admitted to regulatory sandboxes run by the lens's organisations, of those that applied."
        ),
    ),
    "challenges": (
        gettext_lazy("Challenges"),
        gettext_lazy("Challenges published on the marketplace (drafts count only for their owners)."),
    ),
    "by_procedure": (gettext_lazy("Challenges by procedure"), gettext_lazy("The procedure the owners intend.")),
    "challenge_status": (
        gettext_lazy("Challenges by outcome"),
        gettext_lazy("Where the challenge stands: open, in evaluation, awarded, not awarded or in use."),
    ),
    "joint": (
        gettext_lazy("Joint challenges"),
        gettext_lazy("Challenges owned by more than one body (co-owners who joined, or the bodies the case names)."),
    ),
    "notices": (
        gettext_lazy("Competitions in the notice database"),
        gettext_lazy(
            "Imported competitions whose buyer is in the lens (a county lens: the county the notice names). Not "
            "given for a sector lens: notices carry no sector of ours."
        ),
    ),
    "innovation_share": (
        gettext_lazy("Share of procurement of innovation"),
        gettext_lazy(
            "Competitions classified as procurement of innovation from their own codes (procedure, BT-776), of all "
            "competitions."
        ),
    ),
    "notice_classes": (
        gettext_lazy("Competitions by class"),
        gettext_lazy("Procurement of innovation, innovation-friendly procurement and other procurement."),
    ),
    "planned": (
        gettext_lazy("Planned benefits (NOK)"),
        gettext_lazy(
            "The monetised benefits of the current benefit plans of the lens's projects, summed over the plans' "
            "years, not discounted. Draft plans count only for their own organisation."
        ),
    ),
    "realised": (
        gettext_lazy("Realised benefits (NOK)"),
        gettext_lazy("The realised amounts measured for those benefits, by the year they were measured."),
    ),
    "outside_share": (
        gettext_lazy("Share of planned benefits landing outside the paying organisation"),
        gettext_lazy("Planned benefits whose bearer is not the organisation itself, of all planned benefits."),
    ),
    "benefits_by_year": (
        gettext_lazy("Benefits planned and realised by year"),
        gettext_lazy("Planned: by the year in the plan. Realised: by the year measured."),
    ),
    "benefits_by_bearer": (
        gettext_lazy("Benefits by bearer"),
        gettext_lazy("Who the benefit lands with, planned and realised."),
    ),
    "culture": (
        gettext_lazy("Culture for innovation"),
        gettext_lazy(
            "The published comparison figures of the culture measurement for the group that matches the lens "
            "(country, county, municipalities of a size band): the mean of the organisations' means per dimension, "
            "with its interval and maturity level. A group too small, or one that could be found by subtracting "
            "others, is never published, and the dashboards never combine rounds themselves."
        ),
    ),
    "barometer": (
        gettext_lazy("Innovation barometer"),
        gettext_lazy(
            "The latest published barometer round's figures for the lens's group (overall for the country; the "
            "round's own breakdown for a county, size band, centrality class or sector), exactly as the round "
            "publishes them: a figure the round hides stays hidden."
        ),
    ),
    "participation": (
        gettext_lazy("Municipalities taking part, by size band"),
        gettext_lazy(
            "For each size band, the municipalities in the lens and the share that took part: own a public "
            "project, trial or challenge, made a public adoption, or have a culture round in the published "
            "figures (a sector lens counts only the sector's items). Beside it, the band's share of all the "
            "lens's municipalities and its share of those that took part: small municipalities under-represented "
            "show a smaller second share than first."
        ),
    ),
    "participation_centrality": (
        gettext_lazy("Municipalities taking part, by centrality class"),
        gettext_lazy("As by size band, by SSB's centrality class (1 most central, 6 least central)."),
    ),
}


def definition(key: str) -> tuple[str, str]:
    name, text = DEFINITIONS[key]
    return str(name), str(text)


@dataclass
class Panel:
    slug: str
    title: str
    kind: str  # BAR, PERCENT_BAR, GROUPED or HEATMAP
    header: list[str]
    rows: list[list[Any]]
    finding: str
    series: list[str] = field(default_factory=list)  # GROUPED: the value columns' names
    definition_key: str = ""  # the metric in DEFINITIONS, when not the slug

    @property
    def metric(self) -> str:
        return self.definition_key or self.slug

    @property
    def cells(self) -> list[list[str]]:
        """The table's rows as shown: counts with thousands separators, shares in per cent, means with a decimal."""
        return [[_cell(value, self.kind) for value in row] for row in self.rows]

    @property
    def empty(self) -> bool:
        return not any(isinstance(v, (int, float)) and v for row in self.rows for v in row[1:])


@dataclass
class Section:
    slug: str
    title: str
    panels: list[Panel]
    note: str = ""


def _n(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return number_format(value, 1, use_l10n=True, force_grouping=True)
    return number_format(value, 0, use_l10n=True, force_grouping=True)


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return "–"
    if isinstance(value, (bool, str)):
        return str(value)
    if isinstance(value, float):
        return percent(value) if kind == PERCENT_BAR else _n(value)
    return _n(value)


def percent(value: float | None) -> str:
    return "–" if value is None else number_format(round(value * 100, 1), 1, use_l10n=True) + "\u00a0%"


def _bar_finding(rows: list[list[Any]]) -> str:
    total = sum(row[1] for row in rows)
    if not total:
        return _("Nothing to show yet: every value is 0.")
    top = max(rows, key=lambda row: row[1])
    return _("Largest: %(label)s, %(value)s of %(total)s.") % {
        "label": top[0],
        "value": _n(top[1]),
        "total": _n(total),
    }


def _bar(slug: str, counts: dict[str, int], vocabulary: str, value_header: str, *, keep_zero: bool = True) -> Panel:
    names = labels.vocabulary(vocabulary)
    rows = [[names.get(code, code), counts.get(code, 0)] for code in names if keep_zero or counts.get(code)]
    rows += [[code, value] for code, value in counts.items() if code not in names]
    title = definition(slug)[0]
    return Panel(slug, title, BAR, [title, value_header], rows, _bar_finding(rows))


def _grouped(
    slug: str, data: dict[str, list[int]], first: str, series: list[str], label: Callable[[str], str]
) -> Panel:
    rows = [[label(key), *values] for key, values in data.items()]
    title = definition(slug)[0]
    if not rows or not any(any(r[1:]) for r in rows):
        finding = _("Nothing to show yet: every value is 0.")
    else:
        finding = (
            "; ".join(
                _("%(series)s in total: %(value)s") % {"series": name, "value": _n(sum(r[i + 1] for r in rows))}
                for i, name in enumerate(series)
            )
            + "."
        )
    return Panel(slug, title, GROUPED, [first, *series], rows, finding, series=series)


def sections(data: dict[str, Any], lens_kind: str) -> list[Section]:
    """The panels of one lens's figures, by module."""
    count = _("Count")
    projects, spread, instruments = data["projects"], data["spread"], data["instruments"]
    trials, challenges, procurement, benefits = (
        data["trials"],
        data["challenges"],
        data["procurement"],
        data["benefits"],
    )
    out = [
        Section(
            "projects",
            _("Projects"),
            [
                _bar("by_phase", projects["by_phase"], "phase", count),
                _bar("by_type", projects["by_type"], "innovation_type", count),
                _bar("by_degree", projects["by_degree"], "degree", count),
                _bar("by_novelty", projects["by_novelty"], "novelty", count),
                _grouped("by_year", projects["by_year"], _("Year"), [_("Started"), _("Finished")], str),
            ],
        ),
        Section(
            "spread",
            _("Spread and reuse"),
            [
                _bar("families", spread["families"], "family", _("Families")),
                _bar("waits", spread["waits"], "wait", _("Projects")),
            ],
        ),
        Section(
            "instruments",
            _("Instruments"),
            [
                _matrix(instruments["matrix"]),
                _top(instruments["top"]),
                _bar("uses_by_band", instruments["by_band"], "size_band", _("Uses")),
            ],
        ),
        Section(
            "trials",
            _("Trials and sandboxes"),
            [
                _bar("trials_by_kind", trials["by_kind"], "trial_kind", count),
                _bar("trials_by_status", trials["by_status"], "trial_status", count),
            ],
        ),
        Section(
            "challenges",
            _("Challenges and procurement"),
            [
                _bar("by_procedure", challenges["by_procedure"], "procedure", count),
                _bar("challenge_status", challenges["by_status"], "challenge_status", count),
                *(
                    [
                        _bar(
                            "notice_classes",
                            {
                                "innovation": procurement["innovation"],
                                "innovation_friendly": procurement["friendly"],
                                "other": procurement["notices"] - procurement["innovation"] - procurement["friendly"],
                            },
                            "notice_class",
                            _("Competitions"),
                        )
                    ]
                    if procurement is not None
                    else []
                ),
            ],
            note="" if procurement is not None else str(DEFINITIONS["notices"][1]),
        ),
        Section(
            "benefits",
            _("Benefits"),
            [
                _grouped(
                    "benefits_by_year", benefits["by_year"], _("Year"), [_("Planned (NOK)"), _("Realised (NOK)")], str
                ),
                _grouped(
                    "benefits_by_bearer",
                    benefits["by_bearer"],
                    _("Bearer"),
                    [_("Planned (NOK)"), _("Realised (NOK)")],
                    lambda code: labels.vocabulary("bearer").get(code, code),
                ),
            ],
        ),
        _surveys(data),
        Section(
            "participation",
            _("Participation of municipalities"),
            [
                _participation("participation", data["participation"], "size_band"),
                _participation("participation_centrality", data["participation_centrality"], "centrality"),
            ],
        ),
    ]
    return out


def _matrix(cells: dict[str, int]) -> Panel:
    phases = [(code, label) for code, label in labels.vocabulary("phase").items() if code != "stopped"]
    offers = list(labels.vocabulary("offer").items())
    rows = [[label, *[cells.get(f"{code}|{offer}", 0) for offer, _o in offers]] for code, label in phases]
    title = definition("matrix")[0]
    flat: list[tuple[Any, str, int]] = [
        (label, offer_label, cells.get(f"{code}|{offer}", 0)) for code, label in phases for offer, offer_label in offers
    ]
    if any(value for *_x, value in flat):
        top = max(flat, key=lambda cell: cell[2])
        finding = _("Most used: %(phase)s × %(offer)s, %(value)s uses.") % {
            "phase": top[0],
            "offer": top[1],
            "value": _n(top[2]),
        }
    else:
        finding = _("Nothing to show yet: every value is 0.")
    return Panel("matrix", title, HEATMAP, [_("Phase"), *[label for _c, label in offers]], rows, finding)


def _top(top: list[dict[str, Any]]) -> Panel:
    rows = [[labels.instrument_name(item["names"]) or str(item["id"]), item["uses"]] for item in top]
    title = definition("top_instruments")[0]
    return Panel("top_instruments", title, BAR, [_("Instrument"), _("Uses")], rows, _bar_finding(rows))


def _participation(slug: str, rows: list[dict[str, Any]], attribute: str) -> Panel:
    names = labels.vocabulary(attribute)
    table = [
        [
            names.get(str(row[attribute]), str(row[attribute])),
            row["municipalities"],
            row["active"],
            row["share"],
            row["share_of_all"],
            row["share_of_active"],
        ]
        for row in rows
    ]
    title = definition(slug)[0]
    if table:
        lowest = min(table, key=lambda r: r[3])
        finding = _("Lowest share taking part: %(group)s, %(share)s of %(n)s municipalities.") % {
            "group": lowest[0],
            "share": percent(lowest[3]),
            "n": _n(lowest[1]),
        }
    else:
        finding = _("No municipality in this lens.")
    header = [
        title,
        _("Municipalities"),
        _("Took part"),
        _("Share that took part"),
        _("Share of the municipalities"),
        _("Share of those that took part"),
    ]
    return Panel(slug, title, PERCENT_BAR, header, table, finding, series=header[4:])


def _surveys(data: dict[str, Any]) -> Section:
    panels = []
    notes = []
    culture = data.get("culture")
    if culture:
        names = labels.dimensions()
        by_key = {figure["dimension"]: figure for figure in culture}
        rows = [
            [
                names.get(key, key),
                by_key[key]["mean"],
                by_key[key]["low"],
                by_key[key]["high"],
                by_key[key]["level"],
                by_key[key]["organisations"],
            ]
            for key in names
            if key in by_key
        ]
        title = definition("culture")[0]
        top = max(rows, key=lambda r: r[1]) if rows else None
        finding = (
            _("Highest mean: %(dimension)s, %(mean)s.") % {"dimension": top[0], "mean": _n(float(top[1]))}
            if top
            else _("No published figure for this group.")
        )
        panels.append(
            Panel(
                "culture",
                title,
                BAR,
                [
                    _("Dimension"),
                    _("Mean"),
                    _("Lower limit"),
                    _("Upper limit"),
                    _("Maturity level"),
                    _("Organisations"),
                ],
                rows,
                finding,
            )
        )
    else:
        notes.append(_("Culture: no published comparison figure for this lens."))
    for published in data.get("barometer") or []:
        names = labels.indicators()
        rows = []
        for indicator in published["indicators"]:
            if "share" in indicator:
                rows.append(
                    [
                        names.get(indicator["key"], indicator["key"]),
                        indicator["share"],
                        indicator["low"],
                        indicator["high"],
                    ]
                )
            else:
                band = _("90 % or more") if indicator.get("band") == "high" else _("10 % or less")
                rows.append([names.get(indicator["key"], indicator["key"]), band, None, None])
        shown = [r for r in rows if isinstance(r[1], float)]
        top = max(shown, key=lambda r: r[1]) if shown else None
        finding = (
            _("Highest share: %(indicator)s, %(share)s.") % {"indicator": top[0], "share": percent(top[1])}
            if top
            else _("The round publishes no figure for this group.")
        )
        panels.append(
            Panel(
                f"barometer-{published['kind']}",
                f"{definition('barometer')[0]}: {published['title']}",
                PERCENT_BAR,
                [_("Indicator"), _("Share"), _("Lower limit"), _("Upper limit")],
                rows,
                finding,
                series=[_("Share")],
                definition_key="barometer",
            )
        )
    if data.get("barometer") is None:
        notes.append(_("Barometer: the published rounds have no breakdown for this lens."))
    return Section("surveys", _("Culture and barometer"), panels, note=" ".join(notes))


def key_figures(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(metric, shown value) of the headline figures, in a fixed order (the comparison table's rows)."""
    p, s, i, t, c, q, b = (
        data["projects"],
        data["spread"],
        data["instruments"],
        data["trials"],
        data["challenges"],
        data["procurement"],
        data["benefits"],
    )
    participation = data["participation"]
    municipalities = sum(row["municipalities"] for row in participation)
    active = sum(row["active"] for row in participation)
    return [
        ("projects", _n(p["total"])),
        ("stopped_share", percent(p["stopped_share"])),
        ("reused_share", percent(s["reused_share"])),
        ("adoptions_of", _n(s["adoptions_of"])),
        ("adoptions_by", _n(s["adoptions_by"])),
        ("median_wait", _n(s["median_wait_days"])),
        ("uses", _n(i["uses"])),
        ("trials", _n(t["total"])),
        ("preregistered_share", percent(t["preregistered_share"])),
        ("decided_share", percent(t["decided_share"])),
        ("overdue", _n(t["overdue"])),
        ("sandbox", f"{_n(t['sandbox_admitted'])} / {_n(t['sandbox_applications'])}"),
        ("challenges", _n(c["total"])),
        ("joint", _n(c["joint"])),
        ("notices", "–" if q is None else _n(q["notices"])),
        ("innovation_share", "–" if q is None else percent(q["innovation_share"])),
        ("planned", _n(b["planned"])),
        ("realised", _n(b["realised"])),
        ("outside_share", percent(b["outside_share"])),
        ("participation", f"{_n(active)} / {_n(municipalities)}" if municipalities else "–"),
    ]


def is_sector(lens_kind: str) -> bool:
    return lens_kind == SECTOR
