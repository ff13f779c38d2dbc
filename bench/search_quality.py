"""Search quality on the white-paper projects, scored with recall@5 and mean reciprocal rank (MRR).

Two sets:
- `bench/search_judged.json`: the judged set, written as users type — full sentences and questions, nynorsk, typos
  and inflections, compounds, short keywords — from the needs a civil servant has, not from the titles, before any
  ranking was looked at. Each query lists the projects that must be in the top 5. About a third is marked
  `"split": "test"`: those are kept aside and run only to report the final figures, never while tuning.
- `TITLE_QUERIES` below: the first, smaller set written from the titles and needs, kept as a regression check.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

JUDGED_FILE = Path(__file__).resolve().parent / "search_judged.json"
GROUPS = ("sentence", "nynorsk", "typo", "compound", "keyword")


def judged(split: str | None = None) -> list[dict[str, object]]:
    """The judged queries (`split` "dev" or "test" for one part, None for all)."""
    rows = json.loads(JUDGED_FILE.read_text(encoding="utf-8"))
    return [row for row in rows if split is None or row["split"] == split]


# (query, what kind of query, relevant project slugs)
TITLE_QUERIES: list[tuple[str, str, tuple[str, ...]]] = [
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


def _summary(rows: list[dict[str, object]]) -> dict[str, object]:
    n = len(rows)
    if not n:
        return {"queries": 0}
    return {
        "queries": n,
        "recall_at_5": round(sum(float(r["recall_at_5"]) for r in rows) / n, 3),  # type: ignore[arg-type]
        "mrr": round(sum(float(r["reciprocal_rank"]) for r in rows) / n, 3),  # type: ignore[arg-type]
        "zero_results": sum(1 for r in rows if not r["hits"]),
    }


def score(
    search: Callable[[str], list[str]], queries: Sequence[tuple[str, Sequence[str], Sequence[str]]], k: int = 5
) -> dict[str, object]:
    """Run each (query, groups, relevant slugs) through `search` (query → ranked slugs); overall and per group."""
    rows: list[dict[str, object]] = []
    for query, groups, relevant in queries:
        ranked = search(query)
        rows.append(
            {
                "query": query,
                "groups": list(groups),
                "relevant": list(relevant),
                "recall_at_5": round(recall_at(ranked, relevant, k), 3),
                "reciprocal_rank": round(reciprocal_rank(ranked, relevant), 3),
                "hits": len(ranked),
                "top": ranked[:k],
            }
        )
    names = sorted({group for row in rows for group in row["groups"]})  # type: ignore[attr-defined]
    return {
        **_summary(rows),
        "by_group": {name: _summary([r for r in rows if name in r["groups"]]) for name in names},  # type: ignore[operator]
        "rows": rows,
    }


def evaluate(search: Callable[[str], list[str]], split: str | None = "dev", k: int = 5) -> dict[str, object]:
    """The judged set (one split, or all) through `search`."""
    return score(search, [(r["query"], r["groups"], r["relevant"]) for r in judged(split)], k)  # type: ignore[misc]


def evaluate_titles(search: Callable[[str], list[str]], k: int = 5) -> dict[str, object]:
    """The title-words regression set through `search`."""
    return score(search, [(query, [kind], relevant) for query, kind, relevant in TITLE_QUERIES], k)


def judge_splits(
    search: Callable[[str], list[str]],
    judged_file: Path,
    out: Path,
    database: str,
    targets: tuple[float, float] = (0.9, 0.75),
) -> int:
    """Score a judged file's dev and test splits with `search`, write the report to `out`, print each split's
    figures and misses; 0 when every split and group reaches the recall@5 and MRR targets, else 1."""
    target_recall, target_mrr = targets
    rows = json.loads(judged_file.read_text(encoding="utf-8"))
    report: dict[str, object] = {"database": database, "queries": len(rows)}
    ok = True
    for split in ("dev", "test"):
        chosen = [(r["query"], r["groups"], r["relevant"]) for r in rows if r["split"] == split]
        result = score(search, chosen)
        report[split] = result
        figures = [result, *result["by_group"].values()]  # type: ignore[attr-defined]
        ok = ok and all(f["recall_at_5"] >= target_recall and f["mrr"] >= target_mrr for f in figures)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    for split in ("dev", "test"):
        part = report[split]
        groups = {name: (g["recall_at_5"], g["mrr"]) for name, g in part["by_group"].items()}  # type: ignore[attr-defined]
        print(split, "recall@5", part["recall_at_5"], "MRR", part["mrr"], groups)  # type: ignore[index]
        for row in part["rows"]:  # type: ignore[index]
            if row["recall_at_5"] < 1:
                print("   missed:", row["query"], "->", row["top"], "want", row["relevant"])
    return 0 if ok else 1
