"""The results page's mean-interval chart downloads as SVG, PNG and CSV like every other chart (ADR 0003): the
files hold the page's numbers, a dimension the page hides stays hidden in every file, and only those who may see
the page get them."""

from __future__ import annotations

import csv
import html
import io
import re
import struct

import pytest
from defusedxml import ElementTree

from .factories import answer_all, close, culture_round

pytestmark = pytest.mark.django_db

SLUG = "mean-per-dimension-with-95-confidence-interval-1-strongly-disagree-5-strongly-agree"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def trust_hidden(innovator, home_municipality):
    """Five respondents (threshold 5); one says "don't know" to every trust item, so trust has 4 and is hidden."""
    round = culture_round(actor=innovator, organisation=home_municipality)
    trust = {f"trust-{i}": "dk" for i in range(1, 5)}
    for index, value in enumerate([4, 4, 5, 3, 2]):
        answer_all(round, value, overrides=trust if index == 0 else None)
    return close(round)


def _page_table(page: str) -> dict[str, tuple[str, str, str] | None]:
    """Per dimension in the page's results table: (mean, low, high) as shown, or None when hidden."""
    table = page[re.search(r"<caption[^>]*>Results per dimension</caption>", page).start() :]  # type: ignore[union-attr]
    table = table[: table.index("</table>")]
    rows: dict[str, tuple[str, str, str] | None] = {}
    for name, cells in re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', table, re.S):
        shown = re.search(r'<td class="num">([\d.]+) \(([\d.]+)–([\d.]+)\)</td>', cells)
        rows[html.unescape(name)] = shown.groups() if shown else None
    return rows


def _links(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="(\?diagram=' + SLUG + r'&amp;format=\w+)"', page)]


def test_when_a_leader_downloads_the_interval_chart_then_the_files_hold_the_page_numbers_and_hide_what_it_hides(
    as_leader, trust_hidden
):
    as_leader.cookies["django_language"] = "en"
    url = f"/kultur/resultater/{trust_hidden.pk}/"
    page = as_leader.get(url).content.decode()
    table = _page_table(page)
    assert len(table) == 7
    hidden = [name for name, figures in table.items() if figures is None]
    assert len(hidden) == 1
    links = _links(page)
    assert [re.search(r"format=(\w+)", link).group(1) for link in links] == ["svg", "png", "csv"]

    csv_file = as_leader.get(url + links[2])
    assert csv_file.status_code == 200
    assert csv_file["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_file["Content-Disposition"] == f'attachment; filename="{SLUG}.csv"'
    rows = list(csv.reader(io.StringIO(csv_file.content.decode("utf-8").removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == ["Dimension", "Mean", "Lower limit (95 % CI)", "Upper limit (95 % CI)", "Shown as"]
    assert len(rows) == 8
    for name, mean, low, high, shown_as in rows[1:]:
        if table[name] is None:
            assert (mean, low, high, shown_as) == ("", "", "", "Fewer than 5 answers")
        else:
            assert (mean, low, high) == table[name]
            assert shown_as == mean
    assert any(row[1] == "3.60" for row in rows[1:])  # (4 + 4 + 5 + 3 + 2) / 5 for every shown dimension

    svg_file = as_leader.get(url + links[0])
    assert svg_file["Content-Type"] == "image/svg+xml; charset=utf-8"
    svg = ElementTree.fromstring(svg_file.content)
    assert svg.find(f"{SVG}title").text.startswith("Mean per dimension with 95 % confidence interval")
    assert len(svg.findall(f".//{SVG}circle")) == 6  # a mark per shown dimension, none for the hidden one
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "Fewer than 5 answers" in texts
    assert texts.count("3.60") == 6

    png_file = as_leader.get(url + links[1])
    assert png_file["Content-Type"] == "image/png"
    assert png_file.content.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png_file.content[16:24])
    assert (width, height) == (2 * 680, 2 * (24 + 7 * 32 + 8 + 32))


@pytest.mark.parametrize("client_name", ["as_outsider", "as_innovator", "client"])
def test_when_someone_who_may_not_see_the_results_asks_for_the_chart_then_there_is_no_file(
    request, client_name, trust_hidden
):
    client = request.getfixturevalue(client_name)
    response = client.get(f"/kultur/resultater/{trust_hidden.pk}/?diagram={SLUG}&format=csv")
    assert response.status_code in (302, 404)
    assert response.get("Content-Type", "").startswith("text/csv") is False
