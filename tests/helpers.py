"""Helpers the tests share: reading pages and API answers, clients and headers, the security log, background-job
files, and the browser tests' language cookie, sign-in and axe-core scan. Objects are built by each app's
`tests/<app>/factories.py`; fixtures live in the conftest files."""

from __future__ import annotations

import json
import logging
import re
import socket
from pathlib import Path
from typing import Any

from django.contrib.messages import get_messages
from django.test import Client

# Ask the API (and pages that follow Accept-Language) for English.
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}

AXE_PATH = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"


# Pages


def english(client: Client) -> Client:
    """The client with the language cookie set to English: the page is asserted in English whatever the default."""
    client.cookies["django_language"] = "en"
    return client


def field_error(html: str, field: str) -> str:
    """The text of the validation message shown beside ``field`` (core/forms/field.html)."""
    match = re.search(rf'id="id_{field}_error">([^<]*)<', html)
    return match.group(1) if match else ""


def flash(response: Any) -> list[str]:
    """The messages (django.contrib.messages) the request behind ``response`` left for the next page."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def file_via_job(client: Client, url: str, **extra: Any) -> Any:
    """Ask for ``url``, which answers with a job's progress page; check that the page offers the finished file,
    and download it as the user would (the test settings run jobs at once)."""
    response = client.get(url, **extra)
    assert response.status_code == 302, response.status_code
    job_path = response["Location"]
    assert re.fullmatch(r"/oppgaver/[0-9a-f-]{36}/", job_path), job_path
    page = client.get(job_path, **extra)
    assert page.status_code == 200
    assert f'href="{job_path}fil/"' in page.content.decode()
    return client.get(f"{job_path}fil/", **extra)


# The API


def bearer(user: Any, **headers: str) -> dict[str, str]:
    """Request headers carrying a new API token of ``user`` (and any other ``headers``, e.g. ``**EN``)."""
    from nyskap.api.models import ApiToken

    _token, raw = ApiToken.issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}", **headers}


def api_error(status: int, code: str, message: str, errors: list | None = None) -> dict:
    """The API's error body: status, code, message and the errors by field."""
    return {"status": status, "code": code, "message": message, "errors": errors or []}


# Logs and processes


class SecurityLog:
    """What the `nyskap.security` logger wrote during a test (the `security_log` fixture)."""

    def __init__(self, handler: logging.Handler) -> None:
        self.handler = handler

    @property
    def lines(self) -> list[str]:
        records = self.handler.records  # type: ignore[attr-defined]
        return [record.getMessage() for record in records if record.name == "nyskap.security"]

    @property
    def events(self) -> list[dict]:
        return [json.loads(line) for line in self.lines]

    def named(self, event: str) -> list[dict]:
        return [entry for entry in self.events if entry["event"] == event]


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# Browser tests (Playwright)


class CspWatcher:
    """Collects Content-Security-Policy violations reported by the page (console and securitypolicyviolation)."""

    def __init__(self) -> None:
        self.violations: list[str] = []

    def attach(self, page) -> None:
        page.on(
            "console",
            lambda msg: self.violations.append(msg.text) if "Content Security Policy" in msg.text else None,
        )


def browser_language(context, live_server, language: str = "en") -> None:
    """Set the language cookie in a browser context (a page's is ``page.context``)."""
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])


def login_browser_as(page, live_server, user) -> None:
    """Give the browser an authenticated session for `user` (the login form itself is tested separately)."""
    from django.conf import settings

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])


def run_axe(page) -> list[dict]:
    """Run axe-core (injected by evaluate, since the CSP rightly blocks add_script_tag) for WCAG 2.1 A and AA."""
    page.evaluate(AXE_PATH.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
    ]
