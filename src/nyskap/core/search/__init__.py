"""Norwegian full-text search: one interface, PostgreSQL and SQLite behind it.

Use:
    index_object(project, title=…, a_texts=[need], b_texts=[description, lessons, effects])
    remove_object(project)
    filter_queryset(Project.objects.visible_to(user), "omsorg for eldre")   # ranked QuerySet
    search(Project, "skule") / search_ids(…)                                 # ranked hits

What it does, identically on both databases (the same test cases run on each):
- Snowball Norwegian stemming ("kommune" finds "kommunen"; PostgreSQL's `norwegian` configuration and PyStemmer
  run the same algorithm and drop the same stop words);
- bokmål/nynorsk variants and everyday synonyms from a data file (`data/synonyms.txt`: "skule" finds "skole",
  "eldreomsorg" finds "omsorg for eldre"); question and function words never decide recall
  (`data/query_stopwords.txt`);
- compounds split with the Norwegian Hunspell lexicon (`compounds.py`): "velferd" finds "Velferdspiloten" and
  "vannledning" finds "vann" and "ledningsnett", ranked below whole-word matches;
- all-words matches first, completed with some-words matches ranked by how many and how rare their words are;
- one typo in a word of five or more letters, when the word as typed matches nothing ("barnehgae"), with a
  "did you mean" suggestion; also in one part of a compound ("avfallshåndtring" → avfall + håndtering);
- title and need (A) ranked above description, lessons and effects (B) and compound parts (C);
- lookups capped at `candidates` matches, so broad queries cost bounded work (see `selectors.py`).

Design choices and why:
- A separate index table (`SearchDocument`) rather than columns on each domain model: search stays model-agnostic,
  and every domain app indexes through the same two functions.
- Typo tolerance uses a vocabulary table (`SearchTerm`) and the exact one-edit neighbourhood of the query word, not
  pg_trgm similarity. Trigram similarity does not coincide with "one typo" (a transposition in a five-letter word
  shares only 2 of 10 trigrams), so PostgreSQL and SQLite would disagree on which typos are forgiven; the
  neighbourhood lookup is exact, uses a plain B-tree index and runs unchanged on both.
- Query words are tokenised in Python for both backends, and PostgreSQL is fed pre-tokenised text, so the two
  databases see the same words; only stemming happens in the database on PostgreSQL, so that the stored `tsvector`
  is a real `norwegian` vector other SQL can use.
"""

from .selectors import (
    ALL,
    DEFAULT_CANDIDATES,
    SOME,
    RankedObjects,
    SearchHit,
    SearchResult,
    filter_queryset,
    run_search,
    search,
    search_ids,
)
from .services import index_many, index_object, remove_object, remove_objects

__all__ = [
    "ALL",
    "DEFAULT_CANDIDATES",
    "SOME",
    "RankedObjects",
    "SearchHit",
    "SearchResult",
    "filter_queryset",
    "index_many",
    "index_object",
    "remove_object",
    "remove_objects",
    "run_search",
    "search",
    "search_ids",
]
