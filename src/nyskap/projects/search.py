"""Finding projects: full-text search (through `nyskap.core.search`), filters that combine, facet counts and spread
statistics for any result — one place used by the pages, the API and the exports, so they always agree.

Within one facet the chosen values are alternatives (OR); different facets narrow each other (AND). Facet counts
are computed over the current result, in a fixed number of queries whatever the result size.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django import forms
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from nyskap.core import versions
from nyskap.core.forms import QuickSelect
from nyskap.core.search import ALL, RankedObjects, SearchHit, index_many, index_object, run_search
from nyskap.core.search import remove_object as _remove_from_index
from nyskap.core.search.services import set_tags
from nyskap.core.visibility import Visibility
from nyskap.organisations.models import CentralityClass, OrganisationKind, size_band_choices
from nyskap.organisations.selectors import county_choices

from .models import (
    Degree,
    EffectsMeasurement,
    InnovationTypeCode,
    LifeEventCode,
    Novelty,
    Phase,
    Project,
    Sector,
    SustainableDevelopmentGoalNumber,
)
from .selectors import SpreadStatistics, facet_counts, facet_tags, hit_facets, spread_statistics

# Rank at most this many hits of a text query; facets and pages are computed over them.
SEARCH_RESULT_LIMIT = 1000
# The tag every public project's search document carries (see `selectors.facet_tags`).
PUBLIC_TAG = f"visibility={Visibility.PUBLIC}"


def index_project(project: Project) -> None:
    """(Re-)index a project's text: title and need rank above description, lessons and effects; with its facet
    tags, so searches count facets from their hits."""
    index_object(
        project,
        title=project.title,
        a_texts=[project.need_problem, project.need_who, project.need_today, project.need_effect],
        b_texts=[project.description, project.lessons_learned, project.effects_achieved, project.service_area],
        tags=facet_tags([project.pk]).get(project.pk),
    )


INDEX_BATCH = 1000


def index_projects(projects: QuerySet[Project]) -> int:
    """Index many projects in batches (imports, demo content, benchmarks); returns how many."""
    fields: tuple[str, ...] = ("pk", "title", "need_problem", "need_who", "need_today", "need_effect")
    fields = (*fields, "description", "lessons_learned", "effects_achieved", "service_area")
    rows = projects.order_by().values_list(*fields).iterator(chunk_size=INDEX_BATCH)

    def items() -> Iterator[tuple[int, str, list[str], list[str], str | None]]:
        for batch in itertools.batched(rows, INDEX_BATCH):
            tags = facet_tags([row[0] for row in batch])
            for pk, title, p, w, t, e, d, lessons, effects, area in batch:
                yield pk, title, [p, w, t, e], [d, lessons, effects, area], tags.get(pk)

    return index_many(Project, items())


def refresh_facet_tags(ids: list[int]) -> int:
    """Store the current facet values of these projects with their search documents (after a change to a project's
    phase, types, owners or adoptions, or to an owner's county, kind, size or centrality); returns how many."""
    return set_tags(Project, facet_tags(sorted(set(ids))))


def index_project_ids(ids: list[int], *, chunk: int = 5000) -> int:
    """`index_projects` for a long list of ids, in chunks so no query carries an unbounded IN list."""
    return sum(index_projects(Project.objects.filter(pk__in=ids[i : i + chunk])) for i in range(0, len(ids), chunk))


def remove_project_from_index(project: Project) -> None:
    _remove_from_index(project)


YES_NO = [("", _("All")), ("yes", _("Yes")), ("no", _("No"))]
SORT_CHOICES = [("relevance", _("Best match")), ("updated", _("Recently updated")), ("title", _("Title"))]


def _county_choices() -> list[tuple[str, str]]:
    return county_choices()


class ProjectSearchForm(forms.Form):
    """The search and its filters, read from the query string (shareable URLs)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    phase = forms.MultipleChoiceField(label=_("Phase"), choices=Phase.choices, required=False)
    innovation_type = forms.MultipleChoiceField(
        label=_("Innovation type"), choices=InnovationTypeCode.choices, required=False
    )
    degree = forms.MultipleChoiceField(label=_("Degree of innovation"), choices=Degree.choices, required=False)
    novelty = forms.MultipleChoiceField(label=_("Novelty"), choices=Novelty.choices, required=False)
    sector = forms.MultipleChoiceField(label=_("Sector"), choices=Sector.choices, required=False)
    county = forms.MultipleChoiceField(label=_("County"), choices=_county_choices, required=False)
    organisation_kind = forms.MultipleChoiceField(
        label=_("Kind of organisation"), choices=OrganisationKind.choices, required=False
    )
    size_band = forms.MultipleChoiceField(label=_("Municipality size"), choices=size_band_choices, required=False)
    centrality = forms.TypedMultipleChoiceField(
        label=_("Centrality class"), choices=CentralityClass.choices, coerce=int, required=False
    )
    sdg = forms.TypedMultipleChoiceField(
        label=_("Sustainable development goal"),
        choices=SustainableDevelopmentGoalNumber.choices,
        coerce=int,
        required=False,
    )
    life_event = forms.MultipleChoiceField(label=_("Life event"), choices=LifeEventCode.choices, required=False)
    effects_measured = forms.ChoiceField(
        label=_("Effects measured"), choices=YES_NO, required=False, widget=QuickSelect
    )
    stopped = forms.ChoiceField(label=_("Stopped projects"), choices=YES_NO, required=False, widget=QuickSelect)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False, widget=QuickSelect)

    FACETS = (
        "phase",
        "innovation_type",
        "degree",
        "novelty",
        "sector",
        "county",
        "organisation_kind",
        "size_band",
        "centrality",
        "sdg",
        "life_event",
    )


@dataclass
class FacetValue:
    value: Any
    label: str
    count: int
    selected: bool


@dataclass
class ProjectSearchResult:
    form: ProjectSearchForm
    # A QuerySet without a text query; with one, the hits in rank order (`RankedObjects`, each project carrying
    # `search_match` "all"/"some" and `search_missing`), or a QuerySet of the hits when sorted otherwise.
    projects: QuerySet[Project] | RankedObjects
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    spread: SpreadStatistics | None = None
    query: str = ""
    # With a text query: the hits, how many match every word, and a corrected query to offer ("did you mean").
    hits: list[SearchHit] | None = None
    all_words: int = 0
    suggestion: str = ""
    # True when the query has more hits than are ranked (SEARCH_RESULT_LIMIT): facets count the best ones.
    capped: bool = False

    def queryset(self) -> QuerySet[Project]:
        """The result as a QuerySet (exports): the hits, or the filtered projects."""
        if isinstance(self.projects, RankedObjects):
            return self.projects.queryset()
        return self.projects


def apply_filters(projects: QuerySet[Project], data: dict[str, Any]) -> QuerySet[Project]:
    simple = {"phase": "phase__in", "degree": "degree__in", "novelty": "novelty__in", "sector": "sector__in"}
    for name, lookup in simple.items():
        if data.get(name):
            projects = projects.filter(**{lookup: data[name]})
    related = {
        "innovation_type": "innovation_types__code__in",
        "sdg": "sdgs__number__in",
        "life_event": "life_events__code__in",
        "county": "owners__county__number__in",
        "organisation_kind": "owners__kind__in",
        "size_band": "owners__size_band__in",
        "centrality": "owners__centrality_class__in",
    }
    for name, lookup in related.items():
        if data.get(name):
            # A subquery keeps one row per project however many owners or types match.
            projects = projects.filter(pk__in=Project.objects.filter(**{lookup: data[name]}).values("pk"))
    if data.get("effects_measured") == "yes":
        projects = projects.exclude(effects_measurement=EffectsMeasurement.NONE)
    elif data.get("effects_measured") == "no":
        projects = projects.filter(effects_measurement=EffectsMeasurement.NONE)
    if data.get("stopped") == "yes":
        projects = projects.filter(phase=Phase.STOPPED)
    elif data.get("stopped") == "no":
        projects = projects.exclude(phase=Phase.STOPPED)
    return projects


def _owner_facets(projects: QuerySet[Project]) -> dict[str, dict[Any, int]]:
    """Counts by the owning organisations' county, kind, size band and centrality (a project counts once per value)."""
    through = Project.owners.through
    owners = through.objects.filter(project_id__in=projects.order_by().values("pk")).order_by()
    result: dict[str, dict[Any, int]] = {}
    for name, column in (
        ("county", "organisation__county__number"),
        ("organisation_kind", "organisation__kind"),
        ("size_band", "organisation__size_band"),
        ("centrality", "organisation__centrality_class"),
    ):
        empty = Q(**{f"{column}__isnull": True})
        if name != "centrality":
            empty |= Q(**{column: ""})
        rows = owners.exclude(empty).values_list(column).annotate(n=Count("project_id", distinct=True))
        result[name] = dict(rows)  # type: ignore[arg-type]
    return result


def _facets(
    form: ProjectSearchForm, counts: dict[str, dict[Any, int]], owner_counts: dict[str, dict[Any, int]]
) -> dict[str, list[FacetValue]]:
    by_facet: dict[str, dict[Any, int]] = {
        "phase": counts["phase"],
        "degree": counts["degree"],
        "novelty": counts["novelty"],
        "sector": counts["sector"],
        "innovation_type": counts["innovation_types"],
        "sdg": counts["sdgs"],
        "life_event": counts["life_events"],
        **owner_counts,
    }
    data = form.cleaned_data if form.is_valid() else {}
    facets: dict[str, list[FacetValue]] = {}
    for name in ProjectSearchForm.FACETS:
        chosen = {str(v) for v in data.get(name) or []}
        values = []
        for value, label in form.fields[name].choices:  # type: ignore[attr-defined]
            count = by_facet.get(name, {}).get(value, 0)
            if count or str(value) in chosen:
                values.append(FacetValue(value=value, label=str(label), count=count, selected=str(value) in chosen))
        facets[name] = values
    return facets


# Facet counts and spread over a large result are the expensive part of a search page; they are cached per visitor
# scope and search, and a new library version (any project change, see signals.py) makes every cached entry stale.
FACET_CACHE_SECONDS = 600
_VERSION_KEY = versions.register("projects:library-version")


def library_version() -> str:
    return versions.current(_VERSION_KEY)


def bump_library_version() -> None:
    versions.bump(_VERSION_KEY)


def _scope(user: Any) -> str:
    if user is None or not user.is_authenticated:
        return "anonymous"
    return f"user:{user.pk}"


def _cached_facets_and_spread(
    user: Any,
    form: ProjectSearchForm,
    projects: QuerySet[Project] | RankedObjects,
    tags: dict[int, str | None] | None = None,
) -> tuple[dict[str, list[FacetValue]], SpreadStatistics]:
    params = json.dumps(
        {name: form.cleaned_data.get(name) for name in sorted(form.fields) if name != "sort"},
        sort_keys=True,
        default=str,
    )
    digest = hashlib.sha256(f"{_scope(user)}|{params}".encode()).hexdigest()
    key = f"projects:facets:{library_version()}:{get_language()}:{digest}"
    cached = cache.get(key)
    if cached is None:
        if isinstance(projects, RankedObjects):
            # A text search: counted from the hits' stored facet tags (or their ids), never from a ranked QuerySet.
            found = hit_facets(projects.ids(), tags or {})
            owner_keys = ("county", "organisation_kind", "size_band", "centrality")
            owners = {name: found.counts[name] for name in owner_keys}
            cached = (_facets(form, found.counts, owners), found.spread)
        else:
            cached = (_facets(form, facet_counts(projects), _owner_facets(projects)), spread_statistics(projects))
        cache.set(key, cached, FACET_CACHE_SECONDS)
    return cached


def search_projects(*, user: Any, params: Any, with_facets: bool = True) -> ProjectSearchResult:
    """The projects `user` may see that match `params` (a QueryDict or dict), ranked, with facets and spread."""
    form = ProjectSearchForm(params)
    visible: QuerySet[Project] = Project.objects.visible_to(user)
    if not form.is_valid():
        return ProjectSearchResult(form=form, projects=visible.none(), facets={}, spread=None)
    data = form.cleaned_data
    filtered = apply_filters(visible, data)
    query = (data.get("q") or "").strip()
    sort = data.get("sort") or ("relevance" if query else "updated")
    projects: QuerySet[Project] | RankedObjects = filtered.order_by(
        *(("title", "pk") if sort == "title" else ("-updated_at", "pk"))
    )
    result = ProjectSearchResult(form=form, projects=projects, query=query)
    tags: dict[int, str | None] = {}
    if query:
        if filtered is visible and not (user is not None and user.is_authenticated):
            # An anonymous search without filters: public projects, known from the index's tags alone. The page
            # still reads its projects through `filtered`, so a stale tag could never show a hidden project.
            outcome = run_search(Project, query, limit=SEARCH_RESULT_LIMIT, tag=PUBLIC_TAG)
        else:
            outcome = run_search(filtered, query, limit=SEARCH_RESULT_LIMIT)
        tags = outcome.tags
        ranked = RankedObjects(filtered, outcome.hits)
        result.hits = outcome.hits
        result.all_words = sum(1 for hit in outcome.hits if hit.match == ALL)
        result.suggestion = outcome.suggestion
        result.capped = len(outcome.hits) >= SEARCH_RESULT_LIMIT
        if sort == "relevance":
            result.projects = ranked
        else:
            ordering = ("title", "pk") if sort == "title" else ("-updated_at", "pk")
            result.projects = ranked.queryset().order_by(*ordering)
    if with_facets:
        counted = RankedObjects(filtered, result.hits) if result.hits is not None else result.projects
        result.facets, result.spread = _cached_facets_and_spread(user, form, counted, tags)
    return result


class OwnerName(NamedTuple):
    """What a result card shows of an owning organisation."""

    pk: int
    name: str
    slug: str


def owners_of(projects: list[Project]) -> dict[int, list[OwnerName]]:
    """Owning organisations for a page of projects, by name, in one query."""
    through = Project.owners.through
    rows = (
        through.objects.filter(project_id__in=[p.pk for p in projects])
        .order_by("pk")
        .values_list("project_id", "organisation_id", "organisation__name", "organisation__slug")
    )
    result: dict[int, list[OwnerName]] = {}
    for project_id, pk, name, slug in rows:
        result.setdefault(project_id, []).append(OwnerName(pk, name, slug))
    return result


# How many distinct words of a need text go into a "similar projects" search (the longest first: they carry most).
SIMILAR_QUERY_WORDS = 24


@dataclass
class SimilarProject:
    project: Project
    shared_words: list[str]
    same_sector: bool
    shared_types: list[str]


def _informative_words(text: str) -> list[str]:
    from nyskap.core.search.text import content_words

    words = list(dict.fromkeys(word for word in content_words(text) if len(word) >= 4 and not word.isdigit()))
    return sorted(words, key=lambda w: (-len(w), words.index(w)))[:SIMILAR_QUERY_WORDS]


def similar_projects(
    *,
    user: Any,
    text: str,
    sector: str = "",
    innovation_types: list[str] | None = None,
    exclude: Project | None = None,
    limit: int = 5,
) -> list[SimilarProject]:
    """Projects `user` may see whose title and need share the most words with `text` — ongoing, finished and
    stopped alike — each with why it matches (shared words, same sector, shared innovation types)."""
    from nyskap.core.search import search_ids
    from nyskap.core.search.text import content_words, stem

    words = _informative_words(text)
    if not words:
        return []
    candidates = Project.objects.visible_to(user)
    if exclude is not None and exclude.pk:
        candidates = candidates.exclude(pk=exclude.pk)
    ids = search_ids(candidates, " ".join(words), limit=limit, match_any=True)
    projects = {p.pk: p for p in Project.objects.filter(pk__in=ids).prefetch_related("innovation_types")}
    stems = {stem(word): word for word in words}
    wanted_types = set(innovation_types or [])
    result = []
    for pk in ids:
        project = projects[pk]
        own = " ".join([project.title, project.need_problem, project.need_who, project.need_today, project.need_effect])
        own_stems = {stem(word) for word in content_words(own)}
        result.append(
            SimilarProject(
                project=project,
                shared_words=[word for s, word in stems.items() if s in own_stems][:8],
                same_sector=bool(sector) and project.sector == sector,
                shared_types=sorted(wanted_types & {t.code for t in project.innovation_types.all()}),
            )
        )
    return result
