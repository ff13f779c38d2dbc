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
from django.urls import reverse

from nyskap.api.models import ApiToken
from nyskap.core.visibility import Visibility
from tests.benefits.factories import hand_worked_plan
from tests.core.urls_walk import all_routes
from tests.projects.factories import make_project

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
# What a form is sent as a whole body. A page's form reads only form-encoded and multipart bodies
# (nyskap.core.middleware): every other content type reaches the view as an empty form, whatever its JSON holds, so
# the JSON bodies above stand for one case there and are sent to the API operations only; a form gets one JSON body
# of each size and the form-encoded cases (bytes that are not UTF-8, fields missing, a broken multipart, too big).
FORM_BODIES = {
    name: BODIES[name]
    for name in (
        "malformed_json",
        "text_plain",
        "form_urlencoded",
        "malformed_multipart",
        "oversized",
        "oversized_form",
    )
} | {"not_utf8_form": ("application/x-www-form-urlencoded", b"title=\xff\xfe&description=%FF")}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Files sent where an operation takes a file as its body: empty, not a workbook, a broken zip, a huge one.
FILE_BODIES = {
    "empty_file": (XLSX, b""),
    "not_a_workbook": (XLSX, b"a;b\n1;2\n"),
    "broken_zip": (XLSX, b"PK\x03\x04" + b"\x00" * 200),
    "nul_bytes": (XLSX, b"\x00" * 1000),
    "oversized_file": (XLSX, b"PK\x03\x04" + b"x" * 3_000_000),
}
PATH_VALUES = {"nul": "%00", "control": "a%01b", "lone_surrogate": "%ED%A0%80", "megabyte": "x" * 5000}
WRITTEN_APPS = (
    "projects",
    "benefits",
    "surveys",
    "culture",
    "organisations",
    "instruments",
    "accounts",
    "auditlog",
    "trials",
    "procurement",
    "challenges",
    "barometer",
)
NOT_COMPARED = {"api.apitoken", "sessions.session", "surveys.linkticket"}  # token use; sessions; fresh tickets
EDITED_IN_PLACE = ("projects_project", "benefits_benefitplan", "benefits_benefit", "accounts_user", "trials_trial")


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
        self.not_refused: list[str] = []
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

    def check_refused_in_form(self, label: str, response: Any, page: str, code_point: str) -> None:
        """A refused character: the form is shown again (400; 422 on the survey pages; 200 on the sign-in pages
        and in the operator pages, as allauth and Django's admin answer) with an error on a field naming the
        character, and nothing is saved."""
        named = re.search(
            r'class="(ds-validation-message|errorlist)[^"]*"[^>]*>(<li>)?[^<]*' + re.escape(code_point), page
        )
        if response.status_code not in (200, 400, 422) or not named:
            self.not_refused.append(f"{response.status_code} {label}")
        now = snapshot()
        if now != self.state:
            self.half_saved.append(label)
            self.state = now


@pytest.fixture
def world(innovator, leader, colleague, outsider, home_municipality, other_municipality):
    project = make_project(actor=innovator, owner=home_municipality, title="Varm mat", visibility=Visibility.PUBLIC)
    # The URL walk's sample slug, so that every project and benefit page opens on a real project.
    type(project).objects.filter(pk=project.pk).update(slug="oygarden")
    project.refresh_from_db()
    plan = hand_worked_plan(project=project, actor=innovator, owner=colleague)
    # A submitted plan, whose next version may be imported (the draft above refuses that before reading a file).
    from nyskap.benefits import services as benefit_services

    released = make_project(
        actor=innovator, owner=home_municipality, title="Innsendt versjon", visibility=Visibility.ORGANISATION
    )
    benefit_services.plan_submit(
        plan=hand_worked_plan(project=released, actor=innovator, owner=colleague), actor=innovator
    )
    return {"project": project, "plan": plan, "benefit": plan.benefits.first(), "released": released}


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
        "task_id": "00000000-0000-4000-8000-000000000000",  # no such task
        "lens": "county",
        "key": "46",
    }
    if template.startswith("/api/v1/organisations/"):
        values["slug"] = "oygarden"
    if template.endswith("/plans/{slug}/versions"):
        values["slug"] = world["released"].slug
    return re.sub(r"\{(\w+)\}", lambda m: override if override is not None else values[m.group(1)], template)


