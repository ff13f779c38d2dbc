"""The defects a tester found with bad input, each pinned: NUL and control characters, lone surrogates, NaN,
numbers beyond 64 bits, duplicate keys, wrong content types and oversized bodies get a 4xx in the API's error shape
(the same on SQLite and PostgreSQL), never a 500, and nothing is stored."""

from __future__ import annotations

import json

import pytest

from nyskap.core.visibility import Visibility
from nyskap.projects.models import Project
from tests.helpers import api_error as shape
from tests.helpers import bearer
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db

CONTROL = "Control characters (other than tab and line breaks) are not allowed."
INVALID = "The request is not valid."


@pytest.fixture
def project(innovator, home_municipality) -> Project:
    return make_project(actor=innovator, owner=home_municipality, title="Varm mat", visibility=Visibility.PUBLIC)


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x0b", "\x1f", "\x7f", "\ud800"])
def test_when_a_title_holds_a_refused_character_then_patch_is_refused_naming_the_field(
    client, innovator, project, character
):
    body = json.dumps({"title": f"a{character}b"})
    response = client.patch(
        f"/api/v1/projects/{project.slug}", body, content_type="application/json", **bearer(innovator)
    )
    assert response.status_code == 422
    assert response.json() == shape(422, "validation_error", INVALID, [{"field": "title", "message": CONTROL}])
    project.refresh_from_db()
    assert project.title == "Varm mat"


def test_when_a_new_project_holds_a_nul_then_it_is_refused_and_nothing_is_stored(client, innovator, project):
    body = json.dumps({"title": "Ny", "organisation": "oygarden", "need": "x\u0000"})
    response = client.post("/api/v1/projects", body, content_type="application/json", **bearer(innovator))
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "need", "message": CONTROL}]
    assert list(Project.objects.values_list("title", flat=True)) == ["Varm mat"]


def test_when_tab_and_line_breaks_are_sent_then_they_are_kept(client, innovator, project):
    body = json.dumps({"title": "Varm\tmat\r\nfor alle"})
    response = client.patch(
        f"/api/v1/projects/{project.slug}", body, content_type="application/json", **bearer(innovator)
    )
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.title == "Varm\tmat\r\nfor alle"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/projects/%00",
        "/api/v1/benefits/plans/%00",
        "/api/v1/organisations/%00",
        "/api/v1/projects/%00/adoptions",
        "/api/v1/projects/a%01b",
    ],
)
def test_when_a_path_holds_a_control_character_then_it_is_not_found_in_the_api_shape(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == shape(404, "not_found", "Not found.")


def test_when_a_page_path_holds_a_nul_then_it_is_not_found(client, project):
    response = client.get("/prosjekter/%00/")
    assert response.status_code == 404
    assert "text/html" in response["Content-Type"]


@pytest.mark.parametrize(
    ("path", "method", "authenticated"),
    [
        ("/api/v1/projects/{slug}", "patch", True),
        ("/api/v1/benefits/calculate", "post", False),
        ("/api/v1/surveys/respond/no-such-token", "post", False),
    ],
)
def test_when_a_body_is_over_the_limit_then_the_answer_is_413_in_the_api_shape(
    client, innovator, project, settings, path, method, authenticated
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"title": "x" * 2000})
    headers = bearer(innovator) if authenticated else {}
    response = getattr(client, method)(path.format(slug=project.slug), body, content_type="application/json", **headers)
    assert response.status_code == 413
    assert response.json() == shape(413, "too_large", "The request body is larger than the limit of 1000 bytes.")
    project.refresh_from_db()
    assert project.title == "Varm mat"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ('{"title": NaN}', "title", "NaN is not a number."),
        ('{"title": "a", "title": "b"}', "title", "The key is given more than once."),
        ('{"title": 123456789012345678901234567890}', "title", "The number is too large."),
        ('{"title": "\\ud800"}', "title", CONTROL),
    ],
)
def test_when_json_is_ambiguous_then_it_is_refused_naming_the_field(client, innovator, project, body, field, message):
    response = client.patch(
        f"/api/v1/projects/{project.slug}", body, content_type="application/json", **bearer(innovator)
    )
    assert response.status_code == 422
    assert response.json() == shape(422, "validation_error", INVALID, [{"field": field, "message": message}])


def test_when_the_body_is_not_json_then_it_is_refused(client, innovator, project):
    response = client.patch(
        f"/api/v1/projects/{project.slug}", "{title", content_type="application/json", **bearer(innovator)
    )
    assert response.json() == shape(400, "bad_request", "The request body is not valid JSON.")
    response = client.patch(
        f"/api/v1/projects/{project.slug}", '{"title": "x"}', content_type="text/plain", **bearer(innovator)
    )
    assert response.json() == shape(415, "unsupported_media_type", "The request body must be JSON (application/json).")
    project.refresh_from_db()
    assert project.title == "Varm mat"


@pytest.mark.parametrize("path", ["/api/v1/projects", "/api/v1/organisations", "/api/v1/instruments"])
def test_when_an_api_query_holds_a_nul_then_it_is_refused_naming_the_parameter(client, project, path):
    response = client.get(path, {"q": "Varm\x00"})
    assert response.json() == shape(422, "validation_error", INVALID, [{"field": "q", "message": CONTROL}])


