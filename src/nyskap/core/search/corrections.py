"""Corrections for a query word that matches nothing and looks misspelt: known words one typo away, or readings
as a compound with one typo in one part, each checked against the library's own vocabulary (`SearchTerm`)."""

from __future__ import annotations

from django.db.models import Min

from . import compounds
from .models import SearchTerm
from .text import MAX_FUZZY_VARIANTS, MAX_FUZZY_WORDS, TermGroup, stem, typo_stems


def typo_corrections(
    groups: list[TermGroup], counts: list[int], database: str
) -> tuple[list[TermGroup], dict[str, list[str]]]:
    """Groups whose word matches nothing and looks misspelt, with known words one typo away added as variants (and
    those words). A word the Norwegian dictionary knows ("gamle") is not misspelt, only absent from the library: it
    is left alone rather than "corrected" into another word ("samle")."""
    fuzzy = [
        group
        for group, count in zip(groups, counts, strict=True)
        if count == 0 and group.fuzzy and not compounds.is_word(group.source)
    ][:MAX_FUZZY_WORDS]
    if not fuzzy:
        return groups, {}
    neighbours = {group.source: typo_stems(group.source) for group in fuzzy}
    wanted = set().union(*neighbours.values())
    known = dict(
        SearchTerm.objects.using(database)
        .filter(stem__in=sorted(wanted))
        .values("stem")
        .annotate(word=Min("word"))
        .values_list("stem", "word")
    )
    corrected, found = [], {}
    for group in groups:
        if group in fuzzy:
            words = [known[s] for s in sorted(neighbours[group.source] & known.keys())][:MAX_FUZZY_VARIANTS]
            if words:
                found[group.source] = words
                group = group.with_variants(words)
        corrected.append(group)
    return corrected, found


def compound_corrections(
    groups: list[TermGroup], counts: list[int], database: str
) -> dict[str, list[tuple[str, str, str]]]:
    """For a word that matched nothing and has no one-typo neighbour in the library, readings as a compound with
    one typo in one part ("riksveiutbyging" → riksvei + utbygging), the misspelt part corrected against the
    library's vocabulary: {typed word: [(left part, right part, the corrected word)]}, at most `MAX_FUZZY_VARIANTS`
    each."""
    wanted: dict[str, list[tuple[str, str, str, bool]]] = {}
    for group, count in zip(groups, counts, strict=True):
        if count == 0 and group.fuzzy and not compounds.is_word(group.source):
            readings = compounds.typo_readings(group.source)
            if readings:
                wanted[group.source] = readings
    if not wanted:
        return {}
    neighbours: dict[str, set[str]] = {}
    for readings in wanted.values():
        for left, _link, right, left_known in readings:
            part = right if left_known else left
            if part not in neighbours:
                neighbours[part] = typo_stems(part) | {stem(part)}
    stems = set().union(*neighbours.values())
    known = dict(
        SearchTerm.objects.using(database)
        .filter(stem__in=sorted(stems))
        .values("stem")
        .annotate(word=Min("word"))
        .values_list("stem", "word")
    )
    found: dict[str, list[tuple[str, str, str]]] = {}
    for source, readings in wanted.items():
        pairs: dict[tuple[str, str], str] = {}
        for left, link, right, left_known in readings:
            part = right if left_known else left
            for corrected in sorted(known[s] for s in neighbours[part] & known.keys()):
                pair = (left, corrected) if left_known else (corrected, right)
                pairs.setdefault(pair, link.join(pair))
        if pairs:
            found[source] = [(left, right, word) for (left, right), word in pairs.items()][:MAX_FUZZY_VARIANTS]
    return found