def _send_multipart(
    client: Client, tally: Tally, schema: dict[str, Any], method: str, path: str, body: dict, auth: dict[str, str]
) -> None:
    """An upload (multipart form, e.g. an import): the wrong bodies, then the corpus in each text field, without
    and with a file. Texts that cannot be encoded as UTF-8 (a lone surrogate) cannot be put in a form by the test
    client; the body "not_utf8" stands for them."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    send = getattr(client, method)
    for name, (content_type, raw_body) in BODIES.items():
        response = send(path, raw_body, content_type=content_type, **auth)
        tally.check(f"{method} {path} body:{name}", response, api=True)
    form_schema = _resolve(schema, body["content"]["multipart/form-data"]["schema"])
    fields = form_schema.get("properties", {})
    for field, field_schema in fields.items():
        if _resolve(schema, field_schema).get("format") == "binary":
            continue
        for name, text in TEXTS.items():
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                continue
            for with_file in (False, True):
                data: dict[str, Any] = {field: text}
                if with_file:
                    data["file"] = SimpleUploadedFile("prosjekter.csv", b"title\r\nVarm mat\r\n")
                response = send(path, data, **auth)
                tally.check(f"{method} {path} {field}={name} file={with_file}", response, api=True)


def test_when_the_corpus_is_sent_to_every_api_operation_then_nothing_is_a_server_error(
    client, world, innovator, report_figure
):
    _token, raw = ApiToken.issue(user=innovator, name="korpus")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    schema = _schema(client)
    tally = Tally()
    operations = 0
    file_answers: dict[tuple[str, str], int] = {}
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
            if "application/json" not in body["content"]:
                if "multipart/form-data" in body["content"]:
                    _send_multipart(client, tally, schema, method, path, body, auth)
                else:
                    # A file as the body (the benefit-plan import): the malformed bodies, and files that are not one.
                    for name, (content_type, raw_body) in {**BODIES, **FILE_BODIES}.items():
                        response = send(path, raw_body, content_type=content_type, **auth)
                        tally.check(f"{method} {path} body:{name}", response, api=True)
                        file_answers[(template, name)] = response.status_code
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
    report_figure(
        f"API corpus on {connection.vendor}: {tally.sent} requests over {operations} operations, "
        f"{len(tally.server_errors)} server errors"
    )
    assert operations == len([m for ms in schema["paths"].values() for m in ms])
    assert tally.sent > 900
    # The file operations read the files sent (a wrong type is 415, a file that is not a workbook 422), rather than
    # refusing before them.
    file_operations = sorted({template for template, _name in file_answers})
    assert file_operations == ["/api/v1/benefits/plans/{slug}/import", "/api/v1/benefits/plans/{slug}/versions"]
    assert {file_answers[(t, "not_a_workbook")] for t in file_operations} == {409, 422}  # the first: has a plan
    assert file_answers[("/api/v1/benefits/plans/{slug}/versions", "not_a_workbook")] == 422
    assert file_answers[("/api/v1/benefits/plans/{slug}/versions", "text_plain")] == 415
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
        self._picked: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = {"action": a.get("action", ""), "fields": {}, "text": [], "enctype": a.get("enctype", "")}
            self.forms.append(self._form)
            self._picked = set()
        if self._form is not None and tag == "option" and self._select:
            # The option a person would leave or pick: the selected one, or the first real one when the selected
            # one is the empty "choose" option of a required list.
            value = a.get("value", "")
            chosen = self._form["fields"].get(self._select)
            if chosen is None or (chosen == "" and value and self._select not in self._picked):
                self._form["fields"][self._select] = value
            if "selected" in a and value:
                self._picked.add(self._select)
                self._form["fields"][self._select] = value
            return
        if self._form is None or "name" not in a:
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form["fields"].setdefault(name, a.get("value", "on"))
            elif kind == "file":
                self._form.setdefault("files", []).append(name)
            elif kind not in ("submit", "button", "image", "reset"):
                self._form["fields"][name] = a.get("value", "")
                if kind in ("text", "search", "email", "url", "tel", "number", "date", "password"):
                    self._form["text"].append(name)
        elif tag == "textarea":
            self._form["fields"][name] = ""
            self._form["text"].append(name)
        elif tag == "select":
            self._select = name

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


# Forms not sent the corpus, each with the reason. Everything else that takes a POST must have a form in it.
EXCLUDED = {
    "organisations_operator:register_imports": "a file upload, not text fields: bad files (broken JSON and gzip, "
    "Latin-1, control characters, missing columns) are sent in tests/organisations/test_register_import.py",
    "organisations_operator:register_import_apply": "a button that applies a previewed import; refusals tested in "
    "tests/organisations/test_register_import.py",
    "account_logout": "signs the client out; a button without fields",
    "accounts:account_delete": "deletes the signed-in account the corpus runs with; its form is tested alone",
    "set_language": "Django's language switch: a choice, not text; the language pages' own form is in the corpus",
    "core:language_choice": "a button per language; the choice is refused unless it is one of three",
    "openid_connect_login": "hands over to the identity provider (ID-porten); no text",
    "openid_connect_callback": "the identity provider's answer, not a form on a page",
    "mfa_add_webauthn": "security keys need a browser's WebAuthn; TOTP and recovery codes are in the corpus",
    "mfa_login_webauthn": "security keys need a browser's WebAuthn",
    "mfa_reauthenticate_webauthn": "security keys need a browser's WebAuthn",
    "mfa_edit_webauthn": "needs a registered security key (WebAuthn)",
    "mfa_remove_webauthn": "needs a registered security key (WebAuthn)",
    "socialaccount_signup": "only within a single sign-on that has no account yet",
    "socialaccount_connections": "single sign-on connections: radio choice and buttons, no text",
    "account_confirm_login_code": "login by code is not enabled",
    "account_request_reauthentication_code": "login by code is not enabled",
    "account_confirm_reauthentication_code": "login by code is not enabled",
    "account_reset_password_from_key": "needs the key from the e-mail; the same password fields as sign-up",
    "account_confirm_email": "needs the key from the e-mail; a button without fields",
    "account_set_password": "only for accounts without a password (single sign-on); the fields of password change",
    "account_email_verification_sent": "allauth's notice page; its POST is the sign-up form's",
    "accounts:mfa_required": "a notice with a link to the two-factor set-up",
    "accounts:supplier_profile_delete": "button only; shown once a supplier profile exists; tested in "
    "tests/accounts/test_supplier.py",
}
# Paths the corpus does not open as pages, and forms it does not send: signing out would end the session the
# corpus runs with.
SKIPPED_PAGES = ("/accounts/logout/", "/konto/slett/")
SKIPPED_ACTIONS = ("admin:logout", "account_logout")


def _forms(client: Client, path: str) -> list[dict[str, Any]]:
    response = client.get(path, follow=True)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return []
    page_path = response.request["PATH_INFO"]
    query = response.request.get("QUERY_STRING", "")
    parser = _Forms()
    parser.feed(response.content.decode())
    for form in parser.forms:
        form["action"] = form["action"] or (f"{page_path}?{query}" if query else page_path)
    return parser.forms


def _route_name(action: str) -> str:
    from urllib.parse import unquote

    from django.urls import Resolver404, resolve

    try:
        # Paths with Norwegian letters (/konto/forespørsler/…) come percent-encoded from {% url %}.
        match = resolve(unquote(action.split("?", 1)[0]))
    except Resolver404:
        return ""
    return match.view_name


def _accepts_post(callback: Any) -> bool:
    """Whether a view takes a POST: a class-based view with `post`, a view whose method decorator lists POST, the
    admin's add, change, delete and list views, or a function without a method decorator (it may)."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post")
    function = callback
    while function is not None:
        for cell in getattr(function, "__closure__", None) or ():
            contents = cell.cell_contents
            listed = isinstance(contents, list) and all(isinstance(m, str) for m in contents)
            methods = {m.upper() for m in contents} if listed else set()
            if methods and methods <= {"GET", "HEAD", "POST", "OPTIONS", "PUT", "PATCH", "DELETE"}:
                return "POST" in methods
        function = getattr(function, "__wrapped__", None)
    return True


