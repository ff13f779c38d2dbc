"""The load test's visitors (run by bench/load.py, which prepares the site and the data this file reads).

Anonymous readers search with distinct natural-language queries (so nothing comes from the cache), read project
pages, use the instrument matcher, the national culture picture and the dashboards (the front page, the benefit
portfolio, the instruments overview, and dashboard lens pages picked at random from the refreshed lenses, which no
cache keeps). Signed-in users edit a project, write a benefit plan and answer a survey. Every visitor thinks between
requests. A deliberate 429 or 503 with Retry-After counts as a refusal, not an error; anything else that is not a
success is an error.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from html.parser import HTMLParser
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

DATA = json.loads(Path(os.environ["NYSKAP_LOAD_DATA"]).read_text())
PROXY = {"X-Forwarded-Proto": "https"}  # as the TLS proxy in front of the app servers would say
# Each signed-in visitor takes the next account, so no two edit the same project at once, and the last value each
# wrote is the one the database must hold afterwards (bench/load.py checks that the writes landed).
ACCOUNTS = itertools.cycle(DATA["editors"])
# A write still in flight when the run stops may land after locust has given up on it: what was sent after the
# last accepted write is kept too, and the database may hold one of those instead.
WRITTEN: dict[str, Any] = {"projects": {}, "plans": {}, "survey_answers": 0, "survey_answers_sent": 0,
                           "sent_after": {"projects": {}, "plans": {}}}  # fmt: skip

SUBJECTS = [
    "innbyggere",
    "eldre",
    "barn og unge",
    "lærere",
    "sykepleiere",
    "saksbehandlere",
    "bønder",
    "flyktninger",
    "pårørende",
    "ansatte i hjemmetjenesten",
    "næringslivet",
    "studenter",
    "pasienter",
    "brukere av NAV",
]
VERBS = ["som vil", "som trenger å", "som ikke klarer å", "som ønsker å", "som bruker for lang tid på å"]
GOALS = ["søke om støtte digitalt", "få varm mat levert", "bestille time", "finne ledige barnehageplasser",
         "melde fra om feil på vei", "dele journal mellom sykehus og kommune", "lære norsk raskere",
         "få svar fra kommunen", "redusere sykefravær", "bruke velferdsteknologi hjemme", "spare energi i byggene",
         "finne frivillige", "planlegge transport", "rapportere avvik"]  # fmt: skip


def query(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(GOALS)} {rng.randint(1, 10**6)}"


class _Form(HTMLParser):
    """The fields of the biggest POST form on a page, as a browser would send them unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self.current: dict[str, Any] | None = None
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self.current = {"action": a.get("action", ""), "fields": []}
            self.forms.append(self.current)
        elif self.current is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self.current["fields"].append([a["name"], a.get("value", "on" if kind == "checkbox" else "")])
        elif tag == "select" and a.get("name"):
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self.current["fields"].append([self.select, a.get("value", "")])
        elif tag == "textarea" and a.get("name"):
            self.textarea = a["name"]
            self.current["fields"].append([self.textarea, ""])

    def handle_data(self, data: str) -> None:
        if self.textarea and self.current:
            self.current["fields"][-1][1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def biggest_form(html: str) -> dict[str, Any]:
    parser = _Form()
    parser.feed(html)
    return max(parser.forms, key=lambda form: len(form["fields"]))


def _secure_cookies_over_plain_http(self: Any, cookie: Any, request: Any) -> bool:
    return True


# Production cookies are Secure (`__Host-`); between the load test and the app there is no TLS proxy, so send them
# over plain HTTP as the proxy would over HTTPS. (requests copies each session's cookies into a fresh jar per
# request, so the policy class itself is patched, in the load-test process only.)
DefaultCookiePolicy.return_ok_secure = _secure_cookies_over_plain_http  # type: ignore[method-assign]


class NyskapUser(HttpUser):
    abstract = True
    wait_time = between(1, 4)

    def on_start(self) -> None:
        self.rng = random.Random()
        self.client.headers.update(PROXY)

    def get(self, path: str, name: str | None = None, **kwargs: Any) -> Any:
        with self.client.get(path, name=name or path, headers=arrived(), catch_response=True, **kwargs) as response:
            judge(response)
            return response

    def post(self, path: str, data: Any, name: str) -> Any:
        headers = {"Referer": f"https://{(self.host or '').split('://', 1)[-1]}{path}", **arrived()}
        with self.client.post(path, data=data, name=name, headers=headers, catch_response=True,
                              allow_redirects=False) as response:  # fmt: skip
            if response.status_code in (302, 303):
                response.success()
            elif response.status_code == 200:  # the form came back: the site did not take the write
                response.failure("form not accepted (200)")
            else:
                judge(response)
            return response


def arrived() -> dict[str, str]:
    """The stamp the TLS proxy puts on each request as it arrives (nyskap.core.overload)."""
    return {"X-Request-Start": f"t={time.time():.3f}"}


def judge(response: Any) -> None:
    if response.status_code in (429, 503) and response.headers.get("Retry-After"):
        response.failure(f"refused {response.status_code} with Retry-After")  # counted apart in the report
    elif response.status_code >= 400:
        response.failure(f"status {response.status_code}")
    else:
        response.success()


class Reader(NyskapUser):
    weight = 4

    @task(5)
    def search(self) -> None:
        self.get("/prosjekter/", name="search", params={"q": query(self.rng)})

    @task(4)
    def project(self) -> None:
        self.get(f"/prosjekter/{self.rng.choice(DATA['public_projects'])}/", name="project page")

    @task(2)
    def matcher(self) -> None:
        params = {"phase": self.rng.choice(DATA["phases"]), "sector": self.rng.choice(DATA["sectors"])}
        self.get("/virkemidler/finn/", name="instrument matcher", params=params)

    @task(1)
    def culture(self) -> None:
        self.get("/kultur/", name="national culture picture")

    @task(2)
    def dashboards(self) -> None:
        path = self.rng.choice(["/", "/gevinster/", "/virkemidler/oversikt/"])
        self.get(path, name=f"dashboard {path}")

    @task(2)
    def dashboard_lens(self) -> None:
        lenses = DATA.get("dashboard_lenses")
        if lenses:
            self.get(self.rng.choice(lenses), name="dashboard lens (uncached)")


class SignedIn(NyskapUser):
    weight = 1

    def on_start(self) -> None:
        super().on_start()
        self.account = next(ACCOUNTS)
        page = self.client.get("/accounts/login/", name="login form")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, "no CSRF token on the login form"
        self.post("/accounts/login/", {"csrfmiddlewaretoken": token.group(1), "login": self.account["email"],
                                       "password": DATA["password"]}, name="login")  # fmt: skip

    def _resubmit(self, path: str, name: str, change: dict[str, str]) -> bool:
        """Submit the form on `path` as it is, with `change` typed in; True when the site accepted it (redirect)."""
        page = self.get(path, name=f"{name} (form)")
        if page.status_code != 200:
            return False
        form = biggest_form(page.text)
        fields = [(k, v) for k, v in form["fields"] if k not in change] + list(change.items())
        return self.post(form["action"] or path, fields, name=name).status_code in (302, 303)

    def _write(self, kind: str, slug: str, path: str, name: str, field: str, text: str) -> None:
        WRITTEN["sent_after"][kind].setdefault(slug, []).append(text)
        if self._resubmit(path, name, {field: text}):
            WRITTEN[kind][slug] = text
            WRITTEN["sent_after"][kind][slug] = []

    @task(3)
    def edit_project(self) -> None:
        slug = self.account["project"]
        text = f"Varm mat hver dag, målt {self.rng.randint(1, 10**6)} ganger."
        self._write("projects", slug, f"/prosjekter/{slug}/rediger/", "edit project", "need_effect", text)

    @task(2)
    def write_benefit_plan(self) -> None:
        slug = self.account["plan_project"]
        text = f"Middag leveres kald; runde {self.rng.randint(1, 10**6)}."
        self._write("plans", slug, f"/gevinster/prosjekt/{slug}/rediger/", "write benefit plan", "rationale", text)

    @task(2)
    def answer_survey(self) -> None:
        tokens = DATA["invitations"]
        if not tokens:
            return
        token = tokens.pop(self.rng.randrange(len(tokens)))
        path = f"/undersokelser/svar/{token}/"
        page = self.get(path, name="answer survey (form)")
        if page.status_code != 200:
            return
        form = biggest_form(page.text)
        answered = {key for key, _value in DATA["survey_answer"]}
        fields = [(k, v) for k, v in form["fields"] if k not in answered] + DATA["survey_answer"]
        WRITTEN["survey_answers_sent"] += 1
        if self.post(path, fields, name="answer survey").status_code in (302, 303):
            WRITTEN["survey_answers"] += 1


@events.quitting.add_listener
def _report_writes(environment: Any, **_kwargs: Any) -> None:
    """What the signed-in visitors wrote, for bench/load.py to find in the database."""
    Path(os.environ["NYSKAP_LOAD_DATA"]).with_suffix(".written").write_text(json.dumps(WRITTEN, ensure_ascii=False))
