"""Reads on the project library: the reuse family tree, adoption summaries, spread statistics and facet counts.
Each runs a fixed number of queries whatever the size of the tree or the queryset (asserted in the tests)."""

from __future__ import annotations

import datetime
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from nyskap.organisations.models import Organisation

from .calculations import NoveltyShares, novelty_shares
from .models import Adoption, Degree, InnovationTypeCode, Novelty, Phase, PhaseChange, Project, Sector

# A guard against pathological data; `project_adopt` already refuses cycles.
MAX_TREE_DEPTH = 50


def adoption_edges(project_id: int, *, max_depth: int = MAX_TREE_DEPTH) -> list[tuple[int, int | None, int]]:
    """``(adoption id, adopting project id or None, depth)`` for every adoption downstream of ``project_id``, each
    at the smallest depth it is reached, in breadth-first order. One recursive query (SQLite and PostgreSQL); the
    depth bound ends it even if the data held a cycle."""
    table = connection.ops.quote_name(Adoption._meta.db_table)
    sql = f"""
        WITH RECURSIVE tree(adoption_id, adopting_project_id, depth) AS (
            SELECT id, adopting_project_id, 1 FROM {table} WHERE source_project_id = %s
            UNION
            SELECT a.id, a.adopting_project_id, tree.depth + 1
            FROM {table} a JOIN tree ON a.source_project_id = tree.adopting_project_id
            WHERE tree.depth < %s
        )
        SELECT adoption_id, adopting_project_id, MIN(depth) FROM tree
        GROUP BY adoption_id, adopting_project_id
        ORDER BY MIN(depth), adoption_id
    """  # noqa: S608 — the only interpolation is our own table name
    with connection.cursor() as cursor:
        cursor.execute(sql, [project_id, max_depth])
        return [(row[0], row[1], row[2]) for row in cursor.fetchall()]


@dataclass(frozen=True)
class FamilyNode:
    """One adopter in a family tree: ``depth`` 1 adopted the root directly, 2 adopted an adopter, and so on."""

    adoption: Adoption
    depth: int

    @property
    def adopter(self) -> Project | Organisation:
        return self.adoption.adopting_project or self.adoption.adopting_organisation  # type: ignore[return-value]

    @property
    def parent(self) -> Project:
        return self.adoption.source_project


def family_tree(project: Project) -> list[FamilyNode]:
    """Adopters of ``project``, adopters of those, and so on, breadth-first. An adopter reached along several paths
    (a project that adopted two members of the family) appears once, under the adoption nearest the root. Two
    queries."""
    edges = adoption_edges(project.pk)
    adoptions = Adoption.objects.select_related(
        "source_project", "adopting_project", "adopting_organisation__county"
    ).in_bulk([adoption_id for adoption_id, _adopter, _depth in edges])
    nodes: list[FamilyNode] = []
    seen: set[tuple[str, int]] = set()
    for adoption_id, _adopting_project_id, depth in edges:
        adoption = adoptions[adoption_id]
        key = (
            ("project", adoption.adopting_project_id)
            if adoption.adopting_project_id
            else ("organisation", adoption.adopting_organisation_id)
        )
        if key in seen:
            continue
        seen.add(key)  # type: ignore[arg-type]
        nodes.append(FamilyNode(adoption=adoption, depth=depth))
    return nodes


def implemented_on(project: Project) -> datetime.date | None:
    """The (local) date the project first reached *implemented*, from its timeline."""
    at = (
        PhaseChange.objects.filter(project=project, to_phase=Phase.IMPLEMENTED)
        .order_by("at", "pk")
        .values_list("at", flat=True)
        .first()
    )
    return timezone.localdate(at) if at else None


@dataclass(frozen=True)
class AdoptionTiming:
    node: FamilyNode
    days_from_implementation: int | None


@dataclass(frozen=True)
class AdoptionSummary:
    """``adopting_bodies``: distinct organisations that adopted the solution anywhere in the family tree — an
    adopting project counts each of its owners; the source's own owners are not counted (reuse inside the body
    that made it is not spread). ``by_county``: those bodies per county name ("" for bodies with no county, such
    as state agencies), most first. ``adoptions``: each adopter with the days from the source's first
    implementation to the adoption (negative when adopted before, ``None`` if the source was never implemented)."""

    adopting_bodies: int
    by_county: list[tuple[str, int]]
    implemented_on: datetime.date | None
    adoptions: list[AdoptionTiming]