def _post_routes() -> set[str]:
    from django.urls import get_resolver

    names: set[str] = set()

    def walk(patterns: list, namespace: str | None) -> None:
        from django.urls import URLPattern, URLResolver

        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace
                walk(pattern.url_patterns, f"{namespace}:{ns}" if namespace and ns else (ns or namespace))
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                if name.startswith("admin:"):
                    # The operator pages (Django's admin): each model's add page stands for its change page, which
                    # has the same form; delete pages and the lists' actions are buttons and choices.
                    if name.endswith("_add"):
                        names.add(name)
                elif not name.startswith("api-") and _accepts_post(pattern.callback):
                    names.add(name)

    walk(get_resolver().url_patterns, None)
    return names


@pytest.fixture
def cast(
    world,
    leader,
    innovator,
    colleague,
    outsider,
    operator,
    home_municipality,
    owner_organisations,
    instrument_owner,
):
    """Who opens which pages, and the objects the sample URLs stand for: the instrument owner's instrument and
    call, a survey round open by link, the operator (signed in with two factors) and a sign-in half done."""
    import datetime

    from django.utils import timezone

    from nyskap.instruments import catalogue
    from nyskap.instruments.models import Call, Instrument
    from nyskap.instruments.services import catalogue_load
    from tests.accounts.factories import PASSWORD
    from tests.surveys.factories import make_round, make_version

    catalogue_load()
    # Objects behind the buttons: a pending invitation to the organisation and a pending request to join it (the
    # members page), an invitation to the survey round not yet answered (the round page), a submitted plan (its
    # version page offers a new version).
    from nyskap.accounts.models import Invitation as MemberInvitation
    from nyskap.accounts.models import JoinRequest
    from nyskap.benefits import services as benefit_services
    from nyskap.surveys.models import Invitation as SurveyInvitation

    MemberInvitation.objects.create(organisation=home_municipality, email="ny@oygarden.kommune.no", invited_by=leader)
    JoinRequest.objects.create(user=outsider, organisation=home_municipality)
    # Something followed, so the list of what one follows offers to stop.
    from nyskap.projects.following.services import subscription_create
    from nyskap.projects.models import SubscriptionKind

    subscription_create(user=leader, kind=SubscriptionKind.PROJECT, target=world["project"].slug)
    submitted = make_project(
        actor=innovator, owner=home_municipality, title="Innsendt plan", visibility=Visibility.ORGANISATION
    )
    benefit_services.plan_submit(
        plan=hand_worked_plan(project=submitted, actor=innovator, owner=colleague), actor=innovator
    )
    without_plan = make_project(
        actor=innovator, owner=home_municipality, title="Uten plan", visibility=Visibility.ORGANISATION
    )
    instrument = Instrument.objects.filter(owners=owner_organisations[catalogue.DIGDIR]).order_by("slug").first()
    assert instrument is not None
    today = timezone.localdate()
    call = Call.objects.create(instrument=instrument, title="Utlysning 2027", opens_on=today)
    survey = make_round(
        actor=innovator,
        organisation=home_municipality,
        version=make_version(),
        opens_on=today,
        closes_on=today + datetime.timedelta(days=30),
        link_enabled=True,
    )

    def signed_in(user: Any, *, reauthenticated: bool = False) -> Client:
        client = Client()
        client.force_login(user)
        if reauthenticated:
            assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
        return client

    # Trials: one planned under the trial act at the sample slug (its page offers the transitions, its approval
    # page the checklist, its exemptions page the removal of its exemption), and one ended (its results page offers
    # the report).
    from nyskap.trials import services as trial_services
    from tests.trials.factories import make_trial, run_to_end

    at_sample_slug = make_trial(actor=innovator, owner=home_municipality, title="Oygarden", kind="forsoksloven")
    trial_services.exemption_add(
        actor=innovator, trial=at_sample_slug, rule="Opplæringsloven § 1-1", reason="Forsøk", for_whom="Elevene"
    )
    ended = run_to_end(make_trial(actor=innovator, owner=home_municipality, title="Avsluttet forsøk"), innovator)
    # And one in a sandbox with a round (its admission and exit report form).
    from nyskap.trials.models import Sandbox, SandboxRound

    sandbox = Sandbox.objects.create(name="Sandkasse", slug="oygarden", owner=home_municipality)
    SandboxRound.objects.create(sandbox=sandbox, deadline=today, applications=3, admitted=1)
    sandboxed = make_trial(
        actor=innovator, owner=home_municipality, title="I sandkassen", kind="sandbox", sandbox=sandbox
    )

    # The objects behind the remaining buttons, each on the page that offers it (`pages`) or behind the link from
    # its e-mail (`replace`): an invitation for a person with an account, an owner role the leader may revoke, a
    # saved matcher question with its unsubscribe link, a followed project's unsubscribe link, a recorded
    # instrument use and an attachment on the project page, a closed round, a saved answer's private link and a
    # calculated prevention case.
    from django.core.files.uploadedfile import SimpleUploadedFile

    from nyskap.instruments import notifications
    from nyskap.instruments import services as instrument_services
    from nyskap.instruments.models import InstrumentOwnerRole, Outcome
    from nyskap.projects.following import services as following_services
    from nyskap.projects.models import Subscription
    from nyskap.projects.services.attachments import attachment_add
    from nyskap.surveys import services as survey_services
    from nyskap.surveys.selectors import Access
    from tests.accounts.factories import UserFactory

    invitee = UserFactory(email="invitert@oygarden.kommune.no", name="Iver Invitert")
    invitation = MemberInvitation.objects.create(organisation=home_municipality, email=invitee.email, invited_by=leader)
    InstrumentOwnerRole.objects.create(user=colleague, organisation=home_municipality, granted_by=leader)
    matcher_query = "phase=develop_test&needs=money&organisation=oygarden"
    profile = instrument_services.profile_create(user=leader, query=matcher_query, label="Penger til utprøving")
    followed = Subscription.objects.get(user=leader, project=world["project"])
    instrument_services.use_add(
        project=world["project"], actor=innovator, instrument=instrument, year=today.year, outcome=Outcome.values[0]
    )
    attachment_add(
        project=world["project"],
        actor=innovator,
        upload=SimpleUploadedFile("rapport.pdf", b"%PDF-1.7 rapport", content_type="application/pdf"),
    )
    closed = make_round(
        actor=innovator,
        organisation=home_municipality,
        version=survey.version,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=30),
    )
    survey_services.round_close(actor=leader, round=closed)
    saved = survey_services.response_save(
        access=Access(round=survey), data={}, submit=False, ticket=survey_services.link_ticket_issue(round=survey)
    )
    assert saved.resume_secret is not None
    calculator = (
        "/gevinster/forebygging/?persons=10&success_rate=20&start_age=18&cost-TOTAL_FORMS=1&cost-INITIAL_FORMS=0"
        "&cost-0-level=state&cost-0-sector=NAV&cost-0-from_age=18&cost-0-to_age=58&cost-0-yearly_cost=150000"
    )

    def sample(name: str, **kwargs: str) -> str:
        return reverse(name, kwargs=kwargs)

    # Challenges: one open for proposals at the sample slug (a start-up programme, so its stages have a page) with a
    # body waiting to be accepted as co-owner, a supplier's question and proposal; a second one in evaluation with
    # criteria, for the score page and the shortlist buttons; the supplier follows a topic (the stop button).
    from nyskap.challenges import services as challenge_services
    from tests.accounts.factories import SupplierProfileFactory
    from tests.challenges.factories import make_challenge

    challenge_supplier = UserFactory(email="leverandor@start.no", name="Lea Leverandør")
    SupplierProfileFactory(user=challenge_supplier, company_name="Start AS")
    challenge_services.follow(actor=challenge_supplier, topic="vann")
    open_challenge = make_challenge(
        actor=innovator, owner=home_municipality, title="Oygarden", procedure="startup_programme"
    )
    open_challenge = challenge_services.open_proposals(actor=innovator, challenge=open_challenge)
    challenge_services.join(
        actor=outsider, challenge=open_challenge, organisation=outsider.memberships.get().organisation
    )
    challenge_question = challenge_services.ask(
        actor=challenge_supplier, challenge=open_challenge, text="Hvor mye slam?"
    )
    challenge_proposal = challenge_services.submit_proposal(
        actor=challenge_supplier, challenge=open_challenge, text="Robot"
    )
    evaluated = make_challenge(actor=innovator, owner=home_municipality, title="Vurdert utfordring")
    evaluated = challenge_services.open_proposals(actor=innovator, challenge=evaluated)
    evaluated_proposal = challenge_services.submit_proposal(actor=challenge_supplier, challenge=evaluated, text="Drone")
    challenge_services.start_evaluation(actor=innovator, challenge=evaluated)
    challenge_services.set_criteria(actor=innovator, challenge=evaluated, criteria=[("Kvalitet", 60), ("Pris", 40)])
    challenge_stage = open_challenge.stages.order_by("position").first()
    assert open_challenge.slug == "oygarden" and challenge_stage is not None

    halfway = Client()  # signed in with a password, the second factor still to come
    login = halfway.post("/accounts/login/", {"login": operator.email, "password": PASSWORD})
    assert login["Location"] == "/accounts/2fa/authenticate/"
    SurveyInvitation.objects.create(round=survey, email="svar@x.no", token_hash="0" * 64)
    # The barometer: a round in draft with a frame (frame, sample and fieldwork forms), one in fieldwork (close),
    # one closed (publish) and a strategic one in draft (its frame from the reference data).
    from tests.barometer.factories import barometer_round, fielded_round, workplaces

    barometer_draft = barometer_round(innovator, home_municipality)
    barometer_services = __import__("nyskap.barometer.services", fromlist=["frame_upload"])
    from tests.barometer.factories import frame_csv

    barometer_services.frame_upload(
        actor=innovator, round=barometer_draft, upload=frame_csv(workplaces(6)), filename="frame.csv"
    )
    barometer_fielded = fielded_round(innovator, home_municipality, workplaces(6))
    barometer_closed = barometer_services.round_close(
        actor=innovator, round=fielded_round(innovator, home_municipality, workplaces(6))
    )
    barometer_strategic = barometer_round(innovator, home_municipality, kind="strategic")  # its reference-data form
    return {
        "leader": signed_in(leader),
        "anonymous": Client(),
        "operator": signed_in(operator, reauthenticated=True),
        "without_mfa": signed_in(innovator, reauthenticated=True),
        "halfway": halfway,
        "instrument_owner": signed_in(instrument_owner),
        "invitee": signed_in(invitee),
        "supplier": signed_in(challenge_supplier),
        # Pages opened besides the walk's, for the forms they offer only with a query or a second object.
        "pages": [
            ("leader", f"{reverse('instruments:matcher')}?{matcher_query}"),
            ("leader", calculator),
            ("leader", reverse("surveys:round", kwargs={"pk": closed.pk})),
            ("leader", reverse("challenges:evaluation", kwargs={"slug": evaluated.slug})),
            ("leader", reverse("barometer:round", kwargs={"pk": barometer_fielded.pk})),
            ("leader", reverse("barometer:round", kwargs={"pk": barometer_closed.pk})),
            ("leader", reverse("barometer:round", kwargs={"pk": barometer_strategic.pk})),
        ],
        "replace": {
            sample("accounts:invitation_accept", token="no-such-token"): sample(
                "accounts:invitation_accept", token=invitation.token
            ),
            sample("instruments:unsubscribe", token="no-such-token"): sample(
                "instruments:unsubscribe", token=notifications.unsubscribe_token(profile)
            ),
            sample("project_follow:unsubscribe", token="no-such-token"): sample(
                "project_follow:unsubscribe", token=following_services.unsubscribe_token(followed)
            ),
            sample("surveys:resume", secret="no-such-secret"): sample("surveys:resume", secret=saved.resume_secret),
            "/virkemidler/oygarden/": f"/virkemidler/{instrument.slug}/",
            f"/virkemidler/{instrument.slug}/utlysninger/1/": f"/virkemidler/{instrument.slug}/utlysninger/{call.pk}/",
            "/undersokelser/svar/no-such-token/": f"/undersokelser/svar/{survey.link_token}/",
            "/undersokelser/runde/1/": f"/undersokelser/runde/{survey.pk}/",
            "/gevinst/1/": f"/gevinst/{world['benefit'].pk}/",
            "/gevinster/prosjekt/oygarden/versjon/1/": f"/gevinster/prosjekt/{submitted.slug}/versjon/1/",
            # A project without a plan, for the pages that write or import its first one.
            "/gevinster/prosjekt/oygarden/ny/": f"/gevinster/prosjekt/{without_plan.slug}/ny/",
            "/gevinster/prosjekt/oygarden/importer/": f"/gevinster/prosjekt/{without_plan.slug}/importer/",
            "/forsok/oygarden/resultater/": f"/forsok/{ended.slug}/resultater/",
            "/forsok/oygarden/sandkasse/": f"/forsok/{sandboxed.slug}/sandkasse/",
            "/utfordringer/oygarden/sporsmal/1/": f"/utfordringer/oygarden/sporsmal/{challenge_question.pk}/",
            "/utfordringer/oygarden/program/1/": f"/utfordringer/oygarden/program/{challenge_stage.pk}/",
            "/utfordringer/oygarden/forslag/1/": f"/utfordringer/oygarden/forslag/{challenge_proposal.pk}/",
            "/utfordringer/oygarden/vurdering/1/": f"/utfordringer/{evaluated.slug}/vurdering/{evaluated_proposal.pk}/",
            "/barometer/1/": f"/barometer/{barometer_draft.pk}/",
            # A submitted plan, for the page that imports its next version.
            "/gevinster/prosjekt/oygarden/importer-versjon/": f"/gevinster/prosjekt/{submitted.slug}/importer-versjon/",
        },
    }


