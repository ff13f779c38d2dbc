"""The barometer's pages: a round from creation to publication through the forms, refusals re-shown with 422,
and who sees what (an outsider gets 404; the public sees published rounds only)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from nyskap.barometer.models import Round, RoundStatus, Workplace
from nyskap.core.jobs.models import BackgroundJob, JobStatus
from nyskap.surveys.models import EmailDomain

from ..helpers import EN
from .factories import HEADER, answer, fielded_round, innovating, not_innovating, workplaces

pytestmark = pytest.mark.django_db

HEALTH = "health_care | municipality | 10-49 | Vestland | 3"


def frame_file(rows, name="frame.csv"):
    text = "\n".join([HEADER] + [",".join(r) for r in rows]) + "\n"
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_a_round_through_the_pages(as_innovator, home_municipality, anonymous, django_capture_on_commit_callbacks):
    EmailDomain.objects.create(organisation=home_municipality, domain="oygarden.kommune.no")
    from nyskap.barometer.services import load_questionnaires

    load_questionnaires()
    response = as_innovator.post(
        "/barometer/ny/",
        {
            "owner": home_municipality.pk,
            "title": "Barometer 2026",
            "kind": "operative",
            "period_start": "2024-11-01",
            "period_end": "2026-10-31",
            "strata": ["sector"],
            "min_cell": "5",
        },
    )
    assert response.status_code == 302
    round = Round.objects.get()
    url = f"/barometer/{round.pk}/"
    response = as_innovator.post(url + "ramme/", {"file": frame_file(workplaces(12))})
    job = BackgroundJob.objects.get()  # the frame is uploaded in a job (the test settings run it at once)
    assert (response.status_code, response["Location"]) == (302, f"/oppgaver/{job.pk}/")
    assert job.status == JobStatus.DONE
    assert as_innovator.post(url + "utvalg/", {"size": "", "seed": "7"}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert as_innovator.post(url + "feltarbeid/", {"closes_on": "2026-12-10"}).status_code == 302
    page = as_innovator.get(url)
    assert page.status_code == 200 and "12" in page.content.decode()
    round.refresh_from_db()
    for i in range(6):
        answer(round, HEALTH, innovating() if i < 4 else not_innovating())
    assert as_innovator.post(url + "avslutt/").status_code == 302
    assert anonymous.get(url + "resultater/").status_code == 404  # closed, not yet published
    assert as_innovator.get(url + "resultater/").status_code == 200
    assert as_innovator.post(url + "publiser/").status_code == 302
    round.refresh_from_db()
    assert round.status == RoundStatus.PUBLISHED
    results = anonymous.get(url + "resultater/")
    assert results.status_code == 200
    assert "Barometer 2026" in anonymous.get("/barometer/").content.decode()
    csv = anonymous.get(url + "resultater.csv").content.decode()
    assert "indicator" in csv.splitlines()[0]


def test_a_bad_frame_is_reported_with_every_problem_and_bad_forms_are_shown_again(
    as_innovator, innovator, home_municipality
):
    from .factories import barometer_round

    round = barometer_round(innovator, home_municipality)
    rows = [*workplaces(2), ("X", "harbour", "municipality", "10-49", "Vestland", "3", "", "")]
    response = as_innovator.post(f"/barometer/{round.pk}/ramme/", {"file": frame_file(rows)}, **EN)
    job = BackgroundJob.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/oppgaver/{job.pk}/")
    assert (job.status, job.problems) == (
        JobStatus.FAILED,
        ["Row 4, column sector: “harbour” is not one of the options."],
    )
    assert not Workplace.objects.filter(round=round).exists()
    html = as_innovator.get(response["Location"], **EN).content.decode()
    assert "<li>Row 4, column sector: “harbour” is not one of the options.</li>" in html
    response = as_innovator.post(f"/barometer/{round.pk}/utvalg/", {"size": "-3"})
    assert response.status_code == 422
    response = as_innovator.post(f"/barometer/{round.pk}/feltarbeid/", {"closes_on": "2026-12-10"})
    assert response.status_code == 422


def test_an_outsider_gets_404_everywhere(innovator, home_municipality, as_outsider):
    round = fielded_round(innovator, home_municipality, workplaces(6))
    for path in ("", "resultater/", "resultater.csv"):
        assert as_outsider.get(f"/barometer/{round.pk}/{path}").status_code == 404
    assert as_outsider.post(f"/barometer/{round.pk}/avslutt/").status_code == 404
    round.refresh_from_db()
    assert round.status == RoundStatus.FIELDWORK


def test_a_refused_new_round_keeps_what_was_typed(as_innovator, home_municipality):
    response = as_innovator.post(
        "/barometer/ny/",
        {
            "owner": home_municipality.pk,
            "title": "Mitt barometer",
            "kind": "operative",
            "period_start": "2026-01-01",
            "period_end": "2025-01-01",
            "min_cell": "5",
        },
    )
    assert response.status_code == 422
    assert "Mitt barometer" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "sector", "size", "rate"),
    [
        ("nb", "Sektor: Helse og omsorg", "Størrelsesgruppe: 10–49 ansatte", "Andel med innovasjon"),
        ("nn", "Sektor: Helse og omsorg", "Storleiksgruppe: 10–49 tilsette", "Del med innovasjon"),
        ("en", "Sector: Health and care", "Size band: 10–49 employees", "Innovation rate"),
    ],
)
def test_breakdown_groups_and_strata_are_named_in_the_readers_language(
    innovator, home_municipality, as_innovator, language, sector, size, rate
):
    round = fielded_round(innovator, home_municipality, workplaces(12))
    for i in range(6):
        answer(round, HEALTH, innovating() if i < 4 else not_innovating())
    as_innovator.cookies["django_language"] = language
    page = as_innovator.get(f"/barometer/{round.pk}/").content.decode()
    assert f'<th scope="row">{sector.split(": ")[1]}</th>' in page and "health_care" not in page
    from nyskap.barometer import services

    services.round_close(actor=innovator, round=round)
    results = as_innovator.get(f"/barometer/{round.pk}/resultater/").content.decode()
    assert f'<th scope="row">{sector}</th>' in results and size in results
    assert "health_care" not in results and "10-49" not in results
    services.round_publish(actor=innovator, round=round)
    overview = as_innovator.get("/barometer/").content.decode()
    assert f"<tr><td>{rate}</td>" in overview and "<td>innovation_rate</td>" not in overview


def test_response_per_stratum_during_fieldwork_hides_a_count_that_could_tell_who_answered(
    innovator, home_municipality, as_innovator
):
    """Health: 6 of 18 invited answered (6 and 12, both at least 5): shown. Education: 3 of 13: hidden, since the
    3 who answered are fewer than 5. (The test's answers each come through one more invitation.)"""
    round = fielded_round(innovator, home_municipality, workplaces(12) + workplaces(10, "education"))
    for _i in range(6):
        answer(round, HEALTH, innovating())
    for _i in range(3):
        answer(round, "education | municipality | 10-49 | Vestland | 3", not_innovating())
    as_innovator.cookies["django_language"] = "en"
    page = as_innovator.get(f"/barometer/{round.pk}/").content.decode()
    num = '<td class="num">{}</td>'
    health = '<tr><th scope="row">Health and care</th>' + "".join(num.format(n) for n in (12, 12, 18, 6)) + "</tr>"
    education = '<tr><th scope="row">Education and childhood</th>' + "".join(num.format(n) for n in (10, 10, 13))
    assert health in page
    assert education + num.format("hidden") + "</tr>" in page


def test_a_strategic_round_takes_its_frame_from_the_reference_data(
    as_innovator, innovator, home_municipality, other_municipality
):
    """No upload: the frame is the active organisations of the chosen kinds, one row each."""
    import datetime

    from nyskap.barometer.models import Workplace
    from nyskap.organisations.models import OrganisationKind
    from tests.organisations.factories import OrganisationFactory

    from .factories import barometer_round

    OrganisationFactory(name="Vestland fylkeskommune", kind=OrganisationKind.COUNTY_MUNICIPALITY)
    OrganisationFactory(name="Digitaliseringsdirektoratet", kind=OrganisationKind.STATE_AGENCY, county=None)
    OrganisationFactory(name="Kommunal- og distriktsdepartementet", kind=OrganisationKind.MINISTRY, county=None)
    OrganisationFactory(name="Statsforvaltaren i Vestland", kind=OrganisationKind.COUNTY_GOVERNOR, county=None)
    OrganisationFactory(name="Nedlagt kommune", ended_on=datetime.date(2020, 1, 1))
    OrganisationFactory(name="Et aksjeselskap", kind=OrganisationKind.COMPANY)
    home_municipality.centrality_class = 4
    home_municipality.save()
    round = barometer_round(innovator, home_municipality, kind="strategic")
    url = f"/barometer/{round.pk}/ramme/referansedata/"
    page = as_innovator.get(f"/barometer/{round.pk}/").content.decode()
    assert f'action="{url}"' in page

    response = as_innovator.post(url, {"reference-kinds": ["municipalities", "state"]})

    assert response.status_code == 302
    rows = list(Workplace.objects.filter(round=round).order_by("row"))
    # 2 active municipalities (not the ended one) + 3 central state bodies; no county municipality, no company.
    assert len(rows) == 2 + 3
    assert len(rows) == (
        OrganisationFactory._meta.model.objects.filter(
            kind__in=["municipality", *OrganisationKind.central_state()], ended_on__isnull=True
        ).count()
    )
    by_name = {w.name: w for w in rows}
    home = by_name["Øygarden kommune"]
    assert (home.sector, home.org_type, home.size_band, home.county, home.centrality) == (
        "municipal",
        "municipality",
        "unknown",
        "Vestland",
        "4",
    )
    assert home.organisation == home_municipality and home.email is None
    agency = by_name["Digitaliseringsdirektoratet"]
    assert (agency.sector, agency.org_type, agency.county, agency.centrality) == ("state", "state_agency", "-", "0")
    assert [w.row for w in rows] == [2, 3, 4, 5, 6]


def test_an_operative_round_or_no_choice_takes_no_frame_from_the_reference_data(
    as_innovator, innovator, home_municipality
):
    from nyskap.barometer.models import Workplace

    from .factories import barometer_round

    operative = barometer_round(innovator, home_municipality)
    response = as_innovator.post(f"/barometer/{operative.pk}/ramme/referansedata/", {"reference-kinds": ["state"]})
    assert response.status_code == 422
    assert "Bare en strategisk runde kan hente rammen fra referansedataene." in response.content.decode()
    strategic = barometer_round(innovator, home_municipality, kind="strategic")
    response = as_innovator.post(f"/barometer/{strategic.pk}/ramme/referansedata/", {"reference-kinds": ["nonsense"]})
    assert response.status_code == 422
    assert not Workplace.objects.exists()
