from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def test_when_prod_settings_are_checked_for_deployment_then_there_are_no_warnings(tmp_path):
    (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1", "hash": "0"}')  # as collectstatic
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "nyskap.config.settings.prod",
        "SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "nyskap.example.no",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "STATIC_ROOT": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests for their own thread only
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.django_db
def test_when_demo_data_runs_without_debug_then_it_refuses_and_creates_nobody(settings):
    from nyskap.accounts.models import User

    settings.DEBUG = False
    with pytest.raises(CommandError, match="must never create accounts in production"):
        call_command("demo_data")
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_when_demo_data_runs_twice_then_personas_exist_once_with_their_roles(settings, capsys):
    from nyskap.accounts.models import Membership, SupplierProfile, User

    settings.DEBUG = True
    call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))
    call_command("demo_data")
    call_command("demo_data")
    output = capsys.readouterr().out
    assert "Demo personas: 6 created, 0 already there." in output
    assert "Demo personas: 0 created, 6 already there." in output
    assert "Password (development only): demo-passord-kun-lokalt" in output
    assert User.objects.count() == 6
    assert set(Membership.objects.values_list("user__email", "organisation__name", "role")) == {
        ("innovator@demo.nyskap.no", "Øygarden", "editor"),
        ("leder@demo.nyskap.no", "Øygarden", "admin"),
        ("kollega@demo.nyskap.no", "Øygarden", "member"),
        ("utenfor@demo.nyskap.no", "Bodø", "editor"),
    }
    assert User.objects.get(email="drift@demo.nyskap.no").is_staff is True
    # The supplier speaks for a company and is a member of no public body.
    assert list(SupplierProfile.objects.values_list("user__email", "company_name", "organisation_number", "kind")) == [
        ("leverandor@demo.nyskap.no", "Varm Lunsj AS (demo)", "123456785", "start_up")
    ]
    assert not Membership.objects.filter(user__email="leverandor@demo.nyskap.no").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "title_404"),
    [("nb", "Vi fant ikke siden"), ("nn", "Vi fann ikkje sida"), ("en", "We could not find the page")],
)
def test_when_an_error_page_is_shown_then_it_is_in_the_users_language(language, title_404):
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = language
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    if title_404:
        assert title_404 in response.content.decode()
    assert f'<html lang="{language}"'.encode() in response.content


@pytest.mark.django_db
@pytest.mark.urls("tests.core.urls_with_error")
def test_when_the_server_fails_then_the_500_page_is_friendly_and_leaks_nothing():
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = "en"
    response = client.get("/_fail/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong on our side" in body
    assert "hunter2" not in body and "Traceback" not in body


@pytest.mark.django_db
def test_when_an_outsider_opens_another_organisations_member_page_then_403_is_friendly(as_outsider, home_municipality):
    as_outsider.cookies["django_language"] = "nb"
    response = as_outsider.get("/konto/organisasjoner/oygarden/medlemmer/")
    assert response.status_code == 403
    assert "Du har ikke tilgang til denne siden" in response.content.decode()


@pytest.mark.django_db
def test_when_a_language_is_chosen_with_the_form_then_the_cookie_is_set_and_the_visitor_goes_back():
    client = Client(enforce_csrf_checks=True)
    page = client.get("/organisasjoner/?kind=municipality")
    form = re.search(r'<form method="post" action="/sprak/">(.*?)</form>', page.content.decode(), re.S).group(1)
    # No CSRF token: the switcher sits in pages cached for every anonymous visitor alike (see core.views.language).
    assert "csrfmiddlewaretoken" not in form
    assert 'name="next" value="/organisasjoner/?kind=municipality"' in form
    assert 'name="language" value="nn"' in form
    response = client.post("/sprak/", {"language": "nn", "next": "/organisasjoner/?kind=municipality"})
    assert response.status_code == 302 and response["Location"] == "/organisasjoner/?kind=municipality"
    assert response.cookies["django_language"].value == "nn"
    assert response.cookies["django_language"]["httponly"] is True
    page = client.get("/organisasjoner/")
    assert page["Content-Language"] == "nn"


@pytest.mark.django_db
def test_when_another_site_posts_a_language_switch_then_it_changes_only_the_language_and_stays_here():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/sprak/", {"language": "nn", "next": "https://angriper.example/stjel"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies["django_language"].value == "nn"
    assert set(response.cookies) == {"django_language"}  # no session, no other state
    refused = client.post("/sprak/", {"language": "xx", "next": "/"})
    assert refused.status_code == 400 and "django_language" not in refused.cookies


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/sprak/", "/sprak/nn/", "/sprak/en/?next=/organisasjoner/"])
def test_when_the_language_page_is_opened_with_get_then_nothing_changes_and_the_form_is_shown(path):
    client = Client()
    response = client.get(path)
    assert response.status_code == 200
    assert "django_language" not in response.cookies
    assert response["Content-Language"] == "nb"
    assert '<form method="post" action="/sprak/">' in response.content.decode()
    assert "Velg språk" in response.content.decode()


@pytest.mark.django_db
def test_when_the_language_form_points_elsewhere_or_is_unknown_then_it_is_refused_safely():
    client = Client()
    response = client.post("/sprak/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    refused = client.post("/sprak/", {"language": "klingon", "next": "/"})
    assert refused.status_code == 400 and "django_language" not in refused.cookies
    assert client.get("/sprak/klingon/").status_code == 404