# Who opens a page, by route name (first match): everything else is opened by the leader of the home
# municipality, who may change its projects, plans and surveys.
OPENED_BY = (
    ("mfa_activate_totp", "without_mfa"),
    ("mfa_authenticate", "halfway"),
    ("mfa_", "operator"),
    ("account_reauthenticate", "operator"),
    ("account_change_password", "operator"),
    ("account_email", "operator"),
    ("account_", "anonymous"),
    ("socialaccount_", "anonymous"),
    ("surveys:respond", "anonymous"),
    ("admin:", "operator"),
    ("accounts:operator_join_requests", "operator"),
    ("instruments:create", "instrument_owner"),
    ("instruments:edit", "instrument_owner"),
    ("instruments:call_", "instrument_owner"),
    ("accounts:invitation_accept", "invitee"),
    ("instruments:unsubscribe", "anonymous"),
    ("project_follow:unsubscribe", "anonymous"),
    ("surveys:resume", "anonymous"),
    ("procurement:", "operator"),
    ("challenges:proposal_operator_read", "operator"),
    ("challenges:proposal", "supplier"),
    ("challenges:ask", "supplier"),
    ("challenges:follows", "supplier"),
    ("challenges:unfollow", "supplier"),
)


def _opener(name: str) -> str:
    return next((who for prefix, who in OPENED_BY if name.startswith(prefix)), "leader")


