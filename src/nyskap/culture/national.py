"""The public national picture, read from the stored comparison figures (see `benchmarks`). A group that is not
stored had too few organisations, or would have revealed another group by subtraction: it shows as such."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from nyskap.organisations.models import County, OrganisationKind, size_band_choices

from . import instrument
from .benchmarks import min_organisations
from .calculations import maturity_level
from .models import Benchmark, Scope


@dataclass(frozen=True)
class Cell:
    mean: float | None
    low: float | None
    high: float | None
    level: int | None


@dataclass(frozen=True)
class Row:
    label: str
    organisations: int | None
    cells: list[Cell]


@dataclass(frozen=True)
class Breakdown:
    title: str
    rows: list[Row]

    @property
    def shown_rows(self) -> list[Row]:
        """The groups with figures (enough organisations)."""
        return [row for row in self.rows if row.organisations]

    @property
    def hidden_count(self) -> int:
        return len(self.rows) - len(self.shown_rows)


@dataclass(frozen=True)
class NationalPicture:
    dimensions: list[tuple[str, str]]
    national: Row | None
    breakdowns: list[Breakdown]
    computed_at: object
    minimum: int = 5  # organisations a group needs to be shown


def _dimension_names() -> list[tuple[str, str]]:
    from nyskap.surveys.selectors import pick_language

    return [(d["key"], pick_language(d["name"])) for d in instrument.DIMENSIONS]


def _row(label: str, figures: dict[str, Benchmark], dimensions: list[tuple[str, str]]) -> Row:
    cells = []
    organisations = None
    for key, _name in dimensions:
        figure = figures.get(key)
        if figure is None:
            cells.append(Cell(None, None, None, None))
        else:
            organisations = max(organisations or 0, figure.organisations)
            cells.append(Cell(figure.mean, figure.low, figure.high, maturity_level(figure.mean)))
    return Row(label=label, organisations=organisations, cells=cells)


def national_picture() -> NationalPicture:
    dimensions = _dimension_names()
    stored: dict[tuple[str, str], dict[str, Benchmark]] = defaultdict(dict)
    computed_at = None
    for figure in Benchmark.objects.all():
        stored[(figure.scope, figure.key)][figure.dimension] = figure
        computed_at = figure.computed_at
    national = stored.get((Scope.NATIONAL.value, ""))
    kinds = [(str(k), str(OrganisationKind(k).label)) for k in OrganisationKind.public_sector()]
    counties = list(County.objects.values_list("number", "name"))
    breakdowns = [
        Breakdown(
            _("By kind of organisation"),
            [_row(label, stored.get((Scope.KIND.value, key), {}), dimensions) for key, label in kinds],
        ),
        Breakdown(
            _("Municipalities by size band (inhabitants)"),
            [_row(label, stored.get((Scope.SIZE.value, key), {}), dimensions) for key, label in size_band_choices()],
        ),
        Breakdown(
            _("By county"),
            [_row(name, stored.get((Scope.COUNTY.value, number), {}), dimensions) for number, name in counties],
        ),
    ]
    return NationalPicture(
        dimensions=dimensions,
        national=_row(_("All public-sector organisations"), national, dimensions) if national else None,
        breakdowns=breakdowns,
        computed_at=computed_at,
        minimum=min_organisations(),
    )


def reliability() -> list[tuple[str, float | None, int | None]]:
    """(dimension name, Cronbach's alpha, respondents) from the national figures."""
    figures = {f.dimension: f for f in Benchmark.objects.filter(scope=Scope.NATIONAL, key="")}
    return [
        (name, figures[key].alpha if key in figures else None, figures[key].respondents if key in figures else None)
        for key, name in _dimension_names()
    ]