def adoption_summary(project: Project) -> AdoptionSummary:
    """Five queries: the tree (2), the adopting projects' owners with counties, the source's owners, the source's
    implementation date."""
    nodes = family_tree(project)
    adopting_project_ids = [node.adoption.adopting_project_id for node in nodes if node.adoption.adopting_project_id]
    owner_links = Project.owners.through.objects.filter(project_id__in=adopting_project_ids).select_related(
        "organisation__county"
    )
    source_owner_ids = set(project.owners.values_list("pk", flat=True))
    bodies: dict[int, Organisation] = {}
    for link in owner_links:
        bodies[link.organisation_id] = link.organisation
    for node in nodes:
        if node.adoption.adopting_organisation_id:
            bodies[node.adoption.adopting_organisation_id] = node.adoption.adopting_organisation  # type: ignore[assignment]
    for owner_id in source_owner_ids:
        bodies.pop(owner_id, None)
    counties = Counter(body.county.name if body.county_id else "" for body in bodies.values())  # type: ignore[union-attr]
    start = implemented_on(project)
    return AdoptionSummary(
        adopting_bodies=len(bodies),
        by_county=sorted(counties.items(), key=lambda item: (-item[1], item[0])),
        implemented_on=start,
        adoptions=[
            AdoptionTiming(
                node=node,
                days_from_implementation=(node.adoption.adopted_on - start).days if start is not None else None,
            )
            for node in nodes
        ],
    )


@dataclass(frozen=True)
class SpreadStatistics:
    projects: int
    novelty_unknown: int
    shares: NoveltyShares
    adoptions: int
    adopted_projects: int


def spread_statistics(queryset: QuerySet[Project]) -> SpreadStatistics:
    """Novelty shares over the projects in ``queryset`` and how often they were adopted. Two queries."""
    ids = queryset.order_by().values("pk")
    counts: dict[str, Any] = Project.objects.filter(pk__in=ids).aggregate(
        projects=Count("pk"),
        first=Count("pk", filter=Q(novelty=Novelty.FIRST_OF_ITS_KIND)),
        inspired=Count("pk", filter=Q(novelty=Novelty.INSPIRED_ADAPTED)),
        copied=Count("pk", filter=Q(novelty=Novelty.COPIED)),
    )
    reuse = Adoption.objects.filter(source_project__in=ids).aggregate(
        adoptions=Count("pk"), adopted_projects=Count("source_project", distinct=True)
    )
    shares = novelty_shares(
        first_of_its_kind=counts["first"], inspired_adapted=counts["inspired"], copied=counts["copied"]
    )
    return SpreadStatistics(
        projects=counts["projects"],
        novelty_unknown=counts["projects"] - shares.known,
        shares=shares,
        adoptions=reuse["adoptions"],
        adopted_projects=reuse["adopted_projects"],
    )


def facet_counts(queryset: QuerySet[Project]) -> dict[str, dict[Any, int]]:
    """Number of projects per value of each facet (seven queries, each one ``GROUP BY``). Multi-valued facets
    count a project once under each of its values."""
    ids = queryset.order_by().values("pk")
    projects = Project.objects.filter(pk__in=ids).order_by()
    result: dict[str, dict[Any, int]] = {}
    for field in ("phase", "sector", "degree", "novelty"):
        rows = projects.exclude(**{field: ""}).values_list(field).annotate(n=Count("pk"))
        result[field] = dict(rows)  # type: ignore[arg-type]
    for field, column in (
        ("innovation_types", "innovationtype_id"),
        ("sdgs", "sustainabledevelopmentgoal_id"),
        ("life_events", "lifeevent_id"),
    ):
        through = getattr(Project, field).through
        rows = through.objects.filter(project_id__in=ids).order_by().values_list(column).annotate(n=Count("pk"))
        result[field] = dict(rows)
    return result


@dataclass(frozen=True)
class HitFacets:
    """Facet counts and spread over a list of search hits, computed from their ids alone."""

    counts: dict[str, dict[Any, int]]
    spread: SpreadStatistics


def _id_list(ids: list[int]) -> tuple[str, Any]:
    """SQL for a one-column table `ids(id)` of the given ids, and its single parameter: an array on PostgreSQL, a
    JSON list on SQLite. The statement's text is the same whatever the number of ids."""
    if connection.vendor == "postgresql":
        return "SELECT unnest(%s::bigint[]) AS id", list(ids)
    return "SELECT CAST(value AS INTEGER) AS id FROM json_each(%s)", json.dumps(ids)