# Routes posted to by a script on another route's page, with that page's form: the project form's own similarity
# check (htmx sends the need fields of the form as typed). It searches and shows a list; it saves and refuses nothing.
POSTED_WITH = {"projects:similar": "projects:create"}


def _all_forms(cast: dict[str, Any]) -> list[tuple[Client, dict[str, Any]]]:
    routes, _ = all_routes()
    seen: set[str] = set()
    forms = []
    pages = []
    for route in routes:
        if route.path.startswith(("/api/", *SKIPPED_PAGES)) or route.name in EXCLUDED:
            continue
        path = route.path
        for sample, real in cast["replace"].items():
            path = path.replace(sample, real)
        pages.append((cast[_opener(route.name)], path))
    pages += [(cast[who], path) for who, path in cast["pages"]]
    for client, path in pages:
        for form in _forms(client, path):
            name = _route_name(form["action"])
            if form["action"] in seen or name in EXCLUDED or name in SKIPPED_ACTIONS or not name:
                continue
            seen.add(form["action"])
            form["route"] = name
            forms.append((client, form))
    for target, source in POSTED_WITH.items():
        client, form = next((c, f) for c, f in forms if f["route"] == source)
        forms.append((client, form | {"action": reverse(target), "route": target, "search": True}))
    return forms


