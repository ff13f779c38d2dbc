"""A round from frame to publication: all-or-nothing frame import, a reproducible sample, invitations through the
survey engine in each manager's language, close and publish."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from nyskap.barometer import services
from nyskap.barometer.frame import FrameError
from nyskap.barometer.models import RoundStatus, Workplace
from nyskap.surveys.models import EmailDomain, Invitation

from .factories import HEADER, barometer_round, frame_csv, workplaces

pytestmark = pytest.mark.django_db


def upload(actor, round, rows):
    return services.frame_upload(actor=actor, round=round, upload=frame_csv(rows), filename="frame.csv")


def test_a_good_frame_is_stored(innovator, home_municipality):
    round = barometer_round(innovator, home_municipality)
    assert upload(innovator, round, workplaces(12) + workplaces(8, "education")) == 20
    assert Workplace.objects.filter(round=round).count() == 20


def test_a_bad_frame_stores_nothing_and_names_every_bad_row_and_cell(innovator, home_municipality):
    round = barometer_round(innovator, home_municipality)
    rows = workplaces(3)
    rows[1] = ("X", "harbour", "municipality", "10-49", "Vestland", "3", "not-an-address", "nb")
    rows[2] = ("", "health_care", "municipality", "huge", "Vestland", "9", "", "")
    with pytest.raises(FrameError) as error:
        upload(innovator, round, rows)
    found = {(p.row, p.column) for p in error.value.problems}
    assert found == {(3, "sector"), (3, "email"), (4, "name"), (4, "size_band"), (4, "centrality")}
    assert not Workplace.objects.filter(round=round).exists()


def test_a_frame_with_an_unknown_or_missing_column_is_refused(innovator, home_municipality):
    import io

    round = barometer_round(innovator, home_municipality)
    body = io.BytesIO((HEADER.replace("county", "fylke") + "\n").encode())
    with pytest.raises(FrameError) as error:
        services.frame_upload(actor=innovator, round=round, upload=body, filename="f.csv")
    assert {(p.row, p.column) for p in error.value.problems} == {(1, "fylke"), (1, "county")}


def test_labels_in_any_language_are_accepted(innovator, home_municipality):
    round = barometer_round(innovator, home_municipality)
    rows = [("A", "Health and care", "Municipality", "10-49", "Vestland", "3", "", "")]
    assert upload(innovator, round, rows) == 1


def test_an_outsider_cannot_create_or_upload(innovator, outsider, home_municipality):
    with pytest.raises(PermissionDenied):
        barometer_round(outsider, home_municipality)
    round = barometer_round(innovator, home_municipality)
    with pytest.raises(PermissionDenied):
        upload(outsider, round, workplaces(3))


def test_the_same_seed_draws_the_same_sample(innovator, home_municipality):
    round = barometer_round(innovator, home_municipality)
    upload(innovator, round, workplaces(30) + workplaces(20, "education"))
    assert services.sample_draw(actor=innovator, round=round, size=10, seed=42) == 10
    first = set(Workplace.objects.filter(round=round, sampled=True).values_list("row", flat=True))
    services.sample_draw(actor=innovator, round=round, size=10, seed=42)
    assert first == set(Workplace.objects.filter(round=round, sampled=True).values_list("row", flat=True))
    round.refresh_from_db()
    assert (round.seed, round.sample_size) == (42, 10)
    education = Workplace.objects.filter(round=round, sampled=True, sector="education").count()
    assert education == 4  # proportional: 10 × 20 / 50


def test_a_census_and_a_random_seed_are_recorded(innovator, home_municipality):
    round = barometer_round(innovator, home_municipality)
    upload(innovator, round, workplaces(7))
    assert services.sample_draw(actor=innovator, round=round, size=None) == 7
    round.refresh_from_db()
    assert round.seed is not None and round.sample_size is None
    with pytest.raises(services.BarometerError):
        services.sample_draw(actor=innovator, round=round, size=8)


def test_fieldwork_invites_in_each_managers_language_then_close_and_publish(
    innovator, home_municipality, django_capture_on_commit_callbacks
):
    EmailDomain.objects.create(organisation=home_municipality, domain="oygarden.kommune.no")
    services.load_questionnaires()
    round = barometer_round(innovator, home_municipality)
    upload(innovator, round, workplaces(6))
    services.sample_draw(actor=innovator, round=round, size=None, seed=1)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.fieldwork_start(actor=innovator, round=round, closes_on=datetime.date(2026, 12, 15))
    assert result.invited == 6
    round.refresh_from_db()
    assert round.status == RoundStatus.FIELDWORK
    subjects = sorted(m.subject for m in mail.outbox)
    assert len(subjects) == 6
    languages = Invitation.objects.filter(round=round.survey_round).values_list("language", flat=True)
    assert sorted(languages) == ["nb", "nb", "nb", "nn", "nn", "nn"]
    with pytest.raises(services.BarometerError):
        services.frame_upload(actor=innovator, round=round, upload=frame_csv(workplaces(2)), filename="f.csv")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(actor=innovator, round=round) == 6
    assert len(mail.outbox) == 6
    services.round_close(actor=innovator, round=round)
    with pytest.raises(services.BarometerError):
        services.reminders_send(actor=innovator, round=round)
    assert not Workplace.objects.filter(round=round, email__isnull=False).exists()
    services.round_publish(actor=innovator, round=round)
    round.refresh_from_db()
    assert round.status == RoundStatus.PUBLISHED
    assert round.survey_round.results_opened


def test_a_county_spelt_in_two_ways_is_one_county_and_a_bar_in_it_is_refused(innovator, home_municipality):
    """The engine's units are the breakdown cells joined with " | " and compared without case: "Vestland" and
    "VESTLAND" must be one county (else fieldwork fails on a unit the engine merged), and a county with "|" would
    split into the wrong variables."""
    EmailDomain.objects.create(organisation=home_municipality, domain="oygarden.kommune.no")
    services.load_questionnaires()
    round = barometer_round(innovator, home_municipality, strata=("sector", "county"))
    rows = workplaces(6)
    rows[3:] = [(*row[:4], "VESTLAND ", *row[5:]) for row in rows[3:]]
    upload(innovator, round, rows)
    assert set(Workplace.objects.filter(round=round).values_list("county", flat=True)) == {"Vestland"}
    services.sample_draw(actor=innovator, round=round, size=None, seed=1)
    assert services.fieldwork_start(actor=innovator, round=round, closes_on=datetime.date(2026, 12, 15)).invited == 6
    other = barometer_round(innovator, home_municipality)
    bad = [(*row[:4], "Vestland | Rogaland", *row[5:]) for row in workplaces(1)]
    with pytest.raises(FrameError) as error:
        upload(innovator, other, bad)
    assert [(p.row, p.column) for p in error.value.problems] == [(2, "county")]
