"""The survey and statistics exporters write whatever is stored: text holding control characters (legacy rows from
before input refused them), right-to-left overrides, text that begins like a formula, emoji outside the BMP, the
non-characters U+FFFE and U+FFFF and long strings, written straight into the database (as an operator import or old
data might, past every form), comes back from the real view with the right role in a file that parses, with formula-
leading cells neutralised, never a 500. NUL only on SQLite (PostgreSQL cannot store it); a lone surrogate cannot be
stored in either database (the driver refuses to encode it), so no export meets one.

What each file does with a character class (the shared writers in `nyskap.core.spreadsheets` and `nyskap.core.charts`):
CSV keeps the text and puts an apostrophe before every `;`/`,`-separated segment that begins like a formula; XLSX
escapes the characters XML cannot hold the OOXML way (`_x0001_`) and puts an apostrophe before a cell that begins
like a formula; SVG (and the PNG drawn from it) leaves out the characters XML cannot hold; JSON keeps the text.

`EXPORTERS` (at the end) lists every export of the project (its URL name, or the chart downloads a page offers
through `?diagram=`) with the test that sends it stored text; `test_every_export_route_is_listed` fails for an
export route that is not in the list, so a new exporter gets a test here (or in test_exporters_stored_text.py).
The other pages' chart downloads (projects, benefits and instruments portfolios, trials statistics, barometer
results and trends) draw with the same `nyskap.core.charts` template tag as the procurement statistics, whose
buyers' names are stored text; `test_every_chart_download_writer_is_listed` fails for a new chart writer."""

from __future__ import annotations

import csv
import datetime
import html
import io
import json
import re
from typing import Any

import pytest
import time_machine
from defusedxml import ElementTree
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from tests.core import test_exporters_stored_text as first_module
from tests.helpers import file_via_job

pytestmark = pytest.mark.django_db

TEXTS = {
    "control": "Kontroll\x01\x0b\x1f\x7fslutt",
    "rtl": "Navn \u202eevil\u202c slutt",
    "formula": "=1+1;@SUM(1+1)",
    "emoji": "Emoji \U0001f600 \U0001d518 \U0001f1f3\U0001f1f4 slutt",
    "nonchar": "Ikke\ufffetegn\uffffslutt",
    "long": "L" + "å" * 20000,
}
# The same text as each kind of file gives it back (where it differs from what is stored).
IN_CSV = {"formula": "'=1+1;'@SUM(1+1)"}
IN_XLSX = {
    "control": "Kontroll_x0001__x000B__x001F_\x7fslutt",
    "formula": "'=1+1;@SUM(1+1)",
    "nonchar": "Ikke_xFFFE_tegn_xFFFF_slutt",
    "nul": "Nul_x0000_slutt",
}
IN_SVG = {"control": "Kontroll\x7fslutt", "nonchar": "Ikketegnslutt", "nul": "Nulslutt"}

# Routes that look like exports but write no stored text: the import templates (fixed headers) and the schema.
NO_STORED_TEXT = {"project_transfer:template_csv", "project_transfer:template_xlsx", "api-v1:openapi-json"}
# Export routes found by their address (a file name extension, or "eksport"/"export" in it) or by their view.
EXPORT_PATH = re.compile(r"(\.(csv|xlsx|json|pdf|svg|png|<slug:fmt>)$|eksport|export|diagram)", re.IGNORECASE)


def stored_texts() -> dict[str, str]:
    texts = dict(TEXTS)
    if connection.vendor == "sqlite":
        texts["nul"] = "Nul\x00slutt"
    return texts


def one_at_a_time() -> dict[str, str]:
    """The classes for a field that is written again for each (a request per class): those the writers change one by
    one, and the ones every writer keeps as they are together in one text, to keep the tests quick."""
    texts = stored_texts()
    texts["kept"] = " ".join(texts.pop(key) for key in ("rtl", "emoji", "long"))
    return texts


def as_csv(key: str, text: str) -> str:
    return IN_CSV.get(key, text)