def _uncovered_post_routes(cast: dict[str, Any], found: list[tuple[Client, dict[str, Any]]]) -> list[str]:
    """Routes that take a POST with no form in the corpus and no reason: a new page with a form is picked up by the
    walk; one the walk cannot reach is named here until it is opened with the right role (OPENED_BY, `cast`) or
    listed in EXCLUDED with the reason."""
    covered = {form["route"] for _client, form in found}
    operator = cast["operator"]
    # The operator pages of models nobody adds by hand (log entries, task results, sign-in attempts) refuse adding.
    not_addable = {
        name for name in _post_routes() if name.startswith("admin:") and operator.get(reverse(name)).status_code == 403
    }
    return sorted(_post_routes() - covered - set(EXCLUDED) - not_addable)


# Text the rule refuses (nyskap.core.text), with the character each refusal must name. A lone surrogate cannot
# reach a form: its UTF-8 bytes are invalid and arrive as replacement characters. Sent first, before an accepted
# value may have changed what the form offers (an abandoned benefit has no abandon form).
REFUSED_IN_FORMS = {"nul": "U+0000", "control": "U+0001", "rtl_override": "U+202E"}
FORM_TEXTS = {
    **{name: TEXTS[name] for name in REFUSED_IN_FORMS},
    **TEXTS,
    **DATES,
    **{name: raw for name, raw in NUMBERS_RAW.items()},
}


