"""The survey pages: leaders create and follow rounds; respondents answer without an account; outsiders and
colleagues without a role are refused."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from nyskap.surveys.models import Answer, Invitation, Response, Round

from ..helpers import english, field_error

pytestmark = pytest.mark.django_db


def ticket_from(html: str) -> str:
    return re.search(r'name="ticket" value="([^"]+)"', html).group(1)


def _form(version, **overrides):
    data = {
        "title": "Kultur 2026",
        "version": version.pk,
        "opens_on": "2026-11-15",
        "closes_on": "2026-11-30",
        "threshold": "5",
        "units": "Helse\nSkole\n",
        "share_in_benchmarks": "on",
    }
    data.update(overrides)
    return data


def test_when_a_leader_creates_a_round_then_it_is_stored_with_its_units(as_leader, version, home_municipality):
    response = as_leader.post("/undersokelser/ny/oygarden/", _form(version))
    round = Round.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/undersokelser/runde/{round.pk}/"
    assert (round.organisation, round.title, round.threshold) == (home_municipality, "Kultur 2026", 5)
    assert list(round.units.values_list("name", flat=True)) == ["Helse", "Skole"]


def test_when_the_threshold_is_2_then_the_form_keeps_the_input_and_says_why(as_leader, version):
    response = english(as_leader).post("/undersokelser/ny/oygarden/", _form(version, threshold="2", title="Beholdt"))
    assert response.status_code == 200
    assert field_error(response.content.decode(), "threshold") == "Ensure this value is greater than or equal to 3."
    assert 'value="Beholdt"' in response.content.decode()
    assert Round.objects.count() == 0


def test_when_the_close_date_is_before_the_open_date_then_it_is_refused_at_the_field(as_leader, version):
    response = english(as_leader).post("/undersokelser/ny/oygarden/", _form(version, closes_on="2026-11-01"))
    assert field_error(response.content.decode(), "closes_on") == "The close date must be on or after the open date."
    assert Round.objects.count() == 0


@pytest.mark.parametrize("client_name", ["as_outsider", "as_colleague"])
def test_when_a_non_leader_creates_a_round_then_it_is_refused(request, client_name, version, home_municipality):
    response = request.getfixturevalue(client_name).post("/undersokelser/ny/oygarden/", _form(version))
    assert response.status_code == 403
    assert Round.objects.count() == 0


@pytest.mark.parametrize("client_name", ["as_outsider", "as_colleague"])
def test_when_a_non_leader_opens_or_changes_a_round_then_it_is_not_found(request, client_name, survey_round):
    client = request.getfixturevalue(client_name)
    assert client.get(f"/undersokelser/runde/{survey_round.pk}/").status_code == 404
    assert client.post(f"/undersokelser/runde/{survey_round.pk}/avslutt/").status_code == 404
    assert client.post(f"/undersokelser/runde/{survey_round.pk}/paminn/").status_code == 404
    assert client.post(f"/undersokelser/runde/{survey_round.pk}/gjenapne/").status_code == 404
    assert client.post(f"/undersokelser/runde/{survey_round.pk}/inviter/", {"emails": "a@x.no"}).status_code == 404
    assert Round.objects.get(pk=survey_round.pk).closed_early is False
    assert Invitation.objects.count() == 0


def test_when_a_leader_opens_the_round_then_the_shared_link_and_live_count_are_shown(as_innovator, survey_round):
    page = english(as_innovator).get(f"/undersokelser/runde/{survey_round.pk}/").content.decode()
    assert f"/undersokelser/svar/{survey_round.link_token}/" in page
    assert "0 responses" in page
    assert "Invitations go to addresses in the organisation's e-mail domains: x.no." in page


def test_when_no_domain_is_registered_then_the_round_page_says_nobody_can_be_invited(as_innovator, survey_round):
    from nyskap.surveys.models import EmailDomain

    EmailDomain.objects.all().delete()
    page = english(as_innovator).get(f"/undersokelser/runde/{survey_round.pk}/").content.decode()
    assert "No e-mail domain is registered for the organisation yet, so nobody can be invited." in page


def test_when_a_leader_invites_then_mail_goes_out_and_bad_addresses_are_named(
    as_innovator, survey_round, django_capture_on_commit_callbacks
):
    url = f"/undersokelser/runde/{survey_round.pk}/inviter/"
    unit = survey_round.units.get(name="Skole")
    bad = english(as_innovator).post(url, {"emails": "a@x.no\nikke-epost", "unit": unit.pk})
    assert bad.status_code == 422
    assert field_error(bad.content.decode(), "emails") == "“ikke-epost” is not a valid e-mail address."
    assert Invitation.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        good = as_innovator.post(url, {"emails": "a@x.no\nb@x.no", "unit": unit.pk})
    assert good.status_code == 302
    assert sorted(Invitation.objects.values_list("email", "unit__name")) == [("a@x.no", "Skole"), ("b@x.no", "Skole")]
    assert len(mail.outbox) == 2


def test_when_a_leader_closes_and_reopens_then_the_round_follows(as_innovator, survey_round):
    as_innovator.post(f"/undersokelser/runde/{survey_round.pk}/avslutt/")
    assert Round.objects.get(pk=survey_round.pk).closed_early is True
    as_innovator.post(f"/undersokelser/runde/{survey_round.pk}/gjenapne/")
    assert Round.objects.get(pk=survey_round.pk).closed_early is False


def test_when_a_respondent_answers_by_the_shared_link_then_the_response_is_stored_without_a_session(survey_round):
    client = Client()
    url = f"/undersokelser/svar/{survey_round.link_token}/"
    page = english(client).get(url)
    assert page.status_code == 200
    assert "What is stored and who sees what" in page.content.decode()
    ticket = ticket_from(page.content.decode())
    response = client.post(url, {"l1": "4", "l2": "dk", "many": ["x", "y"], "ticket": ticket, "action": "submit"})
    assert response.status_code == 302
    assert response["Location"] == "/undersokelser/takk/"
    stored = Response.objects.get()
    assert (stored.submitted, stored.unit, stored.via_link) == (True, None, True)
    assert Answer.objects.filter(response=stored).count() == 3
    assert "sessionid" not in client.cookies


def test_when_an_answer_is_impossible_then_the_page_says_so_beside_the_question_and_keeps_the_rest(survey_round):
    client = english(Client())
    url = f"/undersokelser/svar/{survey_round.link_token}/"
    ticket = ticket_from(client.get(url).content.decode())
    response = client.post(url, {"l1": "9", "num": "abc", "free": "Behold meg", "ticket": ticket, "action": "submit"})
    html = response.content.decode()
    assert response.status_code == 422
    assert field_error(html, "l1") == "Choose a point from 1 to 5."
    assert field_error(html, "num") == "Write a number."
    assert "Behold meg" in html
    assert Response.objects.count() == 0


def test_when_a_respondent_saves_then_a_private_link_continues_on_another_device(survey_round):
    url = f"/undersokelser/svar/{survey_round.link_token}/"
    client = english(Client())
    ticket = ticket_from(client.get(url).content.decode())
    saved = client.post(url, {"l1": "2", "free": "Utkast", "ticket": ticket, "action": "save"})
    html = saved.content.decode()
    resume = re.search(r'value="http://testserver(/undersokelser/fortsett/[^"]+/)"', html).group(1)
    assert Response.objects.get().submitted is False
    other_device = Client()
    page = other_device.get(resume).content.decode()
    assert "Utkast" in page
    assert re.search(r'<input[^>]*value="2"[^>]*checked|<input[^>]*checked[^>]*value="2"', page)
    done = other_device.post(resume, {"l1": "3", "free": "Ferdig", "action": "submit"})
    assert done.status_code == 302
    stored = Response.objects.get()
    assert (stored.submitted, stored.resume_hash) == (True, None)
    assert Answer.objects.get(response=stored, item__key="free").text == "Ferdig"
    assert other_device.get(resume).status_code == 404


def test_when_a_link_is_forged_or_the_round_closed_then_the_page_explains_and_stores_nothing(survey_round):
    client = english(Client())
    forged = client.get("/undersokelser/svar/forged/")
    assert forged.status_code == 404
    assert "This survey link is not valid. Check that you copied the whole link." in forged.content.decode()
    Round.objects.filter(pk=survey_round.pk).update(closed_early=True)
    closed = client.post(f"/undersokelser/svar/{survey_round.link_token}/", {"l1": "3", "action": "submit"})
    assert closed.status_code == 410
    assert "The survey is closed; answers can no longer be given." in closed.content.decode()
    assert Response.objects.count() == 0


def test_when_anonymous_opens_the_leaders_pages_then_login_is_required(survey_round):
    response = Client().get(f"/undersokelser/runde/{survey_round.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_when_htmx_asks_for_the_progress_then_only_the_live_count_is_returned(as_innovator, survey_round):
    from .factories import submit

    submit(survey_round, {"l1": "3"})
    response = english(as_innovator).get(
        f"/undersokelser/runde/{survey_round.pk}/", {"fragment": "progress"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.startswith('<div id="round-progress"')
    assert "1 response" in html
    assert "<html" not in html
