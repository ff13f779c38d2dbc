"""The registry's overview by area and by outcome (what has come of the trial: results entered as data, results in
words only, none yet) on the page, in the API's list and in the exports; and an exemption removed by the trial's
editors only, kept in the change history."""

from __future__ import annotations

import csv
import io
import re

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from openpyxl import load_workbook

from nyskap.core.visibility import Visibility
from nyskap.trials import selectors, services
from nyskap.trials.models import Exemption

from .factories import make_trial, run_to_end
from .test_overview import shown

pytestmark = pytest.mark.django_db


@pytest.fixture
def outcomes(innovator, home_municipality):
    """Two trials in health care (one with a result entered as counts, one reported in words only), one in school
    without results, and a draft in health care that only its authors see."""
    counted = run_to_end(make_trial(actor=innovator, owner=home_municipality, title="Talt", area="Helse"), innovator)
    services.result_add_counts(
        actor=innovator, trial=counted, outcome="Møtte", arms=[("SMS", 40, 100), ("Ingen SMS", 30, 100)]
    )
    described = run_to_end(
        make_trial(actor=innovator, owner=home_municipality, title="Beskrevet", area="Helse"), innovator
    )
    services.report_results(actor=innovator, trial=described, summary="Færre uteblitte timer.")
    make_trial(actor=innovator, owner=home_municipality, title="Uten resultater", area="Skole")
    make_trial(actor=innovator, owner=home_municipality, title="Utkast", area="Helse", visibility=Visibility.DRAFT)


def test_the_area_and_outcome_facets_count_the_visible_trials_and_filter_the_overview(client, innovator, outcomes):
    counts = selectors.facet_counts(selectors.filtered(None, {}))
    assert counts["area"] == {"Helse": 2, "Skole": 1}
    assert counts["outcome"] == {"estimated": 1, "summary": 1, "none": 1}
    # The author sees the draft too: it has no results.
    mine = selectors.facet_counts(selectors.filtered(innovator, {}))
    assert (mine["area"], mine["outcome"]) == ({"Helse": 3, "Skole": 1}, {"estimated": 1, "summary": 1, "none": 2})
    page = client.get("/forsok/").content.decode()
    assert '<legend class="ds-label">Område</legend>' in page
    assert '<legend class="ds-label">Utfall</legend>' in page
    assert ">Helse (2)</label>" in page and ">Skole (1)</label>" in page
    assert ">Resultater lagt inn som data (effektestimat) (1)</label>" in page
    assert ">Resultater bare i ord (1)</label>" in page
    assert ">Ingen resultater ennå (1)</label>" in page
    assert shown(client.get("/forsok/?outcome=summary").content.decode()) == ["Beskrevet"]
    assert shown(client.get("/forsok/?outcome=estimated&outcome=none").content.decode()) == ["Talt", "Uten resultater"]
    assert shown(client.get("/forsok/?area=Helse").content.decode()) == ["Beskrevet", "Talt"]
    assert shown(client.get("/forsok/?area=Helse&outcome=none").content.decode()) == []
    # The chosen value is checked, and the counts are of the filtered trials.
    filtered = client.get("/forsok/?area=Skole").content.decode()
    assert 'name="area" value="Skole" id="facet-area-1" checked' in filtered
    assert ">Ingen resultater ennå (1)</label>" in filtered and "Resultater bare i ord" not in filtered
    # Values no trial has match nothing, and are no error.
    response = client.get("/forsok/?outcome=x%00&area=%C3%A6")
    assert response.status_code == 200
    assert shown(response.content.decode()) == []


@pytest.mark.parametrize(
    ("language", "area", "outcome", "none"),
    [
        ("nn", "Område", "Utfall", "Ingen resultat enno (1)"),
        ("en", "Area", "Outcome", "No results yet (1)"),
    ],
)
def test_the_new_facets_in_nynorsk_and_english(outcomes, language, area, outcome, none):
    client = Client()
    client.cookies["django_language"] = language
    page = client.get("/forsok/").content.decode()
    assert f'<legend class="ds-label">{area}</legend>' in page
    assert f'<legend class="ds-label">{outcome}</legend>' in page
    assert f">{none}</label>" in page