# What a form of buttons is sent besides the malformed bodies: bad values for each part of its path (the object's id,
# slug or token; a token of a megabyte), the other methods, the corpus in each hidden field and in the query, and
# bad files in each file field.
PATH_PARTS = {**PATH_VALUES, "megabyte_token": "x" * 1_000_000}
WRONG_METHODS = ("GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS")
# The routes that were left out until the corpus's cast made their objects: each must have been reached with the
# right role (at least one answer below 400), not only refused.
BUTTON_ROUTES = (
    "accounts:invitation_accept",
    "instruments:owner_role_delete",
    "instruments:profile_save",
    # "instruments:profile_delete" is sent its corpus like every button route, but it is not required to be reached:
    # by the time its button comes, a form sent earlier may have removed the saved question it deletes (not yet
    # made independent of the order).
    "instruments:unsubscribe",
    "instruments:use_delete",
    "project_follow:follow",
    "project_follow:unfollow",
    "project_follow:unsubscribe",
    "projects:attachment_delete",
    "projects:similar",
    "surveys:reopen",
    "surveys:resume",
    "benefits:prevention_save",
    "trials:exemption_remove",
)


def _encoded(data: dict[str, str]) -> str:
    return "&".join(f"{_quote(key)}={_quote(value)}" for key, value in data.items())


def _button_corpus(client: Client, form: dict[str, Any], send: Any) -> None:
    from urllib.parse import parse_qsl, unquote

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import resolve

    action = form["action"]
    path, _, query = action.partition("?")
    body = _encoded(form["fields"])
    form_type = "application/x-www-form-urlencoded"
    for key, value in resolve(unquote(path)).kwargs.items():
        segment = f"/{value}/"
        if not isinstance(value, (str, int)) or segment not in unquote(path):
            continue
        for name, bad in PATH_PARTS.items():
            bad_path = unquote(path).replace(segment, f"/{bad}/", 1)
            send(f"POST {action[:80]} path:{key}={name}", client.post(bad_path, body, content_type=form_type))
    for method in WRONG_METHODS:
        send(f"{method} {action[:80]}", client.generic(method, action, body, content_type=form_type))
    for field in form["fields"]:
        if field == "csrfmiddlewaretoken":
            continue
        for name, text in TEXTS.items():
            data = dict(form["fields"]) | {field: text}
            send(f"POST {action[:80]} {field}={name}", client.post(action, _encoded(data), content_type=form_type))
    for field in form.get("files", []):
        for name, (content_type, raw) in FILE_BODIES.items():
            upload = SimpleUploadedFile("fil.xlsx", raw, content_type=content_type)
            send(f"POST {action[:80]} {field}:{name}", client.post(action, dict(form["fields"]) | {field: upload}))
    for name, text in TEXTS.items():
        pairs = [*parse_qsl(query), ("next", text)]
        bad_query = "&".join(f"{_quote(k)}={_quote(v)}" for k, v in pairs)
        send(f"POST {path[:80]}?{name}", client.post(f"{path}?{bad_query}", body, content_type=form_type))


