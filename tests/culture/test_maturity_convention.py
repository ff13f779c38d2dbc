"""The maturity-level cut-offs are Nyskap's own convention: the methods page marks them [U] and gives the
reasoning, in every language."""

from __future__ import annotations

import re

import pytest

from nyskap.culture.calculations import LEVEL_LIMITS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "tag", "reasoning"),
    [
        ("nb", "[U] Nyskaps egen konvensjon", "Grensene 2,5, 3,25 og 4 er Nyskaps egen konvensjon."),
        ("nn", "[U] Nyskap sin eigen konvensjon", "Grensene 2,5, 3,25 og 4 er Nyskap sin eigen konvensjon."),
        ("en", "[U] Nyskap's own convention", "The cut-offs 2.5, 3.25 and 4 are Nyskap's own convention,"),
    ],
)
def test_when_the_methods_page_is_opened_then_the_cut_offs_are_marked_u_with_the_reasoning(
    client, language, tag, reasoning
):
    client.cookies["django_language"] = language
    html = client.get("/kultur/metode/").content.decode().replace("&#x27;", "'")
    heading = re.search(r'id="maturity-cut-offs-uncertain">([^<]*)<', html).group(1)
    assert heading == tag
    paragraph = re.search(r'id="maturity-cut-offs-reasoning">([^<]*)<', html).group(1)
    assert paragraph.startswith(reasoning)
    assert LEVEL_LIMITS == (2.5, 3.25, 4.0)  # the page states these numbers