def facets_for_ids(ids: list[int]) -> HitFacets:
    """Facet counts (as `facet_counts` and the owner facets) and spread statistics for the projects with these ids,
    in one statement whatever their number: the projects' own columns, their types, goals and life events, their
    owners and their adoptions, each row tagged, over one id list — counted here rather than by a GROUP BY per facet.

    This is what a search page uses: a search has at most `SEARCH_RESULT_LIMIT` hits, so the list stays bounded,
    and nothing is built on the ranked QuerySet (see docs/adr/0007-search-recall-and-speed.md)."""
    quote = connection.ops.quote_name
    project = quote(Project._meta.db_table)
    types = quote(Project.innovation_types.through._meta.db_table)
    goals = quote(Project.sdgs.through._meta.db_table)
    events = quote(Project.life_events.through._meta.db_table)
    owners = quote(Project.owners.through._meta.db_table)
    organisation = quote(Organisation._meta.db_table)
    county = quote(Organisation._meta.get_field("county").related_model._meta.db_table)  # type: ignore[union-attr]
    adoption = quote(Adoption._meta.db_table)
    id_sql, id_param = _id_list(ids)
    text = "TEXT" if connection.vendor == "sqlite" else "VARCHAR"
    # Table names come from model metadata; the only value is the id list parameter. Each part counts one facet
    # (a project once per value, however many owners share it); the database returns a hundred rows, not thousands.
    sql = f"""
        WITH ids AS MATERIALIZED ({id_sql}),
        owner_values AS MATERIALIZED (
            SELECT DISTINCT w.project_id, c.number AS county, o.kind, o.size_band,
                CAST(o.centrality_class AS {text}) AS centrality
            FROM {owners} w JOIN {organisation} o ON o.id = w.organisation_id LEFT JOIN {county} c ON c.id = o.county_id
            WHERE w.project_id IN (SELECT id FROM ids)
        ),
        hits AS MATERIALIZED (
            SELECT p.phase, p.sector, p.degree, p.novelty FROM {project} p WHERE p.id IN (SELECT id FROM ids)
        )
        SELECT 'phase', phase, COUNT(*) FROM hits GROUP BY phase
        UNION ALL SELECT 'sector', sector, COUNT(*) FROM hits GROUP BY sector
        UNION ALL SELECT 'degree', degree, COUNT(*) FROM hits GROUP BY degree
        UNION ALL SELECT 'novelty', novelty, COUNT(*) FROM hits GROUP BY novelty
        UNION ALL SELECT 'innovation_types', CAST(t.innovationtype_id AS {text}), COUNT(*)
            FROM {types} t WHERE t.project_id IN (SELECT id FROM ids) GROUP BY t.innovationtype_id
        UNION ALL SELECT 'sdgs', CAST(g.sustainabledevelopmentgoal_id AS {text}), COUNT(*)
            FROM {goals} g WHERE g.project_id IN (SELECT id FROM ids) GROUP BY g.sustainabledevelopmentgoal_id
        UNION ALL SELECT 'life_events', CAST(e.lifeevent_id AS {text}), COUNT(*)
            FROM {events} e WHERE e.project_id IN (SELECT id FROM ids) GROUP BY e.lifeevent_id
        UNION ALL SELECT 'county', county, COUNT(DISTINCT project_id) FROM owner_values GROUP BY county
        UNION ALL SELECT 'organisation_kind', kind, COUNT(DISTINCT project_id) FROM owner_values GROUP BY kind
        UNION ALL SELECT 'size_band', size_band, COUNT(DISTINCT project_id) FROM owner_values GROUP BY size_band
        UNION ALL SELECT 'centrality', centrality, COUNT(DISTINCT project_id) FROM owner_values GROUP BY centrality
        UNION ALL SELECT 'adoptions', CAST(COUNT(DISTINCT a.source_project_id) AS {text}), COUNT(*)
            FROM {adoption} a WHERE a.source_project_id IN (SELECT id FROM ids)
    """  # noqa: S608
    counts: dict[str, dict[Any, int]] = {name: {} for name in HIT_FACETS}
    novelty: dict[str, int] = {}
    adoptions = adopted_projects = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, [id_param])
        rows = cursor.fetchall()
    for facet, value, number in rows:
        if facet == "adoptions":
            adoptions, adopted_projects = int(number), int(value)
        elif facet == "novelty":
            novelty[value] = int(number)
        if facet in counts and value not in (None, ""):
            counts[facet][CONVERT.get(facet, str)(value)] = int(number)
    projects = sum(counts["phase"].values())
    shares = novelty_shares(
        first_of_its_kind=novelty.get(Novelty.FIRST_OF_ITS_KIND, 0),
        inspired_adapted=novelty.get(Novelty.INSPIRED_ADAPTED, 0),
        copied=novelty.get(Novelty.COPIED, 0),
    )
    spread = SpreadStatistics(
        projects=projects,
        novelty_unknown=projects - shares.known,
        shares=shares,
        adoptions=adoptions,
        adopted_projects=adopted_projects,
    )
    return HitFacets(counts=counts, spread=spread)


