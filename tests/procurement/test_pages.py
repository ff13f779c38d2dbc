"""The statistics page and the operators' import page."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nyskap.core.jobs.models import BackgroundJob, JobStatus
from nyskap.procurement.models import ImportRun, Notice
from nyskap.procurement.services import NoticeFile, notices_import

FIXTURES = Path(__file__).parent / "fixtures"
URL = "/anskaffelser/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def notices():
    paths = sorted((FIXTURES / "eforms").glob("*.xml"))
    notices_import(files=[NoticeFile(p.name, io.BytesIO(p.read_bytes())) for p in paths])


def test_statistics_count_competitions_with_the_share_and_the_white_paper_line(anonymous, notices):
    response = anonymous.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    stats = response.context["stats"]
    # 22 competitions among the 24 eForms fixtures (one award, one prior information notice).
    assert (stats["total"].total, stats["total"].innovation, stats["total"].friendly) == (22, 11, 4)
    html = response.content.decode()
    assert "about 1.0 % of the competitions" in html or "about 1 % of the competitions" in html
    assert "Meld. St. 30 (2019–2020)" in html
    assert 'id="by-year"' in html and 'id="by-county"' in html and "<svg" in html


def test_filters_narrow_the_counts_without_javascript(anonymous, notices):
    response = anonymous.get(URL, {"year": "2019", "procedure": "comp-dial"})
    assert response.status_code == 200
    assert response.context["stats"]["total"].total == 1
    assert response.context["stats"]["total"].innovation == 1


def test_unknown_filter_value_is_400_with_the_form_kept(anonymous, notices):
    response = anonymous.get(URL, {"year": "1700", "procedure": "lottery"})
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"year", "procedure"}
    assert response.context["stats"]["total"].total == 22


def test_chart_downloads_as_csv(anonymous, notices):
    response = anonymous.get(URL, {"diagram": "competitions-by-procedure", "format": "csv"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert b"Open procedure" in response.content


def test_statistics_take_a_fixed_number_of_queries(anonymous, notices):
    anonymous.get(URL)  # the county names are read once per process
    with CaptureQueriesContext(connection) as queries:
        anonymous.get(URL)
    first = len(queries)
    notices_import(
        files=[NoticeFile("more.json", io.BytesIO((FIXTURES / "ocds" / "release-package.json").read_bytes()))]
    )
    with CaptureQueriesContext(connection) as queries:
        anonymous.get(URL)
    assert len(queries) == first + 2  # the import rebuilt the tallies: the years and the demo flag are read again
    with CaptureQueriesContext(connection) as queries:
        anonymous.get(URL)
    assert len(queries) == first


def test_the_years_of_the_filter_follow_each_import(anonymous, notices):
    from nyskap.procurement.selectors import years

    before = years()
    assert anonymous.get(URL).status_code == 200
    Notice.objects.filter(kind="competition").update(year=1999)
    assert years() == before  # the tallies are what the page counts, and they change with an import
    notices_import(
        files=[NoticeFile("more.json", io.BytesIO((FIXTURES / "ocds" / "release-package.json").read_bytes()))]
    )
    assert years()[0] == 1999
    assert b'<option value="1999">1999</option>' in anonymous.get(URL).content


def test_synthetic_data_is_labelled(anonymous, notices):
    Notice.objects.filter(notice_id__startswith="FIX-001").update(synthetic=True)
    response = anonymous.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert b"synthetic notices generated for the demo" in response.content


def upload(client, path: Path, **headers):
    file = SimpleUploadedFile(path.name, path.read_bytes())
    return client.post(reverse("procurement:imports"), {"notice_file": file}, **headers)


def test_operator_imports_a_file_as_a_background_job_counting_every_notice(as_operator, operator):
    response = upload(as_operator, FIXTURES / "ocds" / "release-package.json")
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response.url == f"/oppgaver/{job.pk}/"
    assert (job.owner, job.kind, job.status, job.rows_done, job.rows_total) == (
        operator,
        "procurement.import",
        JobStatus.DONE,
        16,
        16,
    )
    run = ImportRun.objects.get()
    assert Notice.objects.count() == 16 and run.created_by == operator
    assert job.report == {
        "created": [
            {
                "title": "Importen av release-package.json: kunngjøringene og klassene deres",
                "url": reverse("procurement:import_detail", args=[run.pk]),
            }
        ],
        "problems": [],
        "summary": "Importerte 16 kunngjøringer (0 fantes fra før).",
    }
    page = as_operator.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "16 of 16 rows" in page
    assert job.back_url == reverse("procurement:imports")
    assert not job.input_file  # the uploaded file is deleted when the job has run


def test_the_job_reports_in_the_language_of_the_operator_who_started_it(as_operator):
    response = upload(as_operator, FIXTURES / "ocds" / "release-package.json", HTTP_ACCEPT_LANGUAGE="en")
    job = BackgroundJob.objects.get(pk=response.url.split("/")[2])
    run = ImportRun.objects.get()
    assert job.report == {
        "created": [
            {
                "title": "The import of release-package.json: its notices and their classes",
                "url": reverse("procurement:import_detail", args=[run.pk]),
            }
        ],
        "problems": [],
        "summary": "Imported 16 notices (0 were already there).",
    }
    again = upload(as_operator, FIXTURES / "ocds" / "release-package.json", HTTP_ACCEPT_LANGUAGE="nn")
    job = BackgroundJob.objects.get(pk=again.url.split("/")[2])
    assert job.report["summary"] == "Importerte 0 kunngjeringar (16 fanst frå før)."


def test_refused_file_fails_the_job_with_every_problem_at_its_position_and_writes_nothing(as_operator):
    response = upload(as_operator, FIXTURES / "malformed" / "wrong-types.json", HTTP_ACCEPT_LANGUAGE="en")
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response.url == f"/oppgaver/{job.pk}/"
    assert job.status == JobStatus.FAILED
    assert job.report["problems"] == WRONG_TYPES_PROBLEMS
    assert (job.rows_done, job.rows_total) == (6, 6)  # five bad releases and a good one, every one checked
    assert not ImportRun.objects.exists() and not Notice.objects.exists()
    page = as_operator.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"The file has {len(WRONG_TYPES_PROBLEMS)} problems. Nothing was imported." in page
    assert "wrong-types.json, notice 3, field releases.2.tender.procurementMethodDetails" in page


WRONG_TYPES_PROBLEMS = [
    "wrong-types.json, notice 2, field releases.1.tender: Expected an object.",
    "wrong-types.json, notice 3, field releases.2.tender.procurementMethodDetails: Unknown procedure type “lottery” "
    "(BT-105: open, restricted, neg-w-call, neg-wo-call, comp-dial, innovation, comp-tend, oth-single, oth-mult).",
    "wrong-types.json, notice 4, field releases.3.tender.items.0.classification.id: Expected a CPV code as text.",
    "wrong-types.json, notice 5, field releases.4.date: “yesterday” is not a date (YYYY-MM-DD).",
    "wrong-types.json, notice 6, field releases.5.tender.innovativeAcquisition: Unknown innovative procurement code "
    "“shiny” (BT-776: buy-eff, fp-requ, mar-nov, org-nov, proc-innov, prod-innov, rd-act, other).",
]


def test_import_without_a_file_is_400_at_the_field(as_operator):
    response = as_operator.post(reverse("procurement:imports"), {})
    assert response.status_code == 400
    assert "notice_file" in response.context["form"].errors


def test_outsider_is_refused_the_import(as_outsider):
    response = upload(as_outsider, FIXTURES / "ocds" / "release-package.json")
    assert response.status_code == 403
    assert not ImportRun.objects.exists() and not Notice.objects.exists() and not BackgroundJob.objects.exists()


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"year": 2024},
        {"notice_class": "innovation"},
        {"procedure": "open"},
        {"county_number": "03", "year": 2024},
        {"cpv_division": "72", "notice_class": "other"},
        {"year": 1999},  # nothing matches
    ],
)
def test_tallies_give_the_same_counts_as_the_notices(notices, filters):
    from django.db.models import Count, Q
    from django.db.models.functions import Cast

    from nyskap.procurement.selectors import competitions, statistics

    def counted(field):
        grouped = (
            competitions(filters)
            .annotate(key=Cast(field, models.CharField()) if field == "year" else models.F(field))
            .values("key")
            .annotate(
                total=Count("pk"),
                innovation=Count("pk", filter=Q(notice_class="innovation")),
                friendly=Count("pk", filter=Q(notice_class="innovation_friendly")),
            )
        )
        return {row["key"]: (row["total"], row["innovation"], row["friendly"]) for row in grouped}

    stats = statistics(filters)
    for table, field in (
        ("by_year", "year"),
        ("by_sector", "cpv_division"),
        ("by_procedure", "procedure"),
        ("by_county", "county_number"),
    ):
        assert {row.key: (row.total, row.innovation, row.friendly) for row in stats[table]} == counted(field), table
    buyers = dict(
        competitions(filters).exclude(buyer_org_number="").values_list("buyer_org_number").annotate(n=Count("pk"))
    )
    assert {row.key: row.total for row in stats["by_buyer"]} == buyers
    total = stats["total"]
    assert (total.total, total.innovation, total.friendly) == (
        competitions(filters).count(),
        competitions(filters).filter(notice_class="innovation").count(),
        competitions(filters).filter(notice_class="innovation_friendly").count(),
    )


def test_statistics_take_only_the_filters_columns():
    from nyskap.procurement.selectors import statistics

    with pytest.raises(ValueError, match="buyer_name"):
        statistics({"buyer_name": "x'; DROP TABLE procurement_notice; --"})


DETAIL_REASONS = {
    "en": [
        "Procurement of innovation: procedure is competitive dialogue (comp-dial).",
        "Prior information notice (market dialogue).",
        "Innovation-friendly procurement: a market-dialogue notice preceded it.",
    ],
    "nb": [
        "Anskaffelse av innovasjon: prosedyren er konkurransepreget dialog (comp-dial).",
        "Veiledende kunngjøring (markedsdialog).",
        "Innovasjonsvennlig anskaffelse: en kunngjøring om markedsdialog kom før denne.",
    ],
    "nn": [
        "Anskaffing av innovasjon: prosedyren er konkurranseprega dialog (comp-dial).",
        "Rettleiande kunngjering (marknadsdialog).",
        "Innovasjonsvennleg anskaffing: ei kunngjering om marknadsdialog kom før denne.",
    ],
}


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_import_page_gives_each_notice_its_reason_in_the_readers_language(as_operator, language):
    names = ["05-competitive-dialogue.xml", "21-dialogue-prior.xml", "22-dialogue-competition.xml"]
    run = notices_import(
        files=[NoticeFile(name, io.BytesIO((FIXTURES / "eforms" / name).read_bytes())) for name in names]
    )
    response = as_operator.get(reverse("procurement:import_detail", args=[run.pk]), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    reasons = [notice.reason for notice in response.context["notices"]]
    assert reasons == DETAIL_REASONS[language]
    html = response.content.decode()
    for reason in DETAIL_REASONS[language]:
        assert f"<td>{reason}</td>" in html
