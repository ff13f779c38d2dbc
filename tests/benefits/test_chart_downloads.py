"""Every chart is downloadable as SVG, PNG and CSV from the page it is on, with the page's own access checks."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest

from nyskap.benefits import services

pytestmark = pytest.mark.django_db


def _links(page: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for href in re.findall(r'href="(\?[^"]*diagram=[^"]*)"', page):
        href = html.unescape(href)
        slug = re.search(r"diagram=([^&]+)", href).group(1)
        found.setdefault(slug, []).append(href)
    return found


def test_when_the_portfolio_is_shown_then_each_chart_downloads_as_svg_png_and_csv(client, public_plan):
    client.cookies["django_language"] = "en"
    page = client.get("/gevinster/").content.decode()
    links = _links(page)
    assert len(links) >= 1
    for slug, hrefs in links.items():
        assert [re.search(r"format=(\w+)", h).group(1) for h in hrefs] == ["svg", "png", "csv"], slug
    slug, hrefs = "planned-benefits-by-bearer-nok", links["planned-benefits-by-bearer-nok"]
    svg = client.get("/gevinster/" + hrefs[0])
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert svg["Content-Disposition"] == f'attachment; filename="{slug}.svg"'
    assert svg.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')
    assert b'fill="#1e5aa0"' in svg.content  # colours written in, so it looks the same outside the page
    png = client.get("/gevinster/" + hrefs[1])
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    table = client.get("/gevinster/" + hrefs[2])
    assert table["Content-Type"] == "text/csv; charset=utf-8"
    text = table.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows == [["Planned benefits by bearer (NOK)", "Value"], ["Own organisation", "1200000"]]


def test_when_an_unknown_chart_is_asked_for_then_it_is_not_found(client, public_plan):
    assert client.get("/gevinster/?diagram=finnes-ikke&format=svg").status_code == 404
    assert client.get("/gevinster/?diagram=x&format=exe").status_code == 404


def test_when_the_page_is_hidden_then_its_charts_are_too(client, plan, innovator):
    services.plan_submit(plan=plan, actor=innovator)
    response = client.get(f"/gevinster/prosjekt/{plan.project.slug}/?diagram=x&format=csv")
    assert response.status_code == 404
