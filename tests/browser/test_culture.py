"""The culture pages in the system Chromium: axe-core finds no WCAG 2.1 AA violations on the results page (with
figures, comparisons, hidden units and suggestions), the methods page, the questionnaire and the national view,
in bokmål and English; the PDF and XLSX links download."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from nyskap.culture.benchmarks import recompute
from nyskap.culture.services import load_questionnaire
from nyskap.surveys.models import Invitation, Round, hash_secret, new_secret
from nyskap.surveys.selectors import resolve_token
from nyskap.surveys.services import RoundInput, response_save, round_create

from ..helpers import browser_language, login_browser_as, run_axe
from ..organisations.factories import OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _round(actor, organisation, values, units=(), title="Kultur 2026"):
    version, _ = load_questionnaire()
    today = datetime.date.today()
    round = round_create(
        actor=actor,
        organisation=organisation,
        data=RoundInput(
            title=title, version=version, opens_on=today, closes_on=today + datetime.timedelta(days=7), units=units
        ),
    )
    keys = list(version.items.values_list("key", flat=True))
    unit_ids = list(round.units.values_list("pk", flat=True))
    for index, value in enumerate(values):
        answers = {
            key: str(value if not key.startswith("trust") else max(1, value - 2)) for key in keys if key != "comment"
        }
        unit = unit_ids[index % len(unit_ids)] if unit_ids else None
        # Each answer through an invitation to its unit (a respondent cannot choose a unit).
        token = new_secret()
        Invitation.objects.create(round=round, unit_id=unit, email=f"p{index}@x.no", token_hash=hash_secret(token))
        response_save(access=resolve_token(token), data=answers, submit=True)
    return round


@pytest.fixture
def culture_pages(operator, leader, home_municipality, settings) -> dict[str, list[str]]:
    settings.CULTURE_MIN_ORGANISATIONS = 3  # three earlier organisations to compare with (the default needs 5)
    others = [
        OrganisationFactory(name=f"Kommune {i}", slug=f"kommune-{i}", county=home_municipality.county, population=35000)
        for i in range(3)
    ]
    for organisation, values in zip(others, ([4, 4, 3, 5, 4], [3, 3, 2, 4, 3], [5, 4, 4, 5, 4]), strict=True):
        closed = _round(operator, organisation, values, title="Tidligere")
        Round.objects.filter(pk=closed.pk).update(closed_early=True)
    recompute()
    current = _round(leader, home_municipality, [4, 3, 5, 4, 2, 4, 3, 5, 4, 3, 4, 2], units=("Helse", "Skole", "Nav"))
    Round.objects.filter(pk=current.pk).update(closed_early=True)
    return {
        "leader": [f"/kultur/resultater/{current.pk}/"],
        "public": ["/kultur/", "/kultur/metode/", "/kultur/sporreskjema/"],
    }


@pytest.mark.parametrize("language", ["nb", "en"])
def test_when_the_culture_pages_are_scanned_then_axe_finds_no_violations(
    page, live_server, leader, culture_pages, language
):
    browser_language(page.context, live_server, language)
    found = {}
    for path in culture_pages["public"]:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        found[path] = run_axe(page)
    login_browser_as(page, live_server, leader)
    for path in culture_pages["leader"] + culture_pages["public"]:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        found[f"{path} (signed in)"] = run_axe(page)
    assert {path: violations for path, violations in found.items() if violations} == {}


def test_when_a_leader_opens_the_results_then_comparisons_and_downloads_are_there(
    page, live_server, leader, culture_pages
):
    login_browser_as(page, live_server, leader)
    browser_language(page.context, live_server)
    page.goto(live_server.url + culture_pages["leader"][0])
    expect(page.get_by_text("12 respondents.")).to_be_visible()
    comparison = page.get_by_role("table", name="Your mean beside comparable organisations")
    expect(comparison).to_contain_text("All public-sector organisations")
    expect(comparison).to_contain_text("5 organisations")  # three, published rounded to 5
    expect(page.get_by_role("heading", name="How anonymity is protected")).to_be_visible()
    expect(page.get_by_role("heading", name="Where to start: suggested practices")).to_be_visible()
    expect(page.get_by_role("heading", name="Trust and willingness to take risks").first).to_be_visible()
    # The PDF is made in the background: the link leads to the task's progress page, which offers the file.
    results_url = page.url
    page.get_by_role("link", name="Download PDF report").click()
    expect(page.get_by_role("status")).to_contain_text("Done")
    with page.expect_download() as pdf:
        page.get_by_role("link", name=re.compile(r"^Download kultur-for-innovasjon-\d+\.pdf$")).click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    page.goto(results_url)
    with page.expect_download() as xlsx:
        page.get_by_role("link", name="Download as spreadsheet (XLSX)").click()
    assert xlsx.value.suggested_filename.endswith(".xlsx")