def test_when_the_corpus_is_sent_to_every_form_then_nothing_is_a_server_error(cast, settings, report_figure):
    settings.ACCOUNT_RATE_LIMITS = False  # allauth's limits on sign-in tries (tested in tests/accounts): 429s
    found = _all_forms(cast)
    # Every route that takes a POST has a form in the corpus or a reason (one walk serves both checks).
    assert _uncovered_post_routes(cast, found) == []
    assert set(EXCLUDED) <= _post_routes()  # no stale exclusions
    # Forms with text fields get the corpus in them; forms of buttons only get the malformed bodies, last, since
    # some of them delete what the other forms work on. Of the buttons, those that must be reached go first, so that
    # no other button (a member, a role or a project removed) can have taken their object or its opener's rights
    # first; once on PostgreSQL the instrument use and the attachment were out of reach by the time their turn came.
    buttons = [(c, f) for c, f in found if not f["text"]]
    buttons.sort(key=lambda item: item[1]["route"] not in BUTTON_ROUTES)  # stable: otherwise as found
    forms = [(c, f) for c, f in found if f["text"]] + buttons
    tally = Tally()
    reached: dict[str, set[int]] = {}

    first_answers: dict[str, str] = {}  # for a route not reached: what its first real request was answered

    def send(label: str, response: Any, route: str) -> None:
        tally.check(label, response, api=False)
        reached.setdefault(route, set()).add(response.status_code)
        if route in BUTTON_ROUTES and route not in first_answers and response.status_code not in (404, 405):
            first_answers[route] = f"{label}: {response.status_code} {response.content[:300]!r}"

    for client, form in forms:
        if not form["text"]:
            _button_corpus(client, form, lambda label, response, route=form["route"]: send(label, response, route))
        for name, text in FORM_TEXTS.items() if form["text"] else ():
            # A megabyte in every field at once is over the upload limit (413, tested below): one field at a time.
            data = dict(form["fields"]) | dict.fromkeys(form["text"][:1] if text == MEGABYTE else form["text"], text)
            encoded = "&".join(f"{_quote(key)}={_quote(value)}" for key, value in data.items())
            response = client.post(form["action"], encoded, content_type="application/x-www-form-urlencoded")
            send(f"POST {form['action']} {name}", response, form["route"])
            page = response.content.decode() if "text/html" in response.get("Content-Type", "") else ""
            if response.status_code == 400 and "ds-validation-message" not in page and "ds-alert" not in page:
                tally.unnamed.append(f"POST {form['action']} {name}")
            if name in REFUSED_IN_FORMS and not form.get("search"):
                tally.check_refused_in_form(f"POST {form['action']} {name}", response, page, REFUSED_IN_FORMS[name])
        for name, (content_type, raw_body) in FORM_BODIES.items():
            response = client.post(form["action"], raw_body, content_type=content_type)
            send(f"POST {form['action']} body:{name}", response, form["route"])
            if name == "oversized_form":
                assert response.status_code == 413, form["action"]
    with_text = sum(1 for _c, f in forms if f["text"])
    report_figure(
        f"Form corpus on {connection.vendor}: {tally.sent} requests over {len(forms)} forms "
        f"({with_text} with text fields x {len(FORM_TEXTS)} inputs + {len(FORM_BODIES)} bodies each; "
        f"{len(forms) - with_text} of buttons with bad path parts, methods, hidden fields and queries), "
        f"{len(tally.server_errors)} server errors"
    )
    import os

    if os.environ.get("CORPUS_DEBUG"):
        print(sorted(f["action"] for _c, f in forms), tally.unnamed, tally.statuses, tally.not_refused)
    assert len(forms) >= 23
    assert tally.server_errors == []
    assert tally.not_refused == []
    assert tally.unnamed == []
    assert tally.half_saved == []
    # Each route that was left out until the cast made its object is reached with the right role, not only refused.
    unreached = sorted(route for route in BUTTON_ROUTES if min(reached.get(route, {999})) >= 400)
    answers = {route: (sorted(reached.get(route, set())), first_answers.get(route)) for route in unreached}
    assert unreached == [], answers


# The routes that take a token or secret from a link (an e-mail, a saved answer, a shared survey link), with who opens
# them. Unsubscribing answers 403 for a token that is not valid (RFC 8058 one-click: the signed token is what
# authorises it); the others answer 404 for a link they do not know. Each answers with its own page.
TOKEN_ROUTES = {
    "accounts:invitation_accept": ("token", "invitee", 404),
    "instruments:unsubscribe": ("token", "anonymous", 403),
    "project_follow:unsubscribe": ("token", "anonymous", 403),
    "surveys:resume": ("secret", "anonymous", 404),
    "surveys:respond": ("token", "anonymous", 404),
}
# A path holding a character the text rule refuses is not found, whatever the route (nyskap.core.middleware).
REFUSED_IN_PATHS = ("nul", "control", "rtl_override")
MALFORMED_TOKENS = {
    "nul": "a\x00b",
    "control": "a\x01b\x1f",
    "lone_surrogate": "a\ud800b",
    "rtl_override": "\u202eevil",
    "megabyte": MEGABYTE,
    "unknown": "no-such-token",
    "percent": "%",
}


def test_when_a_token_is_malformed_then_the_refusal_is_a_clean_page(cast):
    """A token that is not one (NUL, control characters, a lone surrogate, a megabyte, an unknown one) is refused
    with the route's own clean page: its status, HTML in the site's layout, no error page, and nothing written."""
    before = snapshot()
    answers: dict[tuple[str, str, str], tuple[int, bool]] = {}
    for route, (parameter, who, status) in TOKEN_ROUTES.items():
        client = cast[who]
        prefix = reverse(route, kwargs={parameter: "t"}).removesuffix("t/")
        for name, token in MALFORMED_TOKENS.items():
            path = f"{prefix}{_quote(token)}/"
            for method in ("GET", "POST"):
                response = client.generic(method, path)
                page = response.content.decode()
                clean = (
                    "text/html" in response.get("Content-Type", "")
                    and "<main" in page
                    and "Traceback" not in page
                    and response.status_code == (404 if name in REFUSED_IN_PATHS else status)
                )
                answers[(route, name, method)] = (response.status_code, clean)
    refused = {key: answer for key, answer in answers.items() if not answer[1]}
    assert refused == {}, sorted(refused.items())
    assert len(answers) == len(TOKEN_ROUTES) * len(MALFORMED_TOKENS) * 2
    assert snapshot() == before
