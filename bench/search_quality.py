"""Search quality on the white-paper projects: a judged set of Norwegian queries (bokmål, nynorsk, typos, synonyms)
with the projects a reader would expect, scored with recall@5 and mean reciprocal rank (MRR).

The judgments were written from the project titles and needs, before looking at any ranking.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

# (query, what kind of query, relevant project slugs)
JUDGED: list[tuple[str, str, tuple[str, ...]]] = [
    ("skattemelding", "bokmål", ("skattemeldingen",)),
    ("skattemeldinga", "nynorsk", ("skattemeldingen",)),
    ("skattemeldnig", "typo", ("skattemeldingen",)),
    ("utsatte barn og unge", "bokmål", ("oygarden-utsatte-barn",)),
    ("videokonsultasjon", "bokmål", ("videokonsultasjon-fastlege",)),
    ("videokonsultajson fastlege", "typo", ("videokonsultasjon-fastlege",)),
    ("medisindispenser", "bokmål", ("medisindispensere-57-kommuner",)),
    ("felles anskaffelse", "bokmål", ("medisindispensere-57-kommuner",)),
    ("kompensasjonsordning", "bokmål", ("kompensasjonsordningen",)),
    ("tillitsmodell", "bokmål", ("tillitsmodellen-oslo",)),
    ("heimetenesta", "nynorsk", ("tillitsmodellen-oslo",)),
    ("5G Kongsberg", "bokmål", ("5g-pilot-kongsberg",)),
    ("digitale sosialtenester", "nynorsk", ("digisos",)),
    ("syntetiske testdata", "bokmål", ("syntetiske-testdata-tenor",)),
    ("helseattest førerrett", "bokmål", ("digital-forerett",)),
    ("programmering skule", "nynorsk", ("ulsteinmodellen",)),
    ("klart språk", "bokmål", ("klart-sprak-omsorgsboliger-skedsmo",)),
    ("barnetråkk", "bokmål", ("barnetrakk",)),
    ("Minecraft", "bokmål", ("minecraft-sentrumsplan-stavanger",)),
    ("velferdslab", "bokmål", ("asker-velferdslab", "velferdspiloten-oslo-viken")),
    ("aktivitetsrobot sjukeheim", "nynorsk", ("aktivitetsrobot-stavanger",)),
    ("elektrisk ferje", "bokmål", ("elferge-ampere",)),
    ("utsleppsfrie hurtigbåtar", "nynorsk", ("utslippsfrie-hurtigbater-trondelag",)),
    ("effektkontrakt", "bokmål", ("effektkontrakt-lier",)),
    ("effektkontrackt", "typo", ("effektkontrakt-lier",)),
    ("utslippsfri byggeplass", "bokmål", ("utslippsfrie-byggeplasser",)),
    ("gjenbruk av byggematerialer", "bokmål", ("cityloops-bodo",)),
    ("frikommune", "bokmål", ("frikommune-grimstad",)),
    ("vanninfrastruktur", "bokmål", ("nasjonalt-senter-vanninfrastruktur",)),
    ("neste praksis", "bokmål", ("baerum-neste-praksis",)),
    ("helsefellesskap", "bokmål", ("helsefellesskap",)),
    ("regulatorisk sandkasse", "bokmål", ("regulatorisk-sandkasse-fintek",)),
    ("førstegangsveljarar", "nynorsk", ("telefon-til-forstegangsvelgere",)),
    ("Nye Veier", "bokmål", ("nye-veier",)),
]


def recall_at(ranked: Sequence[str], relevant: Sequence[str], k: int = 5) -> float:
    """Share of the relevant items that appear among the first `k` results."""
    if not relevant:
        raise ValueError("a judged query needs at least one relevant item")
    return len(set(ranked[:k]) & set(relevant)) / len(set(relevant))


def reciprocal_rank(ranked: Sequence[str], relevant: Sequence[str]) -> float:
    """1 / the rank of the first relevant result; 0 when none is returned."""
    for position, item in enumerate(ranked, start=1):
        if item in relevant:
            return 1.0 / position
    return 0.0


def evaluate(search: Callable[[str], list[str]], k: int = 5) -> dict[str, object]:
    """Run every judged query through `search` (query → ranked slugs) and score it."""
    rows = []
    for query, kind, relevant in JUDGED:
        ranked = search(query)
        rows.append(
            {
                "query": query,
                "kind": kind,
                "recall_at_5": round(recall_at(ranked, relevant, k), 3),
                "reciprocal_rank": round(reciprocal_rank(ranked, relevant), 3),
                "top": ranked[:k],
            }
        )
    n = len(rows)
    by_kind: dict[str, dict[str, float]] = {}
    for kind in sorted({row["kind"] for row in rows}):
        chosen = [row for row in rows if row["kind"] == kind]
        by_kind[kind] = {
            "queries": len(chosen),
            "recall_at_5": round(sum(r["recall_at_5"] for r in chosen) / len(chosen), 3),
            "mrr": round(sum(r["reciprocal_rank"] for r in chosen) / len(chosen), 3),
        }
    return {
        "queries": n,
        "recall_at_5": round(sum(r["recall_at_5"] for r in rows) / n, 3),
        "mrr": round(sum(r["reciprocal_rank"] for r in rows) / n, 3),
        "by_kind": by_kind,
        "rows": rows,
    }
