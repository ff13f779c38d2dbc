from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail

from nyskap.config.env import env_bool, env_int, env_list, env_str, parse_email_url
from nyskap.core.markdown import render_markdown


def test_when_bool_is_malformed_then_the_variable_is_named(monkeypatch):
    monkeypatch.setenv("DEBUG", "kanskje")
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be one of"):
        env_bool("DEBUG")
    monkeypatch.setenv("DEBUG", "yes")
    assert env_bool("DEBUG") is True


def test_when_int_is_not_a_number_or_too_small_then_it_is_refused(monkeypatch):
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "ti")
    with pytest.raises(ImproperlyConfigured, match="SESSION_IDLE_MINUTES must be a whole number"):
        env_int("SESSION_IDLE_MINUTES", 30)
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("SESSION_IDLE_MINUTES", 30, minimum=1)


def test_when_required_str_is_missing_then_it_is_refused(monkeypatch):
    monkeypatch.delenv("OIDC_IDPORTEN_CLIENT_ID", raising=False)
    with pytest.raises(ImproperlyConfigured, match="OIDC_IDPORTEN_CLIENT_ID must be set"):
        env_str("OIDC_IDPORTEN_CLIENT_ID", required=True)


def test_when_list_is_given_then_blanks_are_dropped(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "nyskap.no, www.nyskap.no,,")
    assert env_list("ALLOWED_HOSTS") == ["nyskap.no", "www.nyskap.no"]


def test_when_email_url_is_smtp_then_it_becomes_django_settings():
    assert parse_email_url("smtp://bruker:p%40ss@smtp.example.no:587?tls=1") == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.no",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "bruker",
        "EMAIL_HOST_PASSWORD": "p@ss",
        "EMAIL_USE_SSL": False,
        "EMAIL_USE_TLS": True,
    }
    assert parse_email_url("console:") == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    with pytest.raises(ImproperlyConfigured, match="unknown scheme 'ftp'"):
        parse_email_url("ftp://x")


def test_when_markdown_contains_html_and_scripts_then_they_are_removed():
    html = render_markdown(
        "# Tittel\n\n**fet** <script>alert(1)</script> [lenke](javascript:alert(1)) <img src=x onerror=y>"
    )
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text, never run
    assert "<strong>fet</strong>" in html


def test_when_markdown_has_a_link_then_it_gets_safe_rel():
    assert render_markdown("[Digdir](https://www.digdir.no)") == (
        '<p><a href="https://www.digdir.no" rel="noopener noreferrer nofollow">Digdir</a></p>\n'
    )


@pytest.mark.django_db
def test_when_mail_is_sent_in_a_transaction_then_it_is_queued_and_delivered_on_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_mail("Emne", "Tekst", "fra@nyskap.no", ["til@kommune.no"])
        assert mail.outbox == []  # nothing leaves before the transaction commits
    assert len(callbacks) == 1
    callbacks[0]()
    assert [m.subject for m in mail.outbox] == ["Emne"]
    assert mail.outbox[0].to == ["til@kommune.no"]


@pytest.mark.django_db(transaction=True)  # the worker manages its own connections and transactions
def test_when_mail_is_queued_with_the_database_backend_then_a_worker_delivers_it(settings):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from nyskap.core.mail import deliver_email

    deliver_email.enqueue(
        {
            "subject": "Invitasjon",
            "body": "Hei",
            "from_email": "fra@nyskap.no",
            "to": ["ny@kommune.no"],
            "cc": [],
            "bcc": [],
            "reply_to": [],
            "headers": {},
            "alternatives": [],
        }
    )
    assert DBTaskResult.objects.count() == 1 and mail.outbox == []
    call_command("db_worker", "--batch")
    assert [m.subject for m in mail.outbox] == ["Invitasjon"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
