"""The dashboard pages, charts, exports and API as visitors meet them: the public figures for everybody, an
organisation's internal figures for its members only (refused to an outsider, on every way out), lenses compared
side by side, and bad input refused without an error."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from nyskap.api.models import ApiToken
from tests.dashboards.factories import two_municipalities


@pytest.fixture
def figures(innovator, outsider, home_municipality, other_municipality):
    two_municipalities(innovator, outsider, home_municipality, other_municipality)


def _key_figure(response, name: str) -> list[str]:
    """The cells of the key-figures row named ``name``."""
    html = response.content.decode()
    start = html.index(f">{name}</a></th>")
    row = html[start : html.index("</tr>", start)]
    return [cell.split(">", 1)[1].split("<", 1)[0] for cell in row.split('<td class="num"')[1:]]


def test_the_country_is_the_front_page_and_linked_from_the_menu(client, figures):
    response = client.get("/dashbord/")
    assert response.status_code == 200
    assert _key_figure(response, "Prosjekter") == ["2"]
    assert 'href="/dashbord/"' in client.get("/").content.decode()
    # The charts and the spreadsheet of the front page are the country lens's own.
    assert 'src="/dashbord/land/NO/diagram/by_phase.svg"' in response.content.decode()
    assert client.get("/dashbord/land/NO/diagram/by_phase.svg").status_code == 200


def test_a_county_beside_another_and_the_country(client, figures):
    response = client.get("/dashbord/fylke/46/?sammenlign=18")
    assert response.status_code == 200
    assert _key_figure(response, "Prosjekter") == ["1", "1", "2"]
    assert "Vestland sammenlignet med Nordland og hele landet" in response.content.decode()


def test_an_unknown_comparison_names_the_field(client, figures):
    response = client.get("/dashbord/fylke/46/?sammenlign=99")
    assert response.status_code == 400
    assert "Sammenlign med" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/dashbord/fylke/99/",
        "/dashbord/ukjent/46/",
        "/dashbord/fylke/%00/",
        "/dashbord/organisasjon/" + "9" * 5000 + "/",
        "/dashbord/fylke/46/diagram/ukjent.svg",
        "/dashbord/fylke/46/diagram/by_phase.exe",
        "/api/v1/dashboards/county/99",
    ],
)
def test_no_such_lens_or_chart_is_404(client, figures, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "query", ["?lens=", "?lens=county&key=99", "?lens=organisation&organisasjon=", "?lens=x", "?lens=county&key=%00"]
)
def test_a_refused_choice_is_400_with_the_field_named(client, figures, query):
    response = client.get("/dashbord/velg/" + query)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_the_choice_page_itself_is_the_organisation_search_without_an_error(client, figures):
    response = client.get("/dashbord/velg/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="alert"' not in body
    assert 'name="organisasjon"' in body


def test_choosing_goes_to_the_lens(client, figures, home_municipality):
    assert client.get("/dashbord/velg/?lens=county&key=46")["Location"] == "/dashbord/fylke/46/"
    response = client.get("/dashbord/velg/?lens=organisation&organisasjon=Øygarden")
    assert response["Location"] == f"/dashbord/organisasjon/{home_municipality.organisation_number}/"


def test_internal_figures_for_members_only(client, as_innovator, as_outsider, figures, home_municipality):
    path = f"/dashbord/organisasjon/{home_municipality.organisation_number}/"
    assert _key_figure(as_innovator.get(path), "Prosjekter") == ["2", "2"]
    assert _key_figure(as_outsider.get(path), "Prosjekter") == ["1", "2"]
    assert _key_figure(client.get(path), "Prosjekter") == ["1", "2"]
    # The chart data and the spreadsheet follow the same rule.
    assert _csv(as_innovator.get(path + "diagram/by_phase.csv"))[1] == ["Behov", "2"]
    assert _csv(as_outsider.get(path + "diagram/by_phase.csv"))[1] == ["Behov", "1"]
    assert _xlsx_projects(as_outsider.get(path + "eksport.xlsx")) == "1"
    assert _xlsx_projects(as_innovator.get(path + "eksport.xlsx")) == "2"
    response = as_innovator.get(path + "diagram/by_phase.svg")
    assert response["Cache-Control"].startswith("private")


def test_the_api_applies_the_same_rule(client, innovator, outsider, figures, home_municipality):
    path = f"/api/v1/dashboards/organisation/{home_municipality.organisation_number}"
    _token, member = ApiToken.issue(user=innovator, name="dashbord")
    _token, other = ApiToken.issue(user=outsider, name="dashbord")
    assert client.get(path).json()["projects_total"] == 1
    assert client.get(path, HTTP_AUTHORIZATION=f"Bearer {other}").json()["projects_total"] == 1
    mine = client.get(path, HTTP_AUTHORIZATION=f"Bearer {member}").json()
    assert (mine["projects_total"], mine["audience"]) == (2, "internal")


def test_the_api_country(client, figures):
    body = client.get("/api/v1/dashboards/country/NO").json()
    assert body["projects_total"] == 2
    assert body["participation"] == [
        {
            "size_band": "xl",
            "municipalities": 1,
            "active": 1,
            "share": 1.0,
            "share_of_all": 0.5,
            "share_of_active": 0.5,
        },
        {
            "size_band": "xxl",
            "municipalities": 1,
            "active": 1,
            "share": 1.0,
            "share_of_all": 0.5,
            "share_of_active": 0.5,
        },
    ]
    assert client.get("/api/v1/dashboards/size_band/xl").json()["projects_total"] == 1
    assert client.get("/api/v1/dashboards/sector/health_care").json()["projects_total"] == 1
    assert client.get("/api/v1/dashboards/nowhere/NO").status_code == 422


def test_charts_as_svg_png_and_csv(client, figures):
    svg = client.get("/dashbord/land/NO/diagram/by_phase.svg")
    assert svg["Content-Type"].startswith("image/svg+xml")
    assert svg.content.startswith(b"<svg") and b"<script" not in svg.content and b"style=" not in svg.content
    narrow = client.get("/dashbord/land/NO/diagram/by_phase.svg?smal=1")
    assert b'width="' in narrow.content and narrow.content != svg.content
    png = client.get("/dashbord/land/NO/diagram/by_phase.png")
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    assert "attachment" in png["Content-Disposition"]
    rows = _csv(client.get("/dashbord/land/NO/diagram/by_phase.csv"))
    assert rows[0] == ["Prosjekter etter fase", "Antall"]
    assert rows[1] == ["Behov", "2"]
    # Comma on request, for a spreadsheet set to another region: still a BOM and every field quoted.
    comma = client.get("/dashbord/land/NO/diagram/by_phase.csv?sep=comma").content.decode("utf-8")
    assert comma == '\ufeff"Prosjekter etter fase","Antall"\r\n' + comma.split("\r\n", 1)[1]
    assert list(csv.reader(io.StringIO(comma.removeprefix("\ufeff")), delimiter=","))[1] == ["Behov", "2"]


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _xlsx_projects(response) -> str:
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    return next(str(row[1]) for row in rows if row[0] == "Prosjekter")


BAD_TEXTS = {
    "nul": "a\x00b",
    "control": "a\x01b\x0bc",
    "lone_surrogate": "%ED%A0%80",
    "rtl_override": "\u202eevil",
    "huge": "9" * 5000,
    "wrong_type": "[]",
}


@pytest.mark.parametrize("name", sorted(BAD_TEXTS))
def test_bad_input_in_every_dashboard_route_is_refused_without_a_server_error(client, figures, name):
    from urllib.parse import quote

    raw = BAD_TEXTS[name]
    text = raw if raw.startswith("%") else quote(raw, safe="")
    paths = {
        f"/dashbord/fylke/{text}/": 404,
        f"/dashbord/{text}/46/": 404,
        f"/dashbord/organisasjon/{text}/": 404,
        f"/dashbord/fylke/46/diagram/{text}.svg": 404,
        f"/dashbord/fylke/{text}/eksport.xlsx": 404,
        f"/api/v1/dashboards/county/{text}": "key",
        f"/api/v1/dashboards/{text}/46": "lens",
        f"/dashbord/velg/?lens=county&key={text}": 400,
        f"/dashbord/velg/?lens={text}": 400,
        f"/dashbord/fylke/46/?sammenlign={text}": 400,
        f"/dashbord/organisasjon/{text[:20]}x/?sammenlign={text}": 404,
    }
    for path, status in paths.items():
        response = client.get(path)
        if isinstance(status, str):  # the API: no such lens (404), or a value it refuses, naming the field (422)
            assert response.status_code in (404, 422), (path[:80], response.status_code)
            if response.status_code == 422:
                assert status in response.content.decode(), response.content[:300]
            continue
        assert response.status_code == status, (path[:80], response.status_code)
    # The organisation search takes any text and answers with a page: no match, or the matches.
    response = client.get(f"/dashbord/velg/?lens=organisation&organisasjon={text}")
    assert response.status_code in (200, 400), response.status_code
    if response.status_code == 400:
        assert "Organisasjonsnummer eller navn" in response.content.decode()
    # A chart's options: anything but the documented values is the plain chart.
    assert client.get(f"/dashbord/fylke/46/diagram/by_phase.csv?smal={text}&last_ned={text}").status_code == 200


def test_an_organisations_page_links_its_dashboard(client, figures, home_municipality):
    page = client.get(home_municipality.get_absolute_url()).content.decode()
    link = f'href="/dashbord/organisasjon/{home_municipality.organisation_number}/"'
    assert link in page
    response = client.get(f"/dashbord/organisasjon/{home_municipality.organisation_number}/")
    assert response.status_code == 200
    assert home_municipality.name in response.content.decode()