def as_xlsx(key: str, text: str) -> str:
    return IN_XLSX.get(key, text)


def as_svg(key: str, text: str) -> str:
    """``text`` (which holds the class's stored text, or the start of it) as an SVG file writes it."""
    return text.replace(TEXTS.get(key, "Nul\x00slutt"), IN_SVG[key]) if key in IN_SVG else text


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_both(client, url: str) -> list[list[list[str]]]:
    """The CSV at ``url`` as rows, read with ``;`` (the default) and with ``,`` (``sep=comma``): both must parse and
    hold the same cells."""
    tables = []
    for separator, extra in ((";", ""), (",", ("&" if "?" in url else "?") + "sep=comma")):
        response = client.get(url + extra)
        assert response.status_code == 200, (url, extra)
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        text = _body(response).decode("utf-8")
        assert text.startswith("\ufeff")
        tables.append(list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=separator, strict=True)))
    assert tables[0] == tables[1]
    return tables


def cells_of_csv(client, url: str) -> list[str]:
    return [cell for row in csv_both(client, url)[0] for cell in row]


def _trimmed(row: tuple[Any, ...]) -> list[Any]:
    cells = list(row)
    while cells and cells[-1] is None:  # openpyxl pads a row to the sheet's width
        cells.pop()
    return cells


