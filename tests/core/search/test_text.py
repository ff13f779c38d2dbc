"""The pure text functions both backends rely on: tokens, variants, query groups, typo neighbourhoods."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from nyskap.core.search.stopwords import STOP_WORDS
from nyskap.core.search.synonyms import VARIANT_GROUPS
from nyskap.core.search.text import (
    MAX_QUERY_TOKENS,
    MAX_TOKEN_LENGTH,
    edits1,
    fts5_expression,
    index_stems,
    parse_query,
    stem,
    tokenise,
    typo_stems,
)

norwegian_text = st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzæøåÆØÅé 0123456789-.,!?'\"*()_:"))


def damerau_levenshtein(a: str, b: str) -> int:
    """Optimal string alignment distance, written independently of `edits1` as its oracle."""
    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        rows[i][0] = i
    for j in range(len(b) + 1):
        rows[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[len(a)][len(b)]


def test_when_text_has_norwegian_letters_and_punctuation_then_tokens_keep_æøå_and_split_on_the_rest():
    assert tokenise("Øygarden kommune: Bedre «helse-tjenester» for ÆLDRE_innbyggere på Ål!") == [
        "øygarden",
        "kommune",
        "bedre",
        "helse",
        "tjenester",
        "for",
        "ældre",
        "innbyggere",
        "på",
        "ål",
    ]


def test_when_a_letter_is_decomposed_then_it_tokenises_like_the_composed_letter():
    assert tokenise("A\u030asane") == tokenise("Åsane") == ["åsane"]


@given(norwegian_text)
def test_when_any_text_is_tokenised_then_tokens_are_lowercase_letters_or_digits_and_stable(text):
    tokens = tokenise(text)
    assert all(token and len(token) <= MAX_TOKEN_LENGTH and re.fullmatch(r"[^\W_]+", token) for token in tokens)
    assert all(token == token.casefold() for token in tokens)
    assert tokenise(" ".join(tokens)) == tokens


def test_when_text_is_indexed_then_stop_words_go_and_words_are_stemmed():
    assert index_stems("Tjenestene for eldre i kommunen") == "tjenest eldr kommun"


def test_the_variant_list_covers_at_least_forty_groups_of_real_words():
    assert len(VARIANT_GROUPS) >= 40
    forms = [form for group in VARIANT_GROUPS for form in group]
    assert all(tokenise(form) == form.split() for form in forms)
    assert not [form for form in forms if form in STOP_WORDS]


def test_when_a_query_has_a_nynorsk_word_then_its_bokmål_form_is_a_variant():
    [group] = parse_query("skule")
    assert ("skule",) in group.variants
    assert ("skole",) in group.variants


def test_when_a_query_word_is_inflected_then_its_variant_group_is_still_found():
    [group] = parse_query("Tjenestene")
    assert ("teneste",) in group.variants


def test_when_a_query_holds_a_listed_phrase_then_the_phrase_is_one_group_with_the_compound():
    [group] = parse_query("Omsorg for eldre?")
    assert group.variants[0] == ("omsorg", "eldre")
    assert ("eldreomsorg",) in group.variants
    assert not group.fuzzy


def test_when_a_query_has_stop_words_and_repeats_then_they_are_dropped():
    groups = parse_query("hva er kommunen og kommune i Bodø")
    assert [group.source for group in groups] == ["kommunen", "bodø"]


def test_when_a_query_is_only_stop_words_or_punctuation_then_there_is_nothing_to_search():
    assert parse_query("") == []
    assert parse_query("  \t\n ") == []
    assert parse_query("?!.,;«»") == []
    assert parse_query("hva er det og hvordan") == []


def test_when_a_query_is_very_long_then_only_the_first_words_count():
    groups = parse_query(" ".join(f"ord{n}" for n in range(500)))
    assert len(groups) == MAX_QUERY_TOKENS


def test_when_a_query_has_an_er_noun_then_its_other_number_is_a_variant():
    assert parse_query("medisindispenser")[0].variants == (("medisindispenser",), ("medisindispensere",))
    assert parse_query("rådgivere")[0].variants == (("rådgivere",), ("rådgiver",))
    # Short words in -er are mostly other words; they get no plural.
    assert parse_query("tiger")[0].variants == (("tiger",),)


def test_only_longer_words_may_be_typo_corrected():
    assert [group.fuzzy for group in parse_query("skole helse syk 12345")] == [True, True, False, False]


@given(st.text(alphabet="abcdeæøå", min_size=1, max_size=8))
def test_edits1_is_exactly_the_strings_one_edit_away(word):
    neighbours = edits1(word)
    assert word not in neighbours
    assert all(damerau_levenshtein(word, other) == 1 for other in neighbours)
    assert word[1:] in neighbours or (len(word) == 1 and "" in neighbours)


def test_when_a_word_has_one_typo_then_the_correct_stem_is_among_its_neighbours():
    assert stem("barnehagen") in typo_stems("barnehgae")
    assert stem("digitalisering") in typo_stems("digitalisring")
    assert stem("barnehgae") not in typo_stems("barnehgae")
    # The stemmer gives "samskapingsarena" and "samskapingsarenaer" different stems; the neighbour as it stands meets
    # the inflected form's stem in the index.
    assert stem("samskapingsarenaer") == "samskapingsarena" != stem("samskapingsarena")
    assert "samskapingsarena" in typo_stems("samskapningsarena")


@given(norwegian_text)
def test_when_any_query_is_turned_into_an_fts5_expression_then_every_term_is_quoted(query):
    groups = parse_query(query)
    expression = fts5_expression([e for g in groups for e in (g.whole(), g.matching())])
    outside_quotes = re.sub(r'"(?:[^"]|"")*"', "", expression)
    outside_quotes = outside_quotes.replace("{a b} :", "")
    assert set(outside_quotes.replace("AND", "").replace("OR", "")) <= set("() ")
    assert expression.count("(") == expression.count(")")
