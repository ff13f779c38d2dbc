"""The catalogue pages: public reading, the matcher (also from a project page), writes by instrument owners and
project editors, with the refused outsider, and bad input that saves nothing."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from auditlog.models import LogEntry

from nyskap.core.visibility import Visibility
from nyskap.instruments import catalogue
from nyskap.instruments.models import Call, Instrument, InstrumentOwnerRole, InstrumentUse
from nyskap.instruments.services import use_add
from nyskap.organisations.models import OrganisationKind

from ..helpers import english, field_error
from ..organisations.factories import OrganisationFactory
from ..projects.factories import make_project

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# Reading


def test_when_anyone_opens_the_catalogue_then_all_real_instruments_are_listed(anonymous, loaded):
    response = english(anonymous).get("/virkemidler/")
    assert response.status_code == 200
    assert "46 instruments" in text(response)
    assert text(response).count('class="ds-card instrument-card"') == 46


def test_when_the_catalogue_is_filtered_then_only_matching_instruments_are_listed(anonymous, loaded):
    response = english(anonymous).get("/virkemidler/?offer=money&phase=implemented")
    # Money in the implementation phase: the co-financing scheme, welfare technology, budget-rule flexibility.
    assert "3 instruments" in text(response)
    for name in (
        "Co-financing scheme for digitalisation projects",
        "National welfare technology programme",
        "Budget-rule flexibility for investments",
    ):
        assert name in text(response)


def test_when_an_ended_instrument_is_opened_then_it_is_shown_as_ended(anonymous, loaded):
    response = english(anonymous).get("/virkemidler/startoff/")
    assert response.status_code == 200
    assert "This instrument has ended. It is kept here as history." in text(response)
    assert "Discontinued in the 2024 state budget" in text(response)


def test_when_an_instrument_has_unverified_facts_then_the_page_flags_them(anonymous, loaded):
    page = text(english(anonymous).get("/virkemidler/folkehelseprogrammet/"))
    assert "Some facts about this instrument are not verified. Not verified: The owner." in page
    assert "In the source: Helsedirektoratet (owner U)" in page  # the source quoted as written
    assert 'id="verification-notice"' not in text(english(anonymous).get("/virkemidler/stimulab/"))


def test_when_an_unknown_instrument_is_opened_then_404(anonymous, loaded):
    assert anonymous.get("/virkemidler/finnes-ikke/").status_code == 404


def test_when_calls_exist_then_the_calls_page_splits_open_closing_and_closed(anonymous, loaded, instrument_owner):
    stimulab = loaded["stimulab"]
    Call.objects.create(instrument=stimulab, title="Runde vår", opens_on=TODAY - datetime.timedelta(days=10),
                        closes_on=TODAY + datetime.timedelta(days=20))  # fmt: skip
    Call.objects.create(instrument=stimulab, title="Runde høst", opens_on=TODAY - datetime.timedelta(days=10),
                        closes_on=TODAY + datetime.timedelta(days=60))  # fmt: skip
    Call.objects.create(instrument=stimulab, title="Runde i fjor", opens_on=datetime.date(2025, 1, 1),
                        closes_on=datetime.date(2025, 3, 1))  # fmt: skip
    with time_machine.travel(datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC)):
        html = english(anonymous).get("/virkemidler/utlysninger/").content.decode()
    closing = html[html.index('id="calls-closing"') : html.index('id="open-heading"')]
    open_now = html[html.index('id="calls-open"') : html.index('id="closed-heading"')]
    closed = html[html.index('id="calls-closed"') :]
    assert "Runde vår" in closing and "Runde høst" not in closing
    assert "Runde vår" in open_now and "Runde høst" in open_now and "Runde i fjor" not in open_now
    assert "Runde i fjor" in closed


# The matcher


def test_when_a_municipality_asks_the_matcher_then_reasons_say_why_in_plain_language(
    anonymous, loaded, home_municipality
):
    response = english(anonymous).get(
        "/virkemidler/finn/?phase=develop_test&needs=money&organisation=oygarden&show_excluded=on"
    )
    page = text(response)
    assert response.status_code == 200
    ranked = page[page.index('id="ranked-results"') : page.index('id="excluded-heading"')]
    excluded = page[page.index('id="excluded-results"') :]
    assert "Co-financing scheme" not in ranked
    co_financing = excluded[excluded.index("Co-financing scheme") :][:400]
    assert "The scheme is for state bodies; municipalities can only be partners." in co_financing
    assert "For Øygarden kommune (Municipality)" in page
    assert "How the matcher decides" in page


def test_when_the_matcher_answers_then_it_counts_what_fits_fits_partly_and_does_not_fit(anonymous, loaded):
    from django.utils import translation

    from nyskap.instruments import selectors
    from nyskap.instruments.matching import DOES_NOT_FIT, FITS, FITS_PARTLY, MatchInput

    page = text(anonymous.get("/virkemidler/finn/?phase=implemented&needs=money&kind=municipality"))
    with translation.override("nb"):
        results = selectors.run_matcher(
            MatchInput(phase="implemented", needs=("money",), organisation_kind="municipality"),
            today=datetime.date.today(),
        )
    counts = {fit: sum(1 for r in results if r.result.fit == fit) for fit in (FITS, FITS_PARTLY, DOES_NOT_FIT)}
    assert counts[FITS] >= 1 and counts[FITS_PARTLY] >= 1 and counts[DOES_NOT_FIT] >= 1
    summary = re.search(r'<p class="ds-paragraph" id="fit-counts">([^<]*)</p>', page)
    assert summary is not None
    assert summary[1] == (
        f"{counts[FITS]} passer · {counts[FITS_PARTLY]} passer delvis · {counts[DOES_NOT_FIT]} passer ikke"
    )
    assert f"{counts[FITS]} virkemiddel passer" in page or f"{counts[FITS]} virkemidler passer" in page
    # What offers none of the support asked for is not among those that fit or fit partly, whatever its score.
    fitting = page[page.index('id="ranked-heading"') : page.index('id="excluded-summary"')]
    assert "Tilbyr ingen av typene støtte dere trenger." not in fitting
    assert f"{counts[DOES_NOT_FIT]} virkemidler passer ikke." in page[page.index('id="excluded-summary"') :]


def test_when_the_matcher_is_asked_without_answers_then_no_results_are_shown(anonymous, loaded):
    page = text(english(anonymous).get("/virkemidler/finn/"))
    assert "Answer one or more of the questions" in page and 'id="ranked-results"' not in page


def test_when_match_this_project_is_followed_then_the_answers_come_from_the_project(
    as_innovator, innovator, home_municipality, loaded
):
    project = make_project(actor=innovator, owner=home_municipality, visibility=Visibility.ORGANISATION,
                           sector="health_care")  # fmt: skip
    detail = text(english(as_innovator).get(f"/prosjekter/{project.slug}/"))
    assert f'href="/virkemidler/finn/?prosjekt={project.slug}"' in detail
    response = as_innovator.get(f"/virkemidler/finn/?prosjekt={project.slug}")
    assert response.status_code == 302
    assert response["Location"] == (
        f"/virkemidler/finn/?phase=need&sector=health_care&organisation=oygarden&fra={project.slug}"
    )
    page = text(english(as_innovator).get(response["Location"]))
    assert f"Answers filled in from the project “{project.title}”" in page


def test_when_an_outsider_matches_a_project_they_cannot_see_then_404(as_outsider, innovator, home_municipality, loaded):
    project = make_project(actor=innovator, owner=home_municipality, visibility=Visibility.ORGANISATION)
    assert as_outsider.get(f"/virkemidler/finn/?prosjekt={project.slug}").status_code == 404


# Writes: instruments and calls


def test_when_an_instrument_owner_edits_their_instrument_then_it_is_saved_and_in_the_history(
    as_instrument_owner, instrument_owner, loaded
):
    stimulab = loaded["stimulab"]
    form = english(as_instrument_owner).get("/virkemidler/stimulab/rediger/")
    assert form.status_code == 200
    data = {
        "name_nb": "StimuLab", "name_nn": "StimuLab", "name_en": "StimuLab", "offers": ["money", "advice"],
        "applicant_kinds": ["state_agency", "municipality"], "phases": ["need", "ideas"], "status": "active",
        "grant_max": "1 500 000", "cofunding_max_percent": "50", "source": "digdir.no",
    }  # fmt: skip
    response = as_instrument_owner.post("/virkemidler/stimulab/rediger/", data)
    assert response.status_code == 302
    stimulab.refresh_from_db()
    assert (stimulab.grant_max, stimulab.owner_edited, stimulab.offers) == (
        Decimal(1_500_000),
        True,
        ["money", "advice"],
    )
    entry = LogEntry.objects.get_for_object(stimulab).filter(actor=instrument_owner).get()
    assert "grant_max" in entry.changes_dict
    page = text(english(as_instrument_owner).get("/virkemidler/stimulab/"))
    assert "Rita Rådgiver" in page
    # The history names the fields by their labels in the reader's language, never by their code names.
    as_instrument_owner.cookies["django_language"] = "nb"
    page = text(as_instrument_owner.get("/virkemidler/stimulab/"))
    history = page[page.index('id="change-history"') :]
    history = history[: history.index("</table>")]
    row = re.search(r"Virkemiddel: Endret</td><td>([^<]*)</td>", history)
    assert row is not None
    assert "Største tilskudd per prosjekt (kr)" in row[1].split(", ")
    assert "Redigert av eieren" in row[1].split(", ")
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", history)


def test_when_an_owner_gives_a_negative_amount_then_nothing_is_saved_and_the_input_is_kept(as_instrument_owner, loaded):
    data = {"name_nb": "StimuLab", "status": "active", "grant_max": "-5", "offers": ["money"]}
    response = english(as_instrument_owner).post("/virkemidler/stimulab/rediger/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert field_error(html, "grant_max") == "The amount cannot be negative."
    assert 'value="-5"' in html
    assert Instrument.objects.get(slug="stimulab").grant_max is None


def test_when_an_owner_gives_an_end_date_to_an_active_instrument_then_it_is_refused(as_instrument_owner, loaded):
    data = {"name_nb": "StimuLab", "status": "active", "ended_on": "2025-01-01"}
    html = english(as_instrument_owner).post("/virkemidler/stimulab/rediger/", data).content.decode()
    assert field_error(html, "ended_on") == "Only an ended instrument has an end date."
    assert Instrument.objects.get(slug="stimulab").ended_on is None


def test_when_an_outsider_edits_an_instrument_then_it_is_refused(
    as_outsider, as_innovator, as_instrument_owner, loaded
):
    data = {"name_nb": "Hacket", "status": "active"}
    assert as_outsider.post("/virkemidler/stimulab/rediger/", data).status_code == 403
    assert as_innovator.get("/virkemidler/stimulab/rediger/").status_code == 403
    # Digdir's owner may not edit Forskningsrådet's instruments either.
    assert as_instrument_owner.post("/virkemidler/ipo/rediger/", data).status_code == 403
    assert Instrument.objects.get(slug="stimulab").name_nb.startswith("StimuLab")
    assert not Instrument.objects.filter(name_nb="Hacket").exists()


def test_when_an_owner_adds_a_call_then_it_is_saved(as_instrument_owner, loaded):
    data = {"title": "Utlysning 2026", "opens_on": "2026-02-01", "closes_on": "2026-04-15", "budget": "20000000",
            "url": "https://www.digdir.no/"}  # fmt: skip
    response = as_instrument_owner.post("/virkemidler/stimulab/utlysninger/ny/", data)
    assert response.status_code == 302
    call = Call.objects.get()
    assert (call.instrument.slug, call.closes_on, call.budget) == (
        "stimulab",
        datetime.date(2026, 4, 15),
        Decimal(20_000_000),
    )


def test_when_a_call_closes_before_it_opens_then_nothing_is_saved(as_instrument_owner, loaded):
    data = {"title": "Feil", "opens_on": "2026-04-01", "closes_on": "2026-03-01", "budget": "abc"}
    html = english(as_instrument_owner).post("/virkemidler/stimulab/utlysninger/ny/", data).content.decode()
    assert field_error(html, "closes_on") == "The call cannot close before it opens."
    assert Call.objects.count() == 0
    data["closes_on"] = "2026-05-01"
    html = english(as_instrument_owner).post("/virkemidler/stimulab/utlysninger/ny/", data).content.decode()
    assert field_error(html, "budget") == "Enter an amount in kroner, e.g. 250000."
    assert Call.objects.count() == 0


def test_when_an_outsider_adds_a_call_then_it_is_refused(as_outsider, loaded):
    data = {"title": "X", "opens_on": "2026-02-01"}
    assert as_outsider.post("/virkemidler/stimulab/utlysninger/ny/", data).status_code == 403
    assert Call.objects.count() == 0


# The instrument-owner role


def test_when_an_admin_grants_the_owner_role_then_the_user_may_edit(
    client, operator, owner_organisations, loaded, colleague
):
    from nyskap.accounts.models import Membership, Role

    from ..accounts.factories import UserFactory, give_totp

    admin = UserFactory(email="admin@digdir.no")
    give_totp(admin)
    Membership.objects.create(user=admin, organisation=owner_organisations[catalogue.DIGDIR], role=Role.ADMIN)
    client.force_login(admin)
    response = client.post("/virkemidler/eiere/", {"organisation": owner_organisations[catalogue.DIGDIR].pk,
                                                   "email": colleague.email})  # fmt: skip
    assert response.status_code == 302
    role = InstrumentOwnerRole.objects.get(user=colleague)
    assert role.granted_by == admin
    client.force_login(colleague)
    assert client.get("/virkemidler/stimulab/rediger/").status_code == 200


def test_when_an_outsider_opens_the_owner_roles_then_it_is_refused(as_outsider, as_innovator, loaded):
    assert as_outsider.get("/virkemidler/eiere/").status_code == 403
    # The innovator is an editor, not an admin, of Øygarden.
    assert as_innovator.get("/virkemidler/eiere/").status_code == 403


def test_when_an_admin_grants_the_role_for_an_organisation_they_do_not_administer_then_it_is_refused(
    as_leader, owner_organisations, colleague, loaded
):
    response = english(as_leader).post(
        "/virkemidler/eiere/", {"organisation": owner_organisations[catalogue.DIGDIR].pk, "email": colleague.email}
    )
    assert response.status_code == 200
    assert "Select a valid choice." in text(response)
    assert InstrumentOwnerRole.objects.count() == 0


# A project's applications


def test_when_an_editor_records_an_application_then_the_project_and_instrument_pages_show_it(
    as_innovator, innovator, home_municipality, loaded, anonymous
):
    project = make_project(actor=innovator, owner=home_municipality, visibility=Visibility.PUBLIC)
    data = {"use-instrument": "forkommune", "use-year": "2025", "use-outcome": "granted", "use-amount": "1 200 000"}
    response = as_innovator.post(f"/virkemidler/prosjekt/{project.slug}/", data)
    assert response.status_code == 302
    use = InstrumentUse.objects.get()
    assert (use.instrument.slug, use.year, use.outcome, use.amount) == (
        "forkommune",
        2025,
        "granted",
        Decimal(1_200_000),
    )
    assert "FORKOMMUNE" in text(english(as_innovator).get(f"/prosjekter/{project.slug}/"))
    assert project.title in text(english(anonymous).get("/virkemidler/forkommune/"))


def test_when_the_amount_is_invalid_then_nothing_is_recorded(as_innovator, innovator, home_municipality, loaded):
    project = make_project(actor=innovator, owner=home_municipality)
    data = {"use-instrument": "forkommune", "use-year": "2025", "use-outcome": "granted", "use-amount": "-1"}
    html = english(as_innovator).post(f"/virkemidler/prosjekt/{project.slug}/", data).content.decode()
    assert field_error(html, "use-amount") == "The amount cannot be negative."
    assert InstrumentUse.objects.count() == 0


def test_when_an_outsider_records_an_application_then_it_is_refused(
    as_outsider, as_colleague, innovator, home_municipality, loaded
):
    project = make_project(actor=innovator, owner=home_municipality, visibility=Visibility.PUBLIC)
    data = {"use-instrument": "forkommune", "use-year": "2025", "use-outcome": "applied"}
    assert as_outsider.post(f"/virkemidler/prosjekt/{project.slug}/", data).status_code == 403
    assert as_colleague.post(f"/virkemidler/prosjekt/{project.slug}/", data).status_code == 403
    assert InstrumentUse.objects.count() == 0


def test_when_a_project_is_private_then_the_instrument_page_does_not_show_it(
    anonymous, as_colleague, innovator, home_municipality, loaded
):
    project = make_project(
        actor=innovator, owner=home_municipality, title="Hemmelig prosjekt", visibility=Visibility.ORGANISATION
    )
    use_add(project=project, actor=innovator, instrument=loaded["forkommune"], year=2025, outcome="applied")
    assert "Hemmelig prosjekt" not in text(anonymous.get("/virkemidler/forkommune/"))
    assert "Hemmelig prosjekt" in text(as_colleague.get("/virkemidler/forkommune/"))


# Portfolio and exports


def test_when_the_portfolio_is_opened_then_coverage_and_use_are_counted(
    anonymous, innovator, home_municipality, loaded
):
    project = make_project(actor=innovator, owner=home_municipality, visibility=Visibility.PUBLIC)
    use_add(project=project, actor=innovator, instrument=loaded["forkommune"], year=2025, outcome="granted")
    html = english(anonymous).get("/virkemidler/oversikt/").content.decode()
    matrix = html[html.index('id="coverage-phase-offer"') :]
    implemented_row = re.search(r"<th scope=\"row\">Implemented</th>(.*?)</tr>", matrix, re.S).group(1)
    cells = re.findall(r"<td[^>]*>(\d+)</td>", implemented_row)
    # Active instruments in implementation: money 3 (co-financing, welfare technology, budget rule), advice 1,
    # competence 2 (DFØ guides, KS tools), network 2, legal 0, data 0, method 4; 7 instruments in the phase.
    assert cells == ["3", "1", "2", "2", "0", "0", "4", "7"]
    bands = html[html.index('id="use-size-band"') :]
    assert re.search(r"20,000–49,999</th><td>1</td>", bands)  # Øygarden: 39,000 inhabitants


def test_when_the_catalogue_is_exported_then_formulas_are_neutralised(anonymous, loaded):
    Instrument.objects.filter(slug="stimulab").update(status_note='=HYPERLINK("http://x")')
    response = anonymous.get("/virkemidler/eksport/csv/")
    body = b"".join(response.streaming_content).decode()
    assert body.count("\n") == 47
    assert "'=HYPERLINK" in body
    data = anonymous.get("/virkemidler/eksport/json/")
    import json

    records = json.loads(b"".join(data.streaming_content))
    assert len(records) == 46 and {"slug", "owners", "offers"} <= records[0].keys()
    digifin = next(r for r in records if r["slug"] == "digifin")
    assert (digifin["name_nn"], digifin["website"], digifin["website_origin"]) == (
        "Digifin",
        "https://www.ks.no/",
        "owner_home",
    )
    xlsx = anonymous.get("/virkemidler/eksport/xlsx/")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")


def test_when_an_xlsx_export_is_over_the_threshold_then_a_job_makes_it_for_the_visitors_session_only(
    settings, anonymous, loaded
):
    import io

    from django.test import Client
    from openpyxl import load_workbook

    from nyskap.core.jobs.models import BackgroundJob

    settings.BACKGROUND_EXPORT_THRESHOLD = 10
    anonymous.cookies["django_language"] = "en"  # the job's report is written in the language it was started in
    response = anonymous.get("/virkemidler/eksport/xlsx/?offer=money")  # 23 instruments offer money
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/oppgaver/{job.pk}/"
    assert (job.owner, job.kind, job.status, job.rows_done, job.rows_total) == (
        None,
        "instruments.export_xlsx",
        "done",
        23,
        23,
    )
    assert job.back_url == "/virkemidler/?offer=money"
    page = anonymous.get(response["Location"]).content.decode()
    assert "23 of 23 rows" in page and "23 instruments exported." in page
    assert "Only this browser can open this page while you are not signed in." in page
    download = anonymous.get(f"/oppgaver/{job.pk}/fil/")
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).worksheets[0].values)
    assert len(rows) == 24 and rows[0][0] == "slug"
    # Another visitor with the link gets nothing.
    other = Client()
    for path in (f"/oppgaver/{job.pk}/", f"/oppgaver/{job.pk}/fil/"):
        refused = other.get(path)
        assert refused.status_code == 404 and b"PK" not in refused.content[:2]


# More writes and their refusals


def test_when_an_owner_edits_a_call_then_it_is_saved_and_an_outsider_is_refused(
    as_instrument_owner, as_outsider, loaded
):
    call = Call.objects.create(instrument=loaded["stimulab"], title="Runde", opens_on=datetime.date(2026, 1, 1))
    data = {"title": "Runde 1", "opens_on": "2026-01-01", "closes_on": "2026-02-01", "budget": ""}
    assert as_outsider.post(f"/virkemidler/stimulab/utlysninger/{call.pk}/", data).status_code == 403
    call.refresh_from_db()
    assert call.title == "Runde"
    assert as_instrument_owner.post(f"/virkemidler/stimulab/utlysninger/{call.pk}/", data).status_code == 302
    call.refresh_from_db()
    assert (call.title, call.closes_on) == ("Runde 1", datetime.date(2026, 2, 1))
    # A call belongs to its instrument: the same id under another instrument is not found.
    assert as_instrument_owner.get(f"/virkemidler/innovasjonsprisen/utlysninger/{call.pk}/").status_code == 404


def test_when_an_editor_removes_an_application_then_it_is_gone_and_an_outsider_is_refused(
    as_innovator, as_outsider, innovator, home_municipality, loaded
):
    project = make_project(actor=innovator, owner=home_municipality, visibility=Visibility.PUBLIC)
    use = use_add(project=project, actor=innovator, instrument=loaded["ipo"], year=2024, outcome="rejected")
    assert as_outsider.post(f"/virkemidler/prosjekt/{project.slug}/{use.pk}/slett/").status_code == 403
    assert InstrumentUse.objects.count() == 1
    assert as_innovator.post(f"/virkemidler/prosjekt/{project.slug}/{use.pk}/slett/").status_code == 302
    assert InstrumentUse.objects.count() == 0


def test_when_an_admin_revokes_the_owner_role_then_it_is_gone_and_others_are_refused(
    as_operator, as_outsider, instrument_owner, loaded
):
    role = InstrumentOwnerRole.objects.get(user=instrument_owner)
    assert as_outsider.post(f"/virkemidler/eiere/{role.pk}/slett/").status_code == 403
    assert InstrumentOwnerRole.objects.count() == 1
    page = text(as_operator.get("/virkemidler/eiere/"))
    assert "radgiver@digdir.no" in page
    assert as_operator.post(f"/virkemidler/eiere/{role.pk}/slett/").status_code == 302
    assert InstrumentOwnerRole.objects.count() == 0


def test_when_the_year_is_out_of_range_then_nothing_is_recorded(as_innovator, innovator, home_municipality, loaded):
    project = make_project(actor=innovator, owner=home_municipality)
    data = {"use-instrument": "ipo", "use-year": "1850", "use-outcome": "applied"}
    with time_machine.travel(datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC)):
        html = english(as_innovator).post(f"/virkemidler/prosjekt/{project.slug}/", data).content.decode()
    assert field_error(html, "use-year") == "Enter a year between 1990 and 2027."
    assert InstrumentUse.objects.count() == 0


def test_when_demo_calls_are_added_then_they_are_marked_as_examples(loaded, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.DEBUG = True
    call_command("demo_calls", stdout=StringIO())
    call_command("demo_calls", stdout=StringIO())
    assert Call.objects.count() == 5
    assert set(Call.objects.values_list("is_example", flat=True)) == {True}


def test_when_the_catalogue_is_listed_then_the_query_count_is_fixed(anonymous, loaded, django_assert_max_num_queries):
    anonymous.get("/virkemidler/")  # warm the session and content-type caches
    with django_assert_max_num_queries(3):  # count, the page of instruments, their owners
        assert anonymous.get("/virkemidler/?page=1").status_code == 200


def test_when_the_matcher_api_is_called_then_the_query_count_is_fixed(client, loaded, django_assert_max_num_queries):
    url = "/api/v1/instruments/match?kind=municipality&needs=money&include_excluded=true"
    with django_assert_max_num_queries(4):  # catalogue state, catalogue (first time only), open calls, owners
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(3):  # the catalogue itself now comes from the cache
        assert client.get(url).status_code == 200


# Names in three languages and the owner's page


def owner_page(response) -> str:
    match = re.search(r'<dd id="owner-page">(.*?)</dd>', text(response))
    return match.group(1).strip() if match else ""


def test_when_an_instrument_page_is_opened_then_the_owners_home_page_is_linked_and_called_so(anonymous, loaded):
    response = english(anonymous).get("/virkemidler/digifin/")
    assert response.status_code == 200
    assert "<dt>The owner's page</dt>" in text(response)
    assert owner_page(response) == (
        '<a class="ds-link" href="https://www.ks.no/" rel="external">https://www.ks.no/</a> <br>'
        '<span class="source-text">This is the owner\'s home page: the source names no page for the instrument.</span>'
    )


def test_when_the_source_names_the_page_then_the_instrument_page_says_so(anonymous, loaded):
    response = english(anonymous).get("/virkemidler/stimulab/")
    assert owner_page(response) == (
        '<a class="ds-link" href="https://www.digdir.no/788" rel="external">https://www.digdir.no/788</a> <br>'
        '<span class="source-text">The address is named in the source.</span>'
    )


def test_when_an_owner_changed_the_link_then_the_page_says_the_owner_gave_it(anonymous, loaded, operator):
    from nyskap.instruments.services import instrument_update

    instrument_update(instrument=loaded["digifin"], actor=operator, website="https://www.ks.no/digifin/")
    response = english(anonymous).get("/virkemidler/digifin/")
    assert 'href="https://www.ks.no/digifin/"' in owner_page(response)
    assert "Given by the instrument's owner." in owner_page(response)


def test_when_the_owner_edit_form_changes_the_link_then_its_origin_becomes_the_owner(as_instrument_owner, loaded):
    form = as_instrument_owner.get("/virkemidler/medfinansiering/rediger/").content.decode()
    assert 'value="https://www.digdir.no/"' in form
    assert 'value="Medfinansieringsordninga"' in form
    data = {"name_nb": "Medfinansieringsordningen", "name_nn": "Medfinansieringsordninga", "status": "active"}
    same = as_instrument_owner.post(
        "/virkemidler/medfinansiering/rediger/", {**data, "website": "https://www.digdir.no/"}
    )
    assert same.status_code == 302
    assert Instrument.objects.get(slug="medfinansiering").website_origin == "source"
    url = "https://www.digdir.no/finansiering/medfinansieringsordningen/"
    changed = as_instrument_owner.post("/virkemidler/medfinansiering/rediger/", {**data, "website": url})
    assert changed.status_code == 302
    stored = Instrument.objects.get(slug="medfinansiering")
    assert (stored.website, stored.website_origin, stored.name_nn) == (url, "owner", "Medfinansieringsordninga")


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("nb", "Medfinansieringsordningen"),
        ("nn", "Medfinansieringsordninga"),
        ("en", "Co-financing scheme for digitalisation projects"),
    ],
)
def test_when_the_page_is_read_in_each_language_then_the_name_is_in_that_language(anonymous, loaded, language, heading):
    anonymous.cookies["django_language"] = language
    response = anonymous.get("/virkemidler/medfinansiering/")
    assert f'<h1 class="ds-heading" data-size="lg">{heading}</h1>' in text(response)


def test_when_a_university_or_a_regional_health_trust_asks_the_matcher_then_the_state_rules_treat_them_apart(
    anonymous, loaded, owner_organisations
):
    ntnu = owner_organisations[catalogue.NTNU]
    helse_nord = OrganisationFactory(
        name="Helse Nord RHF", kind=OrganisationKind.REGIONAL_HEALTH_TRUST, county=None, population=None
    )
    url = "/virkemidler/finn/?phase=develop_test&needs=money&organisation={}&show_excluded=on"
    page = text(anonymous.get(url.format(ntnu.slug)))
    ranked = page[page.index('id="ranked-results"') : page.index('id="excluded-heading"')]
    assert "Medfinansieringsordningen" in ranked
    assert "Universiteter og høgskoler kan søke." in ranked
    page = text(anonymous.get(url.format(helse_nord.slug)))
    excluded = page[page.index('id="excluded-results"') :]
    co_financing = excluded[excluded.index("Medfinansieringsordningen") :][:400]
    assert "Ordningen er for statlige virksomheter, ikke for regionale helseforetak." in co_financing