HIT_FACETS = (
    "phase",
    "sector",
    "degree",
    "novelty",
    "innovation_types",
    "sdgs",
    "life_events",
    "county",
    "organisation_kind",
    "size_band",
    "centrality",
)
# Facet values the page compares with its choices as numbers.
CONVERT: dict[str, Any] = {"sdgs": int, "centrality": int}


# Facet tags: each project's facet values, stored with its search document (`SearchDocument.tags`) so a search counts
# its facets from the rows of its own lookup — no second statement over the hits (ADR 0007). A tag is
# "<facet>=<value>" (values are codes without spaces); "adoptions=<n>" when others adopted the project.
TAG_CHUNK = 5000


def facet_tags(ids: list[int]) -> dict[int, str]:
    """The tags of the projects with these ids, as `facets_for_ids` would count them: six queries per 5,000 ids."""
    result: dict[int, str] = {}
    for start in range(0, len(ids), TAG_CHUNK):
        result.update(_facet_tags(ids[start : start + TAG_CHUNK]))
    return result


def _facet_tags(ids: list[int]) -> dict[int, str]:
    tags: dict[int, set[str]] = {}
    columns = ("pk", "visibility", "phase", "sector", "degree", "novelty")
    for pk, visibility, *values in Project.objects.filter(pk__in=ids).order_by().values_list(*columns):
        tags[pk] = {f"{name}={value}" for name, value in zip(HIT_FACETS[:4], values, strict=True) if value}
        # Not a facet: what lets an anonymous search keep to public projects from the index alone (PUBLIC_TAG).
        tags[pk].add(f"visibility={visibility}")
    for name, column in (
        ("innovation_types", "innovationtype_id"),
        ("sdgs", "sustainabledevelopmentgoal_id"),
        ("life_events", "lifeevent_id"),
    ):
        through = getattr(Project, name).through
        for pk, value in through.objects.filter(project_id__in=ids).order_by().values_list("project_id", column):
            if pk in tags:
                tags[pk].add(f"{name}={value}")
    owners: QuerySet[Any] = Project.owners.through.objects.filter(project_id__in=ids).order_by()
    for pk, *values in owners.values_list(
        "project_id",
        "organisation__county__number",
        "organisation__kind",
        "organisation__size_band",
        "organisation__centrality_class",
    ):
        if pk in tags:
            names = ("county", "organisation_kind", "size_band", "centrality")
            tags[pk].update(f"{name}={value}" for name, value in zip(names, values, strict=True) if value)
    adoptions = Adoption.objects.filter(source_project_id__in=ids).order_by().values("source_project_id")
    for pk, number in adoptions.annotate(n=Count("pk")).values_list("source_project_id", "n"):
        if pk in tags:
            tags[pk].add(f"adoptions={number}")
    return {pk: " ".join(sorted(values)) for pk, values in tags.items()}


def facets_from_tags(tags: list[str]) -> HitFacets:
    """Facet counts and spread statistics of the projects with these tags: the same figures `facets_for_ids`
    counts in the database, counted here (each distinct tag is read once)."""
    tokens = Counter(" ".join(tags).split())
    counts: dict[str, dict[Any, int]] = {name: {} for name in HIT_FACETS}
    adoptions = adopted_projects = 0
    for token, number in tokens.items():
        name, _, value = token.partition("=")
        if name == "adoptions":
            adoptions += int(value) * number
            adopted_projects += number
        elif name in counts:
            counts[name][CONVERT.get(name, str)(value)] = number
    novelty = counts["novelty"]
    shares = novelty_shares(
        first_of_its_kind=novelty.get(Novelty.FIRST_OF_ITS_KIND, 0),
        inspired_adapted=novelty.get(Novelty.INSPIRED_ADAPTED, 0),
        copied=novelty.get(Novelty.COPIED, 0),
    )
    projects = len(tags)
    spread = SpreadStatistics(
        projects=projects,
        novelty_unknown=projects - shares.known,
        shares=shares,
        adoptions=adoptions,
        adopted_projects=adopted_projects,
    )
    return HitFacets(counts=counts, spread=spread)


