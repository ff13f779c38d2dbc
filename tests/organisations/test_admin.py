from __future__ import annotations

import pytest
from auditlog.models import LogEntry

from nyskap.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_when_an_operator_edits_an_organisation_in_the_admin_then_the_change_is_in_its_history(
    as_operator, operator, home_municipality
):
    url = f"/drift/organisations/organisation/{home_municipality.pk}/change/"
    page = as_operator.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() if form[name].value() is not None else "" for name in form.fields}
    data["website"] = "https://www.oygarden.kommune.no"
    response = as_operator.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else None
    home_municipality.refresh_from_db()
    assert home_municipality.website == "https://www.oygarden.kommune.no"

    entry = LogEntry.objects.get_for_object(home_municipality).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == operator
    assert entry.changes_dict["website"] == ["", "https://www.oygarden.kommune.no"]

    history = as_operator.get(f"/drift/organisations/organisation/{home_municipality.pk}/auditlog/")
    assert history.status_code == 200
    assert "oygarden.kommune.no" in history.content.decode()


def test_when_a_member_who_is_not_an_operator_opens_the_admin_then_they_are_sent_to_the_login(
    as_leader, home_municipality
):
    for url in (
        "/drift/organisations/organisation/",
        f"/drift/organisations/organisation/{home_municipality.pk}/auditlog/",
        "/drift/auditlog/logentry/",
    ):
        response = as_leader.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/drift/login/"), url
    assert Organisation.objects.get(pk=home_municipality.pk).website == ""


def test_when_the_history_of_an_unknown_object_is_opened_then_it_is_not_found(as_operator):
    assert as_operator.get("/drift/organisations/organisation/999999/auditlog/").status_code == 404
    assert as_operator.get("/drift/accounts/membership/999999/auditlog/").status_code == 404


@pytest.mark.parametrize("bad", ["a\x00b", "abc", "99999999999999999999999", "-1"])
def test_when_an_autocomplete_field_gets_a_value_that_is_no_id_then_the_form_names_the_field_and_nothing_changes(
    as_operator, home_municipality, bad
):
    url = f"/drift/organisations/organisation/{home_municipality.pk}/change/"
    form = as_operator.get(url).context["adminform"].form
    data = {name: form[name].value() if form[name].value() is not None else "" for name in form.fields}
    data["county"] = bad
    data["website"] = "https://endret.example.no"
    response = as_operator.post(url, data)
    assert response.status_code == 200  # the form again, not a server error
    assert set(response.context["adminform"].form.errors) == {"county"}
    home_municipality.refresh_from_db()
    assert home_municipality.website != "https://endret.example.no"