def test_when_a_page_query_holds_a_nul_then_it_is_removed(client, project):
    response = client.get("/organisasjoner/", {"q": "Øygarden\x00"})
    assert response.status_code == 200
    assert response.context["request"].GET["q"] == "Øygarden"


def _edit_data(project) -> dict:
    from nyskap.projects.forms import ProjectEditForm

    data = {
        name: value
        for name, value in ProjectEditForm.initial_for(project).items()
        if value is not None and name not in ("innovation_types", "sdgs", "life_events", "is_synthetic")
    }
    data.update(need_problem="Linje 1\r\n\tLinje 2", need_who="Alle", need_today="I dag", need_effect="Bedre")
    return data


FIELD_ERROR = '<p class="ds-validation-message" data-size="sm" id="id_title_error">{}</p>'


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("nb", "Teksten har et nulltegn (U+0000) på plass 5. Den kan ikke lagres: fjern tegnet og prøv igjen."),
        ("nn", "Teksten har eit nullteikn (U+0000) på plass 5. Han kan ikkje lagrast: fjern teiknet og prøv igjen."),
        ("en", "The text has a null character (U+0000) at position 5. It cannot be saved: remove it and try again."),
    ],
)
def test_when_a_form_field_holds_a_nul_then_the_field_says_so_in_the_language_and_nothing_is_saved(
    as_innovator, project, language, message
):
    as_innovator.cookies["django_language"] = language
    data = _edit_data(project) | {"title": "Varm\x00 mat"}
    response = as_innovator.post(f"/prosjekter/{project.slug}/rediger/", data)
    assert response.status_code == 400
    assert response.context["form"].errors["title"] == [message]
    page = response.content.decode()
    assert FIELD_ERROR.format(message) in page
    assert 'value="Varm\x00 mat"' in page  # shown again as typed
    project.refresh_from_db()
    assert project.title == "Varm mat"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "Varm\x01", "Teksten har et usynlig kontrolltegn (U+0001) på plass 5."),
        ("title", "Varm\x85", "Teksten har et usynlig kontrolltegn (U+0085) på plass 5."),
        ("title", "Varm\u202emat", "Teksten har et tegn som snur skriveretningen (U+202E) på plass 5."),
        ("title", "Varm\nmat", "Teksten har et linjeskift, som dette enlinjefeltet ikke kan ha (U+000A) på plass 5."),
        ("need_problem", "Linje\x1f", "Teksten har et usynlig kontrolltegn (U+001F) på plass 6."),
    ],
)
def test_when_a_form_field_holds_a_refused_character_then_that_field_names_it(
    as_innovator, project, field, value, message
):
    response = as_innovator.post(f"/prosjekter/{project.slug}/rediger/", _edit_data(project) | {field: value})
    assert response.status_code == 400
    assert response.context["form"].errors == {field: [f"{message} Den kan ikke lagres: fjern tegnet og prøv igjen."]}
    project.refresh_from_db()
    assert project.title == "Varm mat"


def test_when_a_textarea_holds_tab_and_line_breaks_then_they_are_kept(as_innovator, project):
    response = as_innovator.post(f"/prosjekter/{project.slug}/rediger/", _edit_data(project))
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.need_problem == "Linje 1\r\n\tLinje 2"


def test_the_rule_holds_for_any_form_without_anything_in_the_form():
    from django import forms

    class Any(forms.Form):
        name = forms.CharField()
        tags = forms.MultipleChoiceField(choices=[("a\x00", "a")])

    form = Any({"name": "ok\x00", "tags": ["a\x00"]})
    assert not form.is_valid()
    assert set(form.errors) == {"name", "tags"}
    assert [e.code for e in form.errors.as_data()["name"]] == ["refused_character"]


def test_when_a_form_is_over_the_upload_limit_then_the_page_says_so_in_norwegian(as_innovator, project, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = as_innovator.post(f"/prosjekter/{project.slug}/rediger/", {"title": "x" * 2000})
    assert response.status_code == 413
    assert "Det du sendte, er større enn 1000" in response.content.decode()
    project.refresh_from_db()
    assert project.title == "Varm mat"


@pytest.mark.parametrize("raw", ["NaN", "Infinity", '{"a": -Infinity}', "[1e400]"])
def test_when_a_json_field_holds_a_number_json_has_not_then_the_field_refuses_it(raw):
    """Python's JSON parser reads NaN and ±Infinity, which PostgreSQL's jsonb refuses with a database error."""
    from django import forms

    class Settings(forms.Form):
        settings = forms.JSONField()

    form = Settings({"settings": raw})
    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()["settings"]] == ["invalid"]
    valid = Settings({"settings": '{"a": 1.5, "b": [1e300]}'})
    assert valid.is_valid() and valid.cleaned_data["settings"] == {"a": 1.5, "b": [1e300]}


def test_when_the_operator_saves_a_sign_in_provider_with_nan_settings_then_the_field_is_named(operator):
    from allauth.socialaccount.models import SocialApp
    from django.test import Client

    from tests.accounts.factories import PASSWORD

    client = Client()
    client.force_login(operator)
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    form = {"provider": "openid_connect", "provider_id": "idporten", "name": "ID-porten", "client_id": "x"}
    response = client.post("/drift/socialaccount/socialapp/add/", form | {"settings": "NaN"}, HTTP_ACCEPT_LANGUAGE="nb")
    assert response.status_code == 200
    assert "Oppgi gyldig JSON." in response.content.decode()
    assert SocialApp.objects.count() == 0