def hit_facets(ids: list[int], tags: dict[int, str | None]) -> HitFacets:
    """Facets of search hits: from their stored tags, or — where a hit has none yet (indexed before tags existed) —
    counted in the database from the ids."""
    stored = [tags.get(pk) for pk in ids]
    if any(text is None for text in stored):
        return facets_for_ids(ids)
    return facets_from_tags([text for text in stored if text is not None])


def phase_stopped_from(project: Project) -> str | None:
    """The phase a stopped project was in when it was stopped (from the timeline)."""
    change = project.phase_changes.filter(to_phase=Phase.STOPPED).order_by("-at", "-pk").first()
    return change.from_phase or None if change else None


def descendant_project_ids(project_id: int) -> set[int]:
    """Ids of every project that adopted ``project_id``, directly or through other adopters (one query)."""
    return {adopting_id for _adoption_id, adopting_id, _depth in adoption_edges(project_id) if adopting_id}


# Facts for the dashboards (M8): the few columns every figure needs, for all projects at once, in a fixed number of
# queries. Labels are the vocabularies' own; the dashboards app reads the library through these functions only.


@dataclass(frozen=True)
class ProjectFact:
    id: int
    public: bool  # visible to everybody; the others count only in their owners' internal figures
    phase: str
    degree: str
    novelty: str
    sector: str
    started: int | None  # year of the start date
    finished: int | None  # year of the end date, once it has passed
    implemented_on: datetime.date | None  # the first day in *implemented*, from the timeline (else the end date)
    owners: tuple[int, ...]
    types: tuple[str, ...]


@dataclass(frozen=True)
class AdoptionFact:
    source_project: int
    adopting_project: int | None
    adopting_organisation: int
    adopted_on: datetime.date
    public: bool  # the source is public, and so is the adopting project when there is one


# Drafts are their authors' own; everything an organisation's members may see counts in its internal figures.
SHARED_VISIBILITIES = ("public", "network", "organisation")


def project_facts(today: datetime.date | None = None) -> list[ProjectFact]:
    """Every project that is not a draft, with its owners and innovation types (four queries)."""
    day = today or timezone.localdate()
    owners: dict[int, list[int]] = {}
    for project_id, organisation_id in Project.owners.through.objects.values_list("project_id", "organisation_id"):
        owners.setdefault(project_id, []).append(organisation_id)
    types: dict[int, list[str]] = {}
    for project_id, code in Project.innovation_types.through.objects.values_list("project_id", "innovationtype_id"):
        types.setdefault(project_id, []).append(code)
    implemented = {
        row["project_id"]: timezone.localdate(row["first"])
        for row in PhaseChange.objects.filter(to_phase=Phase.IMPLEMENTED)
        .values("project_id")
        .annotate(first=Min("at"))
        .order_by()
    }
    facts = []
    for pk, visibility, phase, degree, novelty, sector, start, end in (
        Project.objects.filter(visibility__in=SHARED_VISIBILITIES)
        .order_by()
        .values_list("pk", "visibility", "phase", "degree", "novelty", "sector", "start_date", "end_date")
        .iterator(chunk_size=5000)
    ):
        facts.append(
            ProjectFact(
                id=pk,
                public=visibility == "public",
                phase=phase,
                degree=degree,
                novelty=novelty,
                sector=sector,
                started=start.year if start else None,
                finished=end.year if end and end <= day else None,
                implemented_on=implemented.get(pk) or (end if end and end <= day else None),
                owners=tuple(sorted(owners.get(pk, ()))),
                types=tuple(sorted(types.get(pk, ()))),
            )
        )
    return facts


def adoption_facts() -> list[AdoptionFact]:
    """Every registered adoption (one query); ``public`` says whether it may count in a figure for everybody."""
    rows = Adoption.objects.order_by().values_list(
        "source_project_id",
        "adopting_project_id",
        "adopting_organisation_id",
        "adopted_on",
        "source_project__visibility",
        "adopting_project__visibility",
    )
    return [
        AdoptionFact(
            source_project=source,
            adopting_project=adopting,
            adopting_organisation=organisation,
            adopted_on=on,
            public=source_visibility == "public" and adopting_visibility in (None, "public"),
        )
        for source, adopting, organisation, on, source_visibility, adopting_visibility in rows
    ]


def vocabularies() -> dict[str, list[tuple[str, Any]]]:
    """The library's codes and labels the dashboards name (in their own order)."""
    return {
        "phase": list(Phase.choices),
        "innovation_type": list(InnovationTypeCode.choices),
        "degree": list(Degree.choices),
        "novelty": list(Novelty.choices),
        "sector": list(Sector.choices),
    }