def workbook_cells(content: bytes) -> dict[str, list[list[Any]]]:
    """Every sheet's rows, read back with openpyxl (so the file must parse)."""
    workbook = load_workbook(io.BytesIO(content))
    return {sheet.title: [_trimmed(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets}


def xlsx_cells(response) -> list[Any]:
    assert response.status_code == 200
    return [cell for rows in workbook_cells(_body(response)).values() for row in rows for cell in row]


def svg_texts(response) -> list[str]:
    """The text of every element of an SVG download, which must parse as XML."""
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    root = ElementTree.fromstring(_body(response))
    return ["".join(element.itertext()) for element in root.iter() if element.text]


def assert_png(response) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert _body(response).startswith(b"\x89PNG\r\n\x1a\n") and len(_body(response)) > 100


def assert_pdf(response) -> None:
    assert response.status_code == 200
    content = _body(response)
    assert content.startswith(b"%PDF") and len(content) > 1000


def chart_links(page: str) -> list[str]:
    return sorted({html.unescape(link) for link in re.findall(r'href="(\?diagram=[^"&]+&amp;format=svg)"', page)})


# The list of exporters


def _routes() -> tuple[set[str], set[str]]:
    """(the names of the routes that look like exports, the names of every route)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: set[str] = set()
    names: set[str] = set()

    def walk(patterns: list, namespace: str | None, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                full = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
                walk(pattern.url_patterns, full, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                names.add(name)
                if EXPORT_PATH.search(prefix + str(pattern.pattern)):
                    found.add(name)

    walk(get_resolver().url_patterns, None, "")
    return found, names


def test_every_export_route_is_listed():
    exports, names = _routes()
    listed = [route for _test, routes in EXPORTERS for route in routes]
    assert len(listed) == len(set(listed))
    assert exports - set(listed) - NO_STORED_TEXT == set()
    assert {route.split(" ")[0] for route in listed} <= names  # the API's JSON of figures is listed by its name


CHART_WRITERS = {  # the modules that hand a chart to the downloads (`download_links`), and the test of each
    "nyskap/core/templatetags/charts.py": "procurement (the shared bar chart)",
    "nyskap/procurement/templatetags/procurement_tables.py": "procurement",
    "nyskap/culture/templatetags/culture_charts.py": "culture",
}


def test_every_chart_download_writer_is_listed():
    from pathlib import Path

    import nyskap

    root = Path(nyskap.__file__).parent.parent
    writers = {
        str(path.relative_to(root))
        for path in (root / "nyskap").rglob("*.py")
        if "download_links(" in path.read_text(encoding="utf-8")
    }
    assert writers - {"nyskap/core/charts.py"} == set(CHART_WRITERS)  # where it is defined


def test_a_lone_surrogate_cannot_be_stored(innovator, home_municipality):
    from nyskap.core.visibility import Visibility
    from nyskap.projects.models import Project
    from tests.projects.factories import make_project

    project = make_project(actor=innovator, owner=home_municipality, title="P", visibility=Visibility.PUBLIC)
    with pytest.raises(UnicodeEncodeError):
        Project.objects.filter(pk=project.pk).update(description="a\ud800b")


# Culture


@pytest.fixture
def in_november_2026():
    with time_machine.travel(datetime.datetime(2026, 11, 15, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


def test_when_a_culture_round_holds_any_stored_text_then_its_xlsx_pdf_and_chart_files_write_it(
    in_november_2026, as_leader, leader, home_municipality
):
    from nyskap.organisations.models import Organisation
    from nyskap.surveys.models import Answer, Dimension, Round, Unit
    from tests.culture.factories import answer_all, close, culture_round

    texts = stored_texts()
    round = culture_round(actor=leader, organisation=home_municipality, units=["Enhet"])
    unit = round.units.get()
    for index in range(len(texts)):
        answer_all(round, 3 + index % 2, unit=unit, overrides={"comment": f"Kommentar {index}"})
    close(round)
    dimensions = list(round.version.dimensions.order_by("order", "pk"))
    named = dict(zip(texts, dimensions, strict=False))  # one dimension per character class (7 dimensions)
    for key, dimension in named.items():
        text = texts[key][:200]  # the column holds 200 characters
        Dimension.objects.filter(pk=dimension.pk).update(name_nb=text, name_nn=text, name_en=text)
    comments = Answer.objects.filter(response__round=round, item__key="comment").order_by("pk")
    for answer, text in zip(comments, texts.values(), strict=True):
        Answer.objects.filter(pk=answer.pk).update(text=text)
    url = f"/kultur/resultater/{round.pk}/"

    # The unit, the round's title and the organisation's name, one character class at a time.
    for key, text in one_at_a_time().items():
        Unit.objects.filter(pk=unit.pk).update(name=text[:200])
        Round.objects.filter(pk=round.pk).update(title=text[:200])
        Organisation.objects.filter(pk=home_municipality.pk).update(name=text[:200])
        sheets = workbook_cells(_body(as_leader.get(url + "rapport.xlsx")))
        dimensions_sheet, units_sheet, invited_sheet = (
            sheets["Dimensjoner"],
            sheets["Enheter"],
            sheets["Invitert per enhet"],
        )
        assert dimensions_sheet[0] == [as_xlsx(key, text[:200])], key
        assert dimensions_sheet[1][0] == as_xlsx(key, text[:200]), key
        assert {row[0] for row in units_sheet[1:]} == {as_xlsx(key, text[:200])}, key
        assert invited_sheet[1] == [as_xlsx(key, text[:200]), len(texts), len(texts)], key

    sheets = workbook_cells(_body(as_leader.get(url + "rapport.xlsx")))
    written_names = [row[0] for row in sheets["Dimensjoner"][6:]]
    for key, text in texts.items():
        assert as_xlsx(key, text[:200]) in written_names, key
    assert sorted(row[0] for row in sheets["Kommentarer"][1:]) == sorted(
        as_xlsx(key, text) for key, text in texts.items()
    )
    assert_pdf(file_via_job(as_leader, url + "rapport.pdf"))
    # The same results as JSON through the API.
    from tests.helpers import bearer

    auth: dict[str, Any] = bearer(leader)
    response = as_leader.get(f"/api/v1/culture/rounds/{round.pk}/results", **auth)
    assert response.status_code == 200
    record = json.loads(response.content)
    assert [dimension["name"] for dimension in record["dimensions"]][: len(texts)] == [
        text[:200] for text in texts.values()
    ]
    assert sorted(record["comments"]) == sorted(texts.values())
    assert {unit["unit"] for unit in record["units_invited"]} == {Unit.objects.get(pk=unit.pk).name}

    # The page's charts as files: the interval chart of every dimension, and each dimension's answers.
    page = as_leader.get(url)
    assert page.status_code == 200
    links = chart_links(page.content.decode())
    assert len(links) == 1 + len(dimensions)
    interval = next(link for link in links if link.startswith("?diagram=gjennomsnitt-per-dimensjon"))
    labels = svg_texts(as_leader.get(url + interval))
    for key, text in texts.items():
        expected = as_svg(key, text[:200] if len(text) <= 36 else text[:35] + "…")
        assert expected in labels, key
    assert_png(as_leader.get(url + interval.replace("format=svg", "format=png")))
    cells = cells_of_csv(as_leader, url + interval.replace("format=svg", "format=csv"))
    for key, text in texts.items():
        assert as_csv(key, text[:200]) in cells, key
    titles, headers = [], []
    for link in links:
        if link == interval:
            continue
        titles += svg_texts(as_leader.get(url + link))
        headers.append(csv_both(as_leader, url + link.replace("format=svg", "format=csv"))[0][0][0])
    for key, text in texts.items():  # the answers' chart of each dimension is titled with its name
        title = "Svar på påstandene om " + text[:200]
        assert as_svg(key, title) in titles, key
        assert ("Svar på påstandene om =1+1;'@SUM(1+1)" if key == "formula" else title) in headers, key


# Barometer


def test_when_a_barometer_round_holds_any_stored_text_then_its_exports_write_it(
    in_november_2026, as_innovator, innovator, home_municipality
):
    from nyskap.barometer import services
    from nyskap.barometer.models import Round as BarometerRound
    from nyskap.surveys.models import Unit
    from tests.barometer.factories import answer, fielded_round, innovating, not_innovating, workplaces

    cell = "health_care | municipality | 10-49 | Vestland | 3"
    round = fielded_round(innovator, home_municipality, workplaces(5))
    for index in range(5):  # the round's smallest cell: every figure and the microdata are shown
        answer(round, cell, innovating() if index < 3 else not_innovating())
    services.round_close(actor=innovator, round=round)
    round = services.round_publish(actor=innovator, round=round)
    assert round.survey_round is not None
    unit = round.survey_round.units.get(name=cell)

    def url(name: str) -> str:
        return reverse(f"barometer:{name}", kwargs={"pk": round.pk})

    for key, text in one_at_a_time().items():
        county = text[:150]  # the unit's name (200 characters) holds every breakdown value; the county is one
        Unit.objects.filter(pk=unit.pk).update(name=f"health_care | municipality | 10-49 | {county} | 3")
        BarometerRound.objects.filter(pk=round.pk).update(title=text[:200])
        rows = csv_both(as_innovator, url("results_csv"))[0]
        assert rows[0] == ["indicator", "breakdown", "group", "n", "share", "ci_low", "ci_high", "band"]
        assert {row[2] for row in rows[1:] if row[1] == "county"} == {as_csv(key, county)}, key
        response = as_innovator.get(url("results_xlsx"))
        assert response.status_code == 200
        ((_title, sheet),) = workbook_cells(_body(response)).items()
        assert {row[2] for row in sheet[1:] if row[1] == "county"} == {as_xlsx(key, county)}, key
        microdata = csv_both(as_innovator, url("microdata"))[0]
        column = microdata[0].index("county")
        assert [row[column] for row in microdata[1:]] == [as_csv(key, county)] * 5, key
    joined = " · ".join(text[:30] for text in stored_texts().values())
    BarometerRound.objects.filter(pk=round.pk).update(title=joined[:200])
    assert_pdf(file_via_job(as_innovator, url("results_pdf")))


def test_when_an_organisations_own_workplaces_hold_any_stored_text_then_their_csv_writes_it(
    in_november_2026, as_innovator, innovator, home_municipality
):
    """The organisation's own figures (`barometer:organisation_results_csv`) name the organisation in every row."""
    from nyskap.barometer import services
    from nyskap.organisations.models import Organisation
    from tests.barometer.factories import answer, fielded_round, innovating, not_innovating, workplaces

    cell = f"health_care | municipality | 10-49 | Vestland | 3 | org:{home_municipality.pk}"
    own = [(*row[:6], f"eigen{i}@oygarden.kommune.no", row[7], home_municipality.slug)
           for i, row in enumerate(workplaces(5))]  # fmt: skip
    round = fielded_round(innovator, home_municipality, own)
    for index in range(5):  # the smallest cell: the organisation's aggregate is shown
        answer(round, cell, innovating() if index < 3 else not_innovating())
    services.round_close(actor=innovator, round=round)
    round = services.round_publish(actor=innovator, round=round)
    url = reverse("barometer:organisation_results_csv", kwargs={"pk": round.pk})
    for key, text in one_at_a_time().items():
        Organisation.objects.filter(pk=home_municipality.pk).update(name=text[:200])
        rows = csv_both(as_innovator, url)[0]
        assert rows[0] == ["organisation", "indicator", "breakdown", "group", "n", "share", "ci_low", "ci_high", "band"]
        assert len(rows) > 1 and {row[0] for row in rows[1:]} == {as_csv(key, text[:200])}, key


# Dashboards


def test_when_a_dashboard_holds_any_stored_text_then_its_xlsx_charts_and_api_write_it(
    client, as_innovator, innovator, outsider, home_municipality, other_municipality
):
    from nyskap.dashboards.models import Snapshot
    from nyskap.organisations.models import Organisation
    from tests.dashboards.factories import two_municipalities

    two_municipalities(innovator, outsider, home_municipality, other_municipality)
    texts = stored_texts()
    number = home_municipality.organisation_number
    base = f"/dashbord/organisasjon/{number}/"
    # The instruments' names and a published barometer round's title are stored in the lens's figures.
    top = [
        {"id": index + 1, "names": {"nb": text[:300], "nn": text[:300], "en": text[:300]}, "uses": 10 - index}
        for index, text in enumerate(texts.values())
    ]
    snapshots = Snapshot.objects.filter(lens="organisation", key=number)
    assert snapshots.count() == 2  # public and internal
    for snapshot in snapshots:
        snapshot.data["instruments"]["top"] = top
        snapshot.save(update_fields=["data"])
    for key, text in one_at_a_time().items():
        Organisation.objects.filter(pk=home_municipality.pk).update(name=text[:200])
        for snapshot in snapshots:
            snapshot.data["barometer"] = [
                {"kind": "operative", "title": text[:200],
                 "indicators": [{"key": "innovation_rate", "share": 0.5, "low": 0.25, "high": 0.75}]}
            ]  # fmt: skip
            snapshot.save(update_fields=["data"])
        for visitor in (client, as_innovator) if key == "control" else (as_innovator,):  # public and members' own
            response = visitor.get(base + "eksport.xlsx")
            assert response.status_code == 200
            sheets = list(workbook_cells(_body(response)).values())
            assert sheets[0][0][1] == as_xlsx(key, text[:200]), key  # the key figures' column is the lens
            assert sheets[-1][1][0] == as_xlsx(key, text[:200]), key  # "About": the lens
            instruments = next(rows for rows in sheets if rows[0] == ["Virkemiddel", "Ganger brukt"])
            assert [row[0] for row in instruments[1:]] == [as_xlsx(k, t[:300]) for k, t in texts.items()]
            barometer = next(rows for rows in sheets if rows[0][0] == "Indikator")
            assert len(barometer) == 2, key
        body = client.get(f"/api/v1/dashboards/organisation/{number}")
        assert body.status_code == 200
        record = json.loads(body.content)
        assert record["title"] == text[:200], key
        assert record["figures"]["barometer"][0]["title"] == text[:200], key
    record = json.loads(client.get(f"/api/v1/dashboards/organisation/{number}").content)
    assert [item["names"]["nb"] for item in record["figures"]["instruments"]["top"]] == [
        text[:300] for text in texts.values()
    ]
    # The charts (drawn once: the drawing is cached per lens and refresh): every class in the instruments' labels,
    # and in the barometer chart's title.
    joined = " · ".join(text[:20] for text in texts.values())
    for snapshot in snapshots:
        snapshot.data["barometer"][0]["title"] = joined
        snapshot.save(update_fields=["data"])
    for panel in ("top_instruments", "barometer-operative"):
        assert svg_texts(as_innovator.get(f"{base}diagram/{panel}.svg")), panel
        assert_png(as_innovator.get(f"{base}diagram/{panel}.png"))
        rows = csv_both(as_innovator, f"{base}diagram/{panel}.csv")[0]
        if panel == "top_instruments":
            assert [row[0] for row in rows[1:]] == [as_csv(k, t[:300]) for k, t in texts.items()]
    drawn = svg_texts(as_innovator.get(f"{base}diagram/barometer-operative.svg"))
    assert any(as_svg("control", "Kontroll\x01\x0b\x1f\x7fslutt") in text for text in drawn)
    labels = svg_texts(client.get(f"{base}diagram/top_instruments.svg"))
    for key in ("rtl", "formula"):  # short enough to be drawn whole
        assert as_svg(key, texts[key]) in labels, key


# Procurement statistics


def test_when_procurement_buyers_hold_any_stored_text_then_the_chart_files_write_it(client):
    from nyskap.procurement.models import BuyerTally

    texts = stored_texts()
    for index, text in enumerate(texts.values()):  # as an import of notices with such buyers leaves them
        BuyerTally.objects.create(
            buyer_org_number=f"9{index:08d}", buyer_name=text[:300], year=2024, notice_class="innovation",
            count=10 - index,
        )  # fmt: skip
    url = "/anskaffelser/?diagram=competitions-by-buyer-the-20-with-most&format="
    page = client.get("/anskaffelser/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "?diagram=competitions-by-buyer-the-20-with-most&amp;format=csv" in page.content.decode()
    labels = svg_texts(client.get(url + "svg", HTTP_ACCEPT_LANGUAGE="en"))
    for key, text in texts.items():
        shown = text[:300] if len(text[:300]) <= 28 else text[:27] + "…"
        assert as_svg(key, shown) in labels, key
    response = client.get(url + "png", HTTP_ACCEPT_LANGUAGE="en")
    assert_png(response)
    for separator, extra in ((";", ""), (",", "&sep=comma")):
        response = client.get(url + "csv" + extra, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        text = _body(response).decode("utf-8")
        rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=separator))
        assert rows[1:] == [[as_csv(k, t[:300]), str(10 - i)] for i, (k, t) in enumerate(texts.items())]


# The projects' export through the API (a background task)


def test_when_projects_hold_any_stored_text_then_the_api_export_writes_it(request, innovator, home_municipality):
    from django.test import Client

    from nyskap.core.visibility import Visibility
    from nyskap.projects.models import Project
    from tests.helpers import bearer
    from tests.projects.factories import make_project

    texts = stored_texts() | {"megabyte": "M" * 1_000_000}  # a description has no length limit
    for key, text in texts.items():
        project = make_project(actor=innovator, owner=home_municipality, title=f"P {key}", visibility=Visibility.PUBLIC)
        Project.objects.filter(pk=project.pk).update(description=text)  # as a legacy row
    auth: dict[str, Any] = bearer(innovator)
    limit = csv.field_size_limit(2_000_000)  # the reader's default (128 KiB) is less than a megabyte
    request.addfinalizer(lambda: csv.field_size_limit(limit))
    for fmt, sep in (("csv", "semicolon"), ("csv", "comma"), ("xlsx", "semicolon"), ("json", "semicolon")):
        started = Client().post(f"/api/v1/projects/exports?format={fmt}&sep={sep}", **auth)
        assert started.status_code == 202, fmt
        task = Client().get(started["Location"], **auth).json()
        assert task["status"] == "done", fmt
        content = _body(Client().get(task["file_url"], **auth))
        if fmt == "csv":
            text = content.decode("utf-8")
            assert text.startswith("\ufeff")
            delimiter = ";" if sep == "semicolon" else ","
            rows = list(csv.DictReader(io.StringIO(text[1:], newline=""), delimiter=delimiter))
            written = sorted(row["description"] for row in rows)
            assert written == sorted(as_csv(k, t) for k, t in texts.items())
        elif fmt == "xlsx":
            ((_title, sheet),) = list(workbook_cells(content).items())[:1]
            column = sheet[0].index("description")
            written = sorted(row[column] for row in sheet[1:])
            # Excel's limit for a cell: a longer text is cut there, ending with a note that says so and how long it is.
            limit = 32_767
            whole = sorted(as_xlsx(k, t) for k, t in texts.items() if len(as_xlsx(k, t)) <= limit)
            long = sorted(as_xlsx(k, t) for k, t in texts.items() if len(as_xlsx(k, t)) > limit)
            cut = sorted(cell for cell in written if cell not in whole)
            assert sorted(cell for cell in written if cell in whole) == whole
            assert len(cut) == len(long) == 1
            for text, cell in zip(long, cut, strict=True):
                note = cell[cell.rindex(" [") :]
                assert len(cell) == limit
                assert cell == text[: limit - len(note)] + note
                assert f"{len(text):,}".replace(",", "\u00a0") in note and note.endswith("Nyskap.]")
        else:
            assert sorted(record["description"] for record in json.loads(content)) == sorted(texts.values())


# Every export (its URL name, or "<page> ?diagram=" for the chart downloads a page offers) and the test that sends
# it stored text. `test_every_export_route_is_listed` fails for an export route missing here.
EXPORTERS = [
    (
        first_module.test_when_projects_hold_any_stored_text_then_csv_json_and_xlsx_exports_write_it,
        ("project_transfer:export_csv", "project_transfer:export_json", "project_transfer:export_xlsx"),
    ),
    (
        test_when_projects_hold_any_stored_text_then_the_api_export_writes_it,
        ("api-v1:project_export",),
    ),
    (
        first_module.test_when_instruments_hold_any_stored_text_then_every_export_writes_it,
        ("instruments:export_csv", "instruments:export_json", "instruments:export_xlsx"),
    ),
    (
        first_module.test_when_a_benefit_plan_holds_any_stored_text_then_xlsx_and_pdf_are_written,
        ("benefits:export_xlsx", "benefits:export_pdf"),
    ),
    (
        first_module.test_when_trials_hold_any_stored_text_then_csv_and_xlsx_exports_write_it,
        ("trials:export_csv", "trials:export_xlsx"),
    ),
    (
        first_module.test_when_challenge_outcomes_hold_any_stored_text_then_the_csv_writes_it,
        ("challenges:outcomes_csv",),
    ),
    (
        test_when_a_culture_round_holds_any_stored_text_then_its_xlsx_pdf_and_chart_files_write_it,
        ("culture:results_xlsx", "culture:results_pdf", "culture:results ?diagram=", "api-v1:culture_round_results"),
    ),
    (
        test_when_a_barometer_round_holds_any_stored_text_then_its_exports_write_it,
        ("barometer:results_csv", "barometer:results_xlsx", "barometer:results_pdf", "barometer:microdata"),
    ),
    (
        test_when_an_organisations_own_workplaces_hold_any_stored_text_then_their_csv_writes_it,
        ("barometer:organisation_results_csv",),
    ),
    (
        test_when_a_dashboard_holds_any_stored_text_then_its_xlsx_charts_and_api_write_it,
        ("dashboards:export_xlsx", "dashboards:chart", "api-v1:dashboard"),
    ),
    (
        test_when_procurement_buyers_hold_any_stored_text_then_the_chart_files_write_it,
        ("procurement:statistics ?diagram=",),
    ),
]
