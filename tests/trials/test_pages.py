"""The trial pages: the overview (facets, search, overdue), a trial's page, the forms and the transitions, in nb, nn
and en; a trial that is not public is seen only by its owners (an outsider gets 404)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from nyskap.core.search.models import SearchDocument
from nyskap.core.visibility import Visibility
from nyskap.trials import selectors, services
from nyskap.trials.models import Amendment, Result, Trial, TrialStatus

from ..helpers import file_via_job
from .factories import make_trial, run_to_end

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading", "not_given"),
    [
        ("nb", "Forsøk", "Ikke oppgitt i kilden"),
        ("nn", "Forsøk", "Ikkje oppgitt i kjelda"),
        ("en", "Trials", "Not given in the source"),
    ],
)
def test_the_pages_speak_nb_nn_and_en(client, innovator, home_municipality, language, heading, not_given):
    trial = make_trial(actor=innovator, owner=home_municipality, hypothesis="")
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    listing = client.get("/forsok/", **headers)
    assert listing.status_code == 200
    assert f'<h1 class="ds-heading" data-size="lg">{heading}</h1>' in listing.content.decode()
    detail = client.get(f"/forsok/{trial.slug}/", **headers)
    assert detail.status_code == 200
    assert not_given in detail.content.decode()


def test_a_trial_that_is_not_public_is_seen_only_by_its_owners(
    client, as_colleague, as_outsider, innovator, home_municipality
):
    trial = make_trial(
        actor=innovator, owner=home_municipality, title="Internt forsøk", visibility=Visibility.ORGANISATION
    )
    assert client.get(f"/forsok/{trial.slug}/").status_code == 404
    assert as_outsider.get(f"/forsok/{trial.slug}/").status_code == 404
    assert as_colleague.get(f"/forsok/{trial.slug}/").status_code == 200
    assert "Internt forsøk" not in client.get("/forsok/").content.decode()
    assert "Internt forsøk" not in as_outsider.get("/forsok/").content.decode()
    assert "Internt forsøk" in as_colleague.get("/forsok/").content.decode()
    # Nor is it exported.
    assert "Internt forsøk" not in as_colleague.get("/forsok/eksport/forsok.csv").getvalue().decode()


def test_an_outsider_cannot_edit_or_move_a_trial(as_outsider, innovator, home_municipality):
    trial = make_trial(actor=innovator, owner=home_municipality)
    assert as_outsider.get(f"/forsok/{trial.slug}/rediger/").status_code == 403
    assert as_outsider.post(f"/forsok/{trial.slug}/status/preregister/").status_code == 403
    assert Trial.objects.get(pk=trial.pk).status == TrialStatus.PLANNED


def test_facets_count_and_filter_and_the_search_finds_the_hypothesis(client, innovator, home_municipality):
    make_trial(actor=innovator, owner=home_municipality, title="SMS-påminnelse")
    make_trial(
        actor=innovator,
        owner=home_municipality,
        title="Fritt brukervalg",
        kind="forsoksloven",
        hypothesis="Brukervalg i hjemmetjenesten gir mer tilfredse brukere.",
    )
    page = client.get("/forsok/").content.decode()
    assert "Pilot (1)" in page
    assert "Forsøk etter forsøksloven (1)" in page
    filtered = client.get("/forsok/?kind=forsoksloven").content.decode()
    assert "Fritt brukervalg" in filtered and "SMS-påminnelse" not in filtered
    found = client.get("/forsok/?q=hjemmetjenesten").content.decode()
    assert "Fritt brukervalg" in found and "SMS-påminnelse" not in found


def test_the_search_finds_a_trial_by_its_kind_owners_and_partners(innovator, home_municipality, other_municipality):
    """What the trial's page shows beside its texts is searched too: its kind in both written standards, its
    owners and partners (none of these words is in the trials' texts)."""
    lab = make_trial(actor=innovator, owner=home_municipality, title="Tjenestedesign med brukerne", kind="lab")
    pilot = make_trial(actor=innovator, owner=home_municipality, title="Nudging i skolen")
    by_law = make_trial(actor=innovator, owner=home_municipality, title="Ventetid på NAV", kind="sector_law")
    services.trial_update(actor=innovator, trial=pilot, fields={}, partners=[other_municipality])

    def found(query: str) -> list[int]:
        return list(selectors.filtered(None, {}, query).values_list("pk", flat=True))

    assert found("lab") == found("laboratorium") == [lab.pk]
    assert found("forsøkshjemmel") == found("forsøksheimel") == [by_law.pk]  # "Forsøkshjemmel i særlov", nb and nn
    assert found("Bodø") == [pilot.pk]
    assert set(found("Øygarden")) == {lab.pk, pilot.pk, by_law.pk}


def test_an_overdue_trial_is_marked(client, innovator, home_municipality):
    today = timezone.localdate()
    trial = make_trial(
        actor=innovator,
        owner=home_municipality,
        starts_on=today - datetime.timedelta(days=300),
        ends_on=today - datetime.timedelta(days=3),
    )
    run_to_end(trial, innovator)
    assert "Forsinket" in client.get(f"/forsok/{trial.slug}/").content.decode()
    assert "Forsinket" in client.get("/forsok/?overdue=1").content.decode()


def test_register_preregister_amend_enter_counts_and_decide_through_the_pages(as_innovator, home_municipality):
    form = {
        "title": "Nudging i skolen",
        "kind": "pilot",
        "owners": ["oygarden"],
        "hypothesis": "Påminnelser gir mindre fravær.",
        "intervention": "SMS til foreldre.",
        "primary_outcome": "Fravær over 10 %",
        "design": "cluster_rct",
        "planned_sample_size": "600",
        "analysis_plan": "Klyngenivå.",
        "starts_on": "2025-01-01",
        "ends_on": "2025-12-31",
        "visibility": "public",
    }
    response = as_innovator.post("/forsok/ny/", form)
    assert response.status_code == 302
    trial = Trial.objects.get()
    assert response["Location"] == f"/forsok/{trial.slug}/"
    assert as_innovator.post(f"/forsok/{trial.slug}/status/preregister/").status_code == 302
    trial.refresh_from_db()
    assert trial.status == TrialStatus.PREREGISTERED
    page = as_innovator.get(f"/forsok/{trial.slug}/").content.decode()
    assert trial.registration.fingerprint in page
    # Amending without a reason is refused at the field and keeps what was typed.
    refused = as_innovator.post(f"/forsok/{trial.slug}/rediger/", {**form, "planned_sample_size": "700"})
    assert refused.status_code == 400
    assert "si hvorfor den endres" in refused.content.decode()
    assert 'value="700"' in refused.content.decode()
    assert Amendment.objects.count() == 0
    amended = as_innovator.post(
        f"/forsok/{trial.slug}/rediger/", {**form, "planned_sample_size": "700", "amendment_reason": "Flere skoler."}
    )
    assert amended.status_code == 302
    assert "Flere skoler." in as_innovator.get(f"/forsok/{trial.slug}/").content.decode()
    for action in ("approve", "start", "end"):
        assert as_innovator.post(f"/forsok/{trial.slug}/status/{action}/").status_code == 302
    counts = {
        "kind": "counts",
        "counts-outcome": "Fravær over 10 %",
        "counts-label_1": "SMS",
        "counts-events_1": "120",
        "counts-n_1": "400",
        "counts-label_2": "Ingen SMS",
        "counts-events_2": "90",
        "counts-n_2": "410",
    }
    assert as_innovator.post(f"/forsok/{trial.slug}/resultater/", counts).status_code == 302
    results_page = as_innovator.get(f"/forsok/{trial.slug}/resultater/").content.decode()
    assert "Forskjell: 8,0 prosentpoeng (95 % intervall 2,0 til 14,0)." in results_page
    assert as_innovator.post(f"/forsok/{trial.slug}/resultater/rapporter/", {"result_summary": ""}).status_code == 302
    refused = as_innovator.post(f"/forsok/{trial.slug}/beslutning/", {"decision": "spread"})
    assert refused.status_code == 400
    decided = as_innovator.post(
        f"/forsok/{trial.slug}/beslutning/",
        {"decision": "spread", "decision_reason": "Virket.", "lessons": "Send tidlig på dagen."},
    )
    assert decided.status_code == 302
    trial.refresh_from_db()
    assert (trial.status, trial.decision) == (TrialStatus.DECIDED, "spread")


def post_units(client, trial, rows: str, *, icc: str = "", outcome_type: str = "binary", **extra):
    return client.post(
        f"/forsok/{trial.slug}/resultater/",
        {
            "kind": "units",
            "units-outcome": "Møtte",
            "units-outcome_type": outcome_type,
            "units-icc": icc,
            "units-file": SimpleUploadedFile("rader.csv", rows.encode(), content_type="text/csv"),
        },
        **extra,
    )


def units_job(response):
    """The one job the upload queued, which the answer sends the user to (the test settings run it at once)."""
    from nyskap.core.jobs.models import BackgroundJob

    job = BackgroundJob.objects.order_by("-created_at").first()
    assert response.status_code == 302, response.status_code
    assert response["Location"] == f"/oppgaver/{job.pk}/"
    return job


def test_an_upload_with_a_bad_cell_names_row_and_column_and_saves_nothing(as_innovator, innovator, home_municipality):
    trial = run_to_end(make_trial(actor=innovator, owner=home_municipality), innovator)
    job = units_job(post_units(as_innovator, trial, "arm;outcome\nA;1\nB;x\nB;2\n;0\n"))
    assert (job.kind, job.status, job.rows_done, job.rows_total) == ("trials.result_units", "failed", 4, 4)
    assert job.problems == [
        "Rad 3, kolonne «outcome»: skriv et tall.",
        "Rad 4, kolonne «outcome»: et ja/nei-utfall er 0 eller 1.",
        "Rad 5, kolonne «arm»: oppgi armen.",
    ]
    assert Result.objects.count() == 0
    page = as_innovator.get(f"/oppgaver/{job.pk}/").content.decode()
    assert "Rad 3, kolonne «outcome»: skriv et tall." in page
    assert f'href="/forsok/{trial.slug}/resultater/"' in page


def test_a_control_character_in_a_unit_row_is_refused_with_its_row_and_column_and_nothing_is_saved(
    as_innovator, innovator, home_municipality
):
    trial = run_to_end(make_trial(actor=innovator, owner=home_municipality), innovator)
    job = units_job(post_units(as_innovator, trial, "arm;outcome;cluster\nA\x00;1;k1\nB;0;k\x0b2\nB;1;k3\n"))
    assert job.status == "failed"
    assert [problem.split(":")[0] for problem in job.problems] == ["Rad 2, kolonne arm", "Rad 3, kolonne cluster"]
    assert "U+0000" in job.problems[0] and "U+000B" in job.problems[1]
    assert Result.objects.count() == 0


def test_a_unit_upload_runs_in_the_background_and_its_page_leads_to_the_result(
    as_innovator, innovator, home_municipality
):
    trial = run_to_end(make_trial(actor=innovator, owner=home_municipality), innovator)
    rows = (
        "arm;outcome\n"
        + "".join(f"SMS;{i % 2}\n" for i in range(60))
        + "".join(f"Brev;{i % 3 == 0:d}\n" for i in range(60))
    )
    job = units_job(post_units(as_innovator, trial, rows + ";\n"))
    assert (job.status, job.owner, job.rows_done, job.rows_total) == ("done", innovator, 121, 121)
    assert job.params == {"trial": trial.pk, "outcome": "Møtte", "outcome_type": "binary", "icc": None}
    assert not job.input_file  # the uploaded file is not kept
    result = Result.objects.get()
    assert (result.trial, result.outcome, result.kind, len(result.inputs["rows"])) == (trial, "Møtte", "units", 120)
    assert result.inputs["arms"] == ["SMS", "Brev"]
    page = as_innovator.get(f"/oppgaver/{job.pk}/").content.decode()
    assert "Resultatet «Møtte» er lagret, fra 120 enheter." in page
    assert f'<a class="ds-link" href="/forsok/{trial.slug}/resultater/">Resultater: {trial.title}</a>' in page
    # 30/60 met in the SMS arm, 20/60 with letters: the estimate on the results page is computed from the rows.
    results_page = as_innovator.get(f"/forsok/{trial.slug}/resultater/").content.decode()
    assert "Forskjell: 16,7 prosentpoeng" in results_page


def test_what_needs_no_file_is_refused_on_the_page_and_nothing_is_queued(
    as_innovator, as_outsider, innovator, home_municipality
):
    from nyskap.core.jobs.models import BackgroundJob

    planned = make_trial(actor=innovator, owner=home_municipality)
    refused = post_units(as_innovator, planned, "arm;outcome\nA;1\nB;0\n")
    assert refused.status_code == 400
    assert "Resultater krever en forhåndsregistrert plan." in refused.content.decode()
    running = run_to_end(make_trial(actor=innovator, owner=home_municipality, title="Annet"), innovator)
    assert post_units(as_innovator, running, "arm;outcome\nA;1\nB;0\n", icc="2").status_code == 400
    assert post_units(as_outsider, running, "arm;outcome\nA;1\nB;0\n").status_code == 403
    assert (BackgroundJob.objects.count(), Result.objects.count()) == (0, 0)


def test_when_the_trial_has_moved_back_before_the_job_runs_then_the_job_refuses_and_saves_nothing(
    innovator, home_municipality
):
    import io

    from nyskap.trials import jobs

    trial = run_to_end(make_trial(actor=innovator, owner=home_municipality), innovator)
    # Between the page's check and the job, the trial is set back (by another editor, or by an operator).
    Trial.objects.filter(pk=trial.pk).update(status=TrialStatus.PLANNED)
    job = jobs.result_units_start(
        actor=innovator,
        trial=trial,
        upload=io.BytesIO(b"arm;outcome\nA;1\nB;0\n"),
        filename="rader.csv",
        outcome="Møtte",
        outcome_type="continuous",
        icc=None,
    )
    job.refresh_from_db()
    assert (job.status, job.problems) == ("failed", ["Resultater legges inn når forsøket er i gang."])
    assert Result.objects.count() == 0


def test_the_export_is_csv_with_bom_and_semicolons(client, innovator, home_municipality):
    make_trial(actor=innovator, owner=home_municipality, title="=HYPERLINK(1)")
    body = client.get("/forsok/eksport/forsok.csv").getvalue().decode("utf-8")
    assert body.startswith('\ufeff"Tittel";')
    assert '"\'=HYPERLINK(1)"' in body
    xlsx = client.get("/forsok/eksport/forsok.xlsx")
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_when_more_trials_than_the_threshold_are_exported_then_the_xlsx_is_made_in_the_background(
    settings, client, innovator, home_municipality
):
    import io

    from openpyxl import load_workbook

    from nyskap.core.jobs.models import BackgroundJob

    for title in ("Brev A", "Brev B", "Brev C"):
        make_trial(actor=innovator, owner=home_municipality, title=title)
    make_trial(actor=innovator, owner=home_municipality, title="Utkast", visibility=Visibility.DRAFT)
    settings.BACKGROUND_EXPORT_THRESHOLD = 2
    download = file_via_job(client, "/forsok/eksport/forsok.xlsx?q=brev")
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    titles = sorted(row[0] for row in list(workbook.worksheets[0].values)[1:])
    assert titles == ["Brev A", "Brev B", "Brev C"]  # the draft is never exported
    job = BackgroundJob.objects.get()
    assert (job.kind, job.status, job.rows_done, job.rows_total) == ("trials.export_xlsx", "done", 3, 3)
    assert job.back_url == "/forsok/?q=brev"
    # The file belongs to the visitor's own session: another visitor with the link gets nothing.
    assert Client().get(f"/oppgaver/{job.pk}/fil/").status_code == 404
    settings.BACKGROUND_EXPORT_THRESHOLD = 3  # three trials: not more than the threshold, served at once
    assert client.get("/forsok/eksport/forsok.xlsx?q=brev").status_code == 200
    assert BackgroundJob.objects.count() == 1


def test_the_page_shows_the_plan_as_a_word_diff_against_the_registered_version(client, innovator, home_municipality):
    trial = make_trial(actor=innovator, owner=home_municipality, hypothesis="SMS dagen før gir færre uteblitte timer.")
    services.preregister(actor=innovator, trial=trial)
    services.trial_update(
        actor=innovator,
        trial=trial,
        fields={"hypothesis": "SMS to dager før gir færre uteblitte timer."},
        amendment_reason="Tidligere varsel.",
    )
    services.trial_update(
        actor=innovator, trial=trial, fields={"design": "cluster_rct"}, amendment_reason="Skoler trekkes."
    )
    page = client.get(f"/forsok/{trial.slug}/").content.decode()
    assert "Endringer siden forhåndsregistreringen" in page
    # Both amendments against the registered plan, word by word.
    assert "<dt>Hypotese</dt><dd>SMS <del>dagen</del><ins>to dager</ins> før gir færre uteblitte timer.</dd>" in page
    assert "<dt>Design</dt><dd>Randomisert, <del>enkeltpersoner</del><ins>grupper (klynger)</ins></dd>" in page
    registered = Trial.objects.get(pk=trial.pk).registration.plan
    assert selectors.diff_since_registration(registered, registered) == []


def test_clustered_rows_with_an_icc_use_the_design_effect_and_say_why_in_the_readers_language(
    as_innovator, innovator, home_municipality
):
    trial = run_to_end(make_trial(actor=innovator, owner=home_municipality), innovator)
    rows = "arm;outcome;cluster\n" + "".join(
        f"{arm};{(i + j) % 2};{arm}{j}\n" for arm in ("A", "B") for j in range(3) for i in range(4)
    )
    assert post_units(as_innovator, trial, rows, icc="1.5").status_code == 400  # the form's bound, nothing queued
    assert Result.objects.count() == 0
    assert units_job(post_units(as_innovator, trial, rows, icc="0.1")).status == "done"
    assert Result.objects.get().inputs["icc"] == 0.1
    page = as_innovator.get(f"/forsok/{trial.slug}/").content.decode()
    assert "intervallet er gjort bredere med designeffekten 1 + (m − 1) × ICC" in page
    assert units_job(post_units(as_innovator, trial, rows)).status == "done"
    assert "icc" not in Result.objects.order_by("pk")[1].inputs
    page = as_innovator.get(f"/forsok/{trial.slug}/").content.decode()
    assert "Anslaget er gjort på klyngenivå." in page


def test_the_decision_names_the_projects_that_adopted_the_result(as_innovator, innovator, home_municipality):
    from ..projects.factories import make_project

    adopter = make_project(actor=innovator, owner=home_municipality, title="SMS i tannhelsen", visibility="public")
    hidden = make_project(actor=innovator, owner=home_municipality, title="Utkast")
    trial = run_to_end(make_trial(actor=innovator, owner=home_municipality), innovator)
    services.report_results(actor=innovator, trial=trial, summary="Færre uteblitte.")
    decision = {"decision": "spread", "decision_reason": "Virket.", "lessons": "Send tidlig."}
    refused = as_innovator.post(f"/forsok/{trial.slug}/beslutning/", {**decision, "adopted_by": "finnes-ikke"})
    assert refused.status_code == 400
    assert "Ingen prosjekter du kan se, har adressenavnet «finnes-ikke»." in refused.content.decode()
    assert Trial.objects.get(pk=trial.pk).status == TrialStatus.RESULTS_REPORTED
    decided = as_innovator.post(
        f"/forsok/{trial.slug}/beslutning/", {**decision, "adopted_by": f"{adopter.slug}\n{hidden.slug}"}
    )
    assert decided.status_code == 302
    assert sorted(Trial.objects.get(pk=trial.pk).adopted_by.values_list("title", flat=True)) == [
        "SMS i tannhelsen",
        "Utkast",
    ]
    # A visitor sees the public adopter only.
    page = Client().get(f"/forsok/{trial.slug}/").content.decode()
    assert f'Tatt i bruk av: <a class="ds-link" href="/prosjekter/{adopter.slug}/">SMS i tannhelsen</a></p>' in page
    assert "Utkast" not in page


def test_the_not_pre_registered_label_is_in_the_list_the_export_and_the_api(client, innovator, home_municipality):
    trial = make_trial(actor=innovator, owner=home_municipality, title="Uten plan")
    services.mark_not_preregistered(actor=innovator, trial=trial)
    make_trial(actor=innovator, owner=home_municipality, title="Med plan")
    assert client.get("/forsok/").content.decode().count("Ikke forhåndsregistrert") == 1
    lines = client.get("/forsok/eksport/forsok.csv").getvalue().decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    column = header.index('"Ikke forhåndsregistrert"')
    rows = {line.split(";")[0]: line.split(";")[column] for line in lines[1:]}
    assert rows == {'"Uten plan"': '"Ja"', '"Med plan"': '""'}
    api = {item["title"]: item["not_preregistered"] for item in client.get("/api/v1/trials").json()["results"]}
    assert api == {"Uten plan": True, "Med plan": False}


def test_an_editor_adds_an_exemption_and_an_outsider_cannot(as_innovator, as_outsider, innovator, home_municipality):
    trial = make_trial(actor=innovator, owner=home_municipality, kind="forsoksloven")
    url = f"/forsok/{trial.slug}/unntak/"
    refused = as_innovator.post(url, {"rule": " ", "reason": "x"})
    assert refused.status_code == 400
    assert 'id="id_rule_error"' in refused.content.decode()
    # A post with no fields at all (every field left out) names the missing ones too, not a blank form.
    empty = as_innovator.post(url, {})
    assert empty.status_code == 400
    assert 'id="id_rule_error"' in empty.content.decode()
    assert as_outsider.post(url, {"rule": "Kommuneloven § 5-1"}).status_code == 403
    assert trial.exemptions.count() == 0
    added = as_innovator.post(url, {"rule": "Kommuneloven § 5-1", "reason": "Direkte valg.", "for_whom": "Ordføreren"})
    assert added.status_code == 302
    assert list(trial.exemptions.values_list("rule", "reason", "for_whom")) == [
        ("Kommuneloven § 5-1", "Direkte valg.", "Ordføreren")
    ]
    page = as_innovator.get(f"/forsok/{trial.slug}/").content.decode()
    assert "<li>Kommuneloven § 5-1 (Ordføreren): Direkte valg.</li>" in page


def test_the_area_and_what_has_come_of_a_trial_are_data_in_the_export_and_the_api(client, innovator, home_municipality):
    """The overview's area and outcome facets are in the downloads and the API too, so a reader can count them."""
    estimated = run_to_end(
        make_trial(actor=innovator, owner=home_municipality, title="Med tall", area="Helse"), innovator
    )
    services.result_add_counts(
        actor=innovator, trial=estimated, outcome="Møtte", arms=[("SMS", 80, 100), ("Ingen", 70, 100)]
    )
    worded = run_to_end(make_trial(actor=innovator, owner=home_municipality, title="Med ord"), innovator)
    services.report_results(actor=innovator, trial=worded, summary="Færre uteblitte.")
    make_trial(actor=innovator, owner=home_municipality, title="Uten resultat", area="Skole")
    lines = client.get("/forsok/eksport/forsok.csv").getvalue().decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    area, outcome = header.index('"Område"'), header.index('"Utfall"')
    rows = {cells[0]: (cells[area], cells[outcome]) for cells in (line.split(";") for line in lines[1:])}
    assert rows == {
        '"Med tall"': ('"Helse"', '"Resultater lagt inn som data (effektestimat)"'),
        '"Med ord"': ('""', '"Resultater bare i ord"'),
        '"Uten resultat"': ('"Skole"', '"Ingen resultater ennå"'),
    }
    api = {t["title"]: (t["area"], t["outcome"]) for t in client.get("/api/v1/trials").json()["results"]}
    assert api == {"Med tall": ("Helse", "estimated"), "Med ord": ("", "summary"), "Uten resultat": ("Skole", "none")}
    detail = client.get(f"/api/v1/trials/{estimated.slug}").json()
    assert (detail["area"], detail["outcome"]) == ("Helse", "estimated")


def test_reindex_trials_rebuilds_every_trials_search_document(innovator, home_municipality):
    trial = make_trial(actor=innovator, owner=home_municipality, title="Tjenestedesign med brukerne", kind="lab")
    SearchDocument.objects.all().delete()
    assert not selectors.filtered(None, {}, "Øygarden").exists()
    out = io.StringIO()
    call_command("reindex_trials", stdout=out)
    assert "Re-indexed 1 trials." in out.getvalue()
    assert list(selectors.filtered(None, {}, "Øygarden lab")) == [trial]