def test_the_api_list_filters_by_area_outcome_sector_and_legal_basis(client, outcomes):
    def titles(query: str) -> list[str]:
        response = client.get(f"/api/v1/trials?{query}")
        assert response.status_code == 200, response.content
        return sorted(item["title"] for item in response.json()["results"])

    assert titles("outcome=estimated") == ["Talt"]
    assert titles("outcome=summary&outcome=none") == ["Beskrevet", "Uten resultater"]
    assert titles("area=Helse") == ["Beskrevet", "Talt"]
    assert titles("area=Helse&outcome=none") == []
    assert titles("sector=education") == []
    assert titles("legal_act=Kommuneloven") == []
    assert client.get("/api/v1/trials?outcome=decided").status_code == 422
    assert client.get("/api/v1/trials?area=a%00b").status_code == 422
    assert client.get(f"/api/v1/trials?area={'x' * 301}").status_code == 422


def test_the_exports_take_the_area_and_outcome_filters(client, outcomes):
    body = client.get("/forsok/eksport/forsok.csv?outcome=summary&outcome=estimated").getvalue().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert sorted(row[0] for row in rows[1:]) == ["Beskrevet", "Talt"]
    download = client.get("/forsok/eksport/forsok.xlsx?area=Skole")
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).worksheets[0]
    assert [row[0] for row in list(sheet.values)[1:]] == ["Uten resultater"]


def test_an_editor_removes_an_exemption_an_outsider_cannot_and_the_history_keeps_it(
    as_innovator, as_outsider, anonymous, innovator, home_municipality
):
    trial = make_trial(actor=innovator, owner=home_municipality, kind="forsoksloven")
    kept = services.exemption_add(actor=innovator, trial=trial, rule="Kommuneloven § 5-1", reason="", for_whom="")
    removed = services.exemption_add(
        actor=innovator, trial=trial, rule="Opplæringsloven § 2-2", reason="Færre timer.", for_whom="Elevene"
    )
    elsewhere = services.exemption_add(
        actor=innovator,
        trial=make_trial(actor=innovator, owner=home_municipality, title="Annet"),
        rule="X",
        reason="",
        for_whom="",
    )
    url = f"/forsok/{trial.slug}/unntak/{removed.pk}/fjern/"
    # The page offers each exemption's removal as a button with the CSRF token.
    page = as_innovator.get(f"/forsok/{trial.slug}/unntak/").content.decode()
    assert (
        f'<form method="post" action="{url}" class="inline-form"><input type="hidden" name="csrfmiddlewaretoken"'
        in page
    )
    assert sorted(re.findall(r'action="/forsok/[^/]+/unntak/(\d+)/fjern/"', page)) == sorted(
        [str(kept.pk), str(removed.pk)]
    )
    # Refused: a visitor (to the sign-in), an outsider (403), a GET (405), an exemption of another trial (404).
    assert anonymous.post(url).status_code == 302
    assert as_outsider.post(url).status_code == 403
    assert as_innovator.get(url).status_code == 405
    assert as_innovator.post(f"/forsok/{trial.slug}/unntak/{elsewhere.pk}/fjern/").status_code == 404
    assert Exemption.objects.count() == 3
    # A draft's exemption is not found by an outsider at all.
    draft = make_trial(actor=innovator, owner=home_municipality, title="Utkast", visibility=Visibility.DRAFT)
    hidden = services.exemption_add(actor=innovator, trial=draft, rule="Y", reason="", for_whom="")
    assert as_outsider.post(f"/forsok/{draft.slug}/unntak/{hidden.pk}/fjern/").status_code == 404
    assert Exemption.objects.count() == 4
    response = as_innovator.post(url)
    assert (response.status_code, response["Location"]) == (302, f"/forsok/{trial.slug}/unntak/")
    assert list(trial.exemptions.values_list("pk", "rule")) == [(kept.pk, "Kommuneloven § 5-1")]
    assert Exemption.objects.count() == 3
    assert "Unntaket er fjernet." in as_innovator.get(response["Location"]).content.decode()
    # The change history keeps what was removed, and who removed it.
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Exemption),
        object_pk=str(removed.pk),
        action=LogEntry.Action.DELETE,
    )
    assert (entry.actor, entry.changes_dict["rule"][0]) == (innovator, "Opplæringsloven § 2-2")
    # Removed once: a second press finds nothing.
    assert as_innovator.post(url).status_code == 404
    assert Exemption.objects.count() == 3
