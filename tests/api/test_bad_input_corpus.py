"""The bad-input corpus, sent to every API operation (from the OpenAPI schema) and every form (found by walking the
URL patterns and reading the pages), signed in with the right role: no answer is a 5xx, every API refusal is in
the error shape and names the field, every refused form names a field, and a refusal leaves the database as it
was. Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client

from nyskap.api.models import ApiToken
from nyskap.core.visibility import Visibility
from tests.benefits.factories import hand_worked_plan
from tests.core.urls_walk import all_routes
from tests.projects.conftest import make_project

pytestmark = pytest.mark.django_db

MEGABYTE = "x" * 1_000_000
TEXTS = {
    "nul": "a\x00b",
    "control": "a\x01b\x0bc\x1f",
    "lone_surrogate": "a\ud800b",
    "rtl_override": "\u202eevil\u202c",
    "megabyte": MEGABYTE,
    "empty": "",
}
NUMBERS_RAW = {
    "beyond_64_bits": "123456789012345678901234567890",
    "negative_beyond_64_bits": "-123456789012345678901234567890",
    "nan": "NaN",
    "infinity": "Infinity",
    "huge_float": "1e400",
    "beyond_32_bits": "4294967296",
}
DATES = {"first_day": "0001-01-01", "last_day": "9999-12-31", "no_such_day": "2024-02-30"}
# Whole bodies that are wrong in themselves: (content type, body).
BODIES = {
    "malformed_json": ("application/json", b'{"title": '),
    "empty_key": ("application/json", b'{"": "x"}'),
    "duplicate_key": ("application/json", b'{"title": "a", "title": "b"}'),
    "array": ("application/json", b"[]"),
    "deep_nesting": ("application/json", b"[" * 100_000 + b"]" * 100_000),
    "not_utf8": ("application/json", b'{"title": "\xff\xfe"}'),
    "text_plain": ("text/plain", b'{"title": "x"}'),
    "form_urlencoded": ("application/x-www-form-urlencoded", b"title=x"),
    "malformed_multipart": ("multipart/form-data; boundary=zzz", b"--zzz\r\nContent-Disposition: form-data\r\n\r\nx"),
    "oversized": ("application/json", b'{"title": "' + b"x" * 3_000_000 + b'"}'),
    "oversized_form": ("application/x-www-form-urlencoded", b"title=" + b"x" * 3_000_000),
}
PATH_VALUES = {"nul": "%00", "control": "a%01b", "lone_surrogate": "%ED%A0%80", "megabyte": "x" * 5000}
WRITTEN_APPS = ("projects", "benefits", "surveys", "culture", "organisations", "instruments", "accounts", "auditlog")
NOT_COMPARED = {"api.apitoken", "sessions.session"}  # last use of a token; sessions
EDITED_IN_PLACE = ("projects_project", "benefits_benefitplan", "benefits_benefit", "accounts_user")


def snapshot() -> str:
    """Row counts of every table the forms and the API write (auditlog's entries count each change to shared
    content), and the full rows of the tables the API edits in place: one query each, so it can run per request."""
    tables = sorted(
        model._meta.db_table
        for model in apps.get_models()
        if model._meta.app_label in WRITTEN_APPS
        and model._meta.label_lower not in NOT_COMPARED
        and not model._meta.proxy
    )
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        counts = ", ".join(f"(SELECT COUNT(*) FROM {table})" for table in tables)  # noqa: S608 - table names
        cursor.execute(f"SELECT {counts}")
        digest.update(repr(cursor.fetchone()).encode())
        for table in EDITED_IN_PLACE:
            cursor.execute(f"SELECT * FROM {table} ORDER BY id")  # noqa: S608 - fixed table names
            digest.update(repr(cursor.fetchall()).encode())
    return digest.hexdigest()


class Tally:
    def __init__(self) -> None:
        self.sent = 0
        self.server_errors: list[str] = []
        self.unnamed: list[str] = []
        self.half_saved: list[str] = []
        self.statuses: dict[int, int] = {}
        self.state = snapshot()

    def check(self, label: str, response: Any, *, api: bool) -> None:
        self.sent += 1
        status = response.status_code
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if status >= 500:
            self.server_errors.append(f"{status} {label}")
            return
        if 400 <= status < 500:
            if api:
                body = response.json()
                assert set(body) == {"status", "code", "message", "errors"}, label
                assert body["status"] == status, label
                if (status == 422 and not all(e["field"] for e in body["errors"])) or (
                    status == 422 and not body["errors"]
                ):
                    self.unnamed.append(label)
            now = snapshot()
            if now != self.state:
                self.half_saved.append(label)
                self.state = now
        else:
            self.state = snapshot()


@pytest.fixture
def world(innovator, leader, colleague, outsider, home_municipality, other_municipality):
    project = make_project(actor=innovator, owner=home_municipality, title="Varm mat", visibility=Visibility.PUBLIC)
    # The URL walk's sample slug, so that every project and benefit page opens on a real project.
    type(project).objects.filter(pk=project.pk).update(slug="oygarden")
    project.refresh_from_db()
    plan = hand_worked_plan(project=project, actor=innovator, owner=colleague)
    return {"project": project, "plan": plan, "benefit": plan.benefits.first()}


def _schema(client: Client) -> dict[str, Any]:
    return client.get("/api/v1/openapi.json").json()


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _kind(node: dict[str, Any], schema: dict[str, Any]) -> str:
    node = _resolve(schema, node)
    for option in node.get("anyOf", []):
        option = _resolve(schema, option)
        if option.get("type") != "null":
            node = option
            break
    if node.get("format") == "date":
        return "date"
    return str(node.get("type", "string"))


def _values_for(kind: str) -> dict[str, str]:
    """Raw JSON for one value of the kind, by corpus name."""
    texts = {name: json.dumps(text) for name, text in TEXTS.items()}
    if kind in ("integer", "number"):
        return {**NUMBERS_RAW, "text": json.dumps("x\x00")}
    if kind == "date":
        return {name: json.dumps(value) for name, value in DATES.items()} | {"nul": json.dumps("2024\x00")}
    if kind == "array":
        return {name: f"[{value}]" for name, value in texts.items()} | {"number": f"[{NUMBERS_RAW['nan']}]"}
    if kind == "object":
        return {name: '{"k": ' + value + "}" for name, value in texts.items()} | {
            "number": '{"k": ' + NUMBERS_RAW["beyond_64_bits"] + "}"
        }
    return texts


def _path(template: str, world: dict[str, Any], override: str | None = None) -> str:
    values = {
        "slug": world["project"].slug,
        "benefit_id": str(world["benefit"].pk),
        "round_id": "1",
        "call_id": "1",
        "token": "no-such-token",
        "secret": "no-such-secret",
    }
    if template.startswith("/api/v1/organisations/"):
        values["slug"] = "oygarden"
    return re.sub(r"\{(\w+)\}", lambda m: override if override is not None else values[m.group(1)], template)


def test_when_the_corpus_is_sent_to_every_api_operation_then_nothing_is_a_server_error(client, world, innovator):
    _token, raw = ApiToken.issue(user=innovator, name="korpus")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    schema = _schema(client)
    tally = Tally()
    operations = 0
    for template, methods in schema["paths"].items():
        for method, operation in methods.items():
            operations += 1
            send = getattr(client, method)
            for name, raw_value in PATH_VALUES.items():
                if "{" in template:
                    path = _path(template, world, raw_value)
                    tally.check(f"{method} {path[:80]} path:{name}", send(path, **auth), api=True)
            path = _path(template, world)
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "query":
                    continue
                for name, text in TEXTS.items():
                    response = client.generic(
                        method.upper(), path, QUERY_STRING=f"{parameter['name']}={_quote(text)}", **auth
                    )
                    tally.check(f"{method} {path} ?{parameter['name']}={name}", response, api=True)
            body = operation.get("requestBody")
            if not body:
                continue
            body_schema = _resolve(schema, body["content"]["application/json"]["schema"])
            for name, (content_type, raw_body) in BODIES.items():
                response = send(path, raw_body, content_type=content_type, **auth)
                tally.check(f"{method} {path} body:{name}", response, api=True)
            properties = body_schema.get("properties", {})
            if {"start_date", "end_date"} <= set(properties):
                end_before_start = json.dumps({"start_date": "2025-06-01", "end_date": "2024-01-01"})
                response = send(path, end_before_start, content_type="application/json", **auth)
                tally.check(f"{method} {path} end_before_start", response, api=True)
            for field, field_schema in properties.items():
                for name, raw_value in _values_for(_kind(field_schema, schema)).items():
                    response = send(path, f'{{"{field}": {raw_value}}}', content_type="application/json", **auth)
                    tally.check(f"{method} {path} {field}={name}", response, api=True)
    print(f"API corpus on {connection.vendor}: {tally.sent} requests over {operations} operations")
    assert operations == len([m for ms in schema["paths"].values() for m in ms])
    assert tally.sent > 900
    assert tally.server_errors == []
    assert tally.unnamed == []
    assert tally.half_saved == []


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text.encode("utf-8", "surrogatepass"), safe="")


class _Forms(HTMLParser):
    """The POST forms on a page: action and the fields with their current values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = {"action": a.get("action", ""), "fields": {}, "text": [], "enctype": a.get("enctype", "")}
            self.forms.append(self._form)
        if self._form is None or "name" not in a:
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form["fields"].setdefault(name, a.get("value", "on"))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self._form["fields"][name] = a.get("value", "")
                if kind in ("text", "search", "email", "url", "tel", "number", "date", "password"):
                    self._form["text"].append(name)
        elif tag == "textarea":
            self._form["fields"][name] = ""
            self._form["text"].append(name)
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and ("selected" in a or self._select not in self._form["fields"]):
            self._form["fields"][self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


SKIPPED_FORMS = ("/konto/logg-ut", "/accounts/logout/", "/drift/", "/i18n/", "/konto/slett")


def _forms(client: Client, path: str) -> list[dict[str, Any]]:
    response = client.get(path)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return []
    parser = _Forms()
    parser.feed(response.content.decode())
    for form in parser.forms:
        form["action"] = form["action"] or path
    return [f for f in parser.forms if f["text"] and not f["action"].startswith(SKIPPED_FORMS)]


FORM_TEXTS = {**TEXTS, **DATES, **{name: raw for name, raw in NUMBERS_RAW.items()}}


def test_when_the_corpus_is_sent_to_every_form_then_nothing_is_a_server_error(world, leader):
    signed_in = Client()
    signed_in.force_login(leader)
    routes, _ = all_routes()
    benefit = f"/gevinst/{world['benefit'].pk}/"  # the walk's sample id is 1; PostgreSQL's ids go on counting
    pages = [r.path.replace("/gevinst/1/", benefit) for r in routes if not r.path.startswith(("/api/", "/drift/"))]
    seen: set[str] = set()
    forms = []
    for path in pages:
        client = Client() if path.startswith("/accounts/") else signed_in
        for form in _forms(client, path):
            if form["action"] in seen:
                continue
            seen.add(form["action"])
            forms.append((client, form))
    tally = Tally()
    for client, form in forms:
        for name, text in FORM_TEXTS.items():
            # A megabyte in every field at once is over the upload limit (413, tested below): one field at a time.
            data = dict(form["fields"]) | dict.fromkeys(form["text"][:1] if text == MEGABYTE else form["text"], text)
            encoded = "&".join(f"{_quote(key)}={_quote(value)}" for key, value in data.items())
            response = client.post(form["action"], encoded, content_type="application/x-www-form-urlencoded")
            tally.check(f"POST {form['action']} {name}", response, api=False)
            page = response.content.decode() if "text/html" in response.get("Content-Type", "") else ""
            if response.status_code == 400 and "ds-validation-message" not in page and "ds-alert" not in page:
                tally.unnamed.append(f"POST {form['action']} {name}")
        for name, (content_type, raw_body) in BODIES.items():
            response = client.post(form["action"], raw_body, content_type=content_type)
            tally.check(f"POST {form['action']} body:{name}", response, api=False)
            if name == "oversized_form":
                assert response.status_code == 413, form["action"]
    print(f"Form corpus on {connection.vendor}: {tally.sent} requests over {len(forms)} forms")
    import os

    if os.environ.get("CORPUS_DEBUG"):
        print(sorted(f["action"] for _c, f in forms), tally.unnamed, tally.statuses)
    assert len(forms) >= 23
    assert tally.server_errors == []
    assert tally.unnamed == []
    assert tally.half_saved == []
