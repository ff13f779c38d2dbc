"""Crawl the site by its links, as a visitor would, from the home page: which named URL patterns can be reached.

Used by the reachability test (every page of every module is linked from somewhere) and by the browser test that
checks every reached page at 320 and 1280 CSS pixels.
"""

from __future__ import annotations

import datetime
import importlib
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urlencode, urljoin, urlsplit

from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

# Demo personas (`manage.py demo_data`): anonymous first.
PERSONAS = [
    None,
    "innovator@demo.nyskap.no",
    "leder@demo.nyskap.no",
    "kollega@demo.nyskap.no",
    "utenfor@demo.nyskap.no",
    "drift@demo.nyskap.no",
    # A supplier with a profile, a question, proposals and a follow (made by `load_demo_site`).
    "leverandor@demo-start.no",
]
# Paths never followed: the API and the operators' admin have their own tests and documentation; logging out would
# end the crawl's session; static files are not pages.
NEVER_PREFIXES = ("/api/", "/drift/", "/static/", "/media/")
SKIP_PREFIXES = (*NEVER_PREFIXES, "/accounts/logout/")
# Other slugs and query strings show the same page: from each page at most PER_PAGE links per URL pattern are
# followed, and at most PER_PATTERN addresses per pattern in all.
PER_PAGE = 3
DOWNLOADS = (".pdf", ".xlsx", ".csv", ".json")
PER_PATTERN = 8
MAX_PAGES = 1500


class _Links(HTMLParser):
    """Links, htmx requests and form actions; a GET form also as submitted with the values it shows (as a visitor
    who presses its button without changing anything)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (method, url)
        self._form: tuple[str, list[tuple[str, str]]] | None = None
        self._select: str | None = None
        self._select_value: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(("get", str(values["href"])))
        elif tag == "form":
            method = str(values.get("method") or "get").lower()
            action = str(values.get("action") or "")
            self.links.append((method, action))
            self._form = (action, []) if method == "get" else None
        elif self._form is not None and tag == "input" and values.get("name"):
            kind = str(values.get("type") or "text")
            if kind not in ("checkbox", "radio", "submit", "button") or "checked" in values:
                self._form[1].append((str(values["name"]), str(values.get("value") or "")))
        elif self._form is not None and tag == "select" and values.get("name"):
            self._select, self._select_value = str(values["name"]), None
        elif self._select is not None and tag == "option" and (self._select_value is None or "selected" in values):
            self._select_value = str(values.get("value") or "")
        for attribute, method in (("hx-get", "get"), ("hx-post", "post")):
            if values.get(attribute):
                self.links.append((method, str(values[attribute])))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None and self._form is not None:
            self._form[1].append((self._select, self._select_value or ""))
            self._select = None
        elif tag == "form" and self._form is not None:
            action, fields = self._form
            if fields:
                self.links.append(("get", f"{action}?{urlencode(fields)}"))
            self._form = None


@dataclass
class CrawlResult:
    reached: dict[str, set[str]] = field(default_factory=dict)  # URL name → GET paths that returned a page
    posted_to: set[str] = field(default_factory=set)  # URL names reached as a form's action (POST)
    linked_files: set[str] = field(default_factory=set)  # URL names of downloads linked from a reached page
    html_pages: dict[str, set[str]] = field(default_factory=dict)  # the reached addresses that are HTML pages
    errors: list[tuple[str, int]] = field(default_factory=list)

    @property
    def names(self) -> set[str]:
        return set(self.reached) | self.posted_to | self.linked_files


def _name(path: str) -> str | None:
    try:
        match = resolve(unquote(urlsplit(path).path))
    except Resolver404:
        return None
    return match.view_name


def crawl(client: Client, start: str = "/", *, per_pattern: int | None = None) -> CrawlResult:
    """The pages reached from ``start`` by links (``per_pattern`` addresses per URL pattern at most; PER_PATTERN)."""
    most = PER_PATTERN if per_pattern is None else per_pattern
    result = CrawlResult()
    queue: deque[str] = deque([start])
    seen: set[str] = {start}
    per_name: dict[str, int] = {}
    pages = 0
    while queue and pages < MAX_PAGES:
        path = queue.popleft()
        name = _name(path)
        if name is None:
            continue
        response = client.get(path, follow=True)
        pages += 1
        if response.status_code >= 500:
            result.errors.append((path, response.status_code))
            continue
        if response.status_code >= 400:
            continue
        if response.redirect_chain:
            # Where the link really leads (a login page, or a page with the answers filled in).
            request = response.request
            path = request["PATH_INFO"] + (f"?{request['QUERY_STRING']}" if request.get("QUERY_STRING") else "")
            name = _name(path)
            if name is None or path.startswith(SKIP_PREFIXES):
                continue
        result.reached.setdefault(name, set()).add(path)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        result.html_pages.setdefault(name, set()).add(path)
        parser = _Links()
        parser.feed(response.content.decode())
        from_here: dict[str, int] = {}
        for method, href in parser.links:
            target = urljoin("http://testserver" + path, href)
            parts = urlsplit(target)
            if parts.netloc != "testserver" or parts.path.startswith(NEVER_PREFIXES):
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            target_name = _name(local)
            if target_name is None:
                continue
            if method == "post":
                result.posted_to.add(target_name)
                continue
            if parts.path.startswith(SKIP_PREFIXES):
                continue
            if parts.path.endswith(DOWNLOADS):
                # A file to download (PDF reports take a while to make): linked is reached; its own tests open it.
                result.linked_files.add(target_name)
                continue
            if local in seen or per_name.get(target_name, 0) >= most:
                continue
            if from_here.get(target_name, 0) >= PER_PAGE:
                continue
            from_here[target_name] = from_here.get(target_name, 0) + 1
            seen.add(local)
            per_name[target_name] = per_name.get(target_name, 0) + 1
            queue.append(local)
    return result


def load_demo_site(settings) -> None:
    """The demo site of `make demo-data`: reference data, instruments, the culture questionnaire, the personas,
    the white paper's cases, example calls and benefit plans; and a survey round of the demo municipality."""
    # A transactional test (the browser tests) starts from a flushed database: put back the lookup rows the
    # project library's migration seeds, as a fresh install has them.
    from django.apps import apps

    importlib.import_module("nyskap.projects.migrations.0002_seed_lookups").seed(apps, None)
    settings.DEBUG = True  # demo_data refuses to run otherwise
    for command in (
        "load_reference_data",
        "load_instruments",
        "load_culture_questionnaire",
        "demo_data",
        "load_project_cases",
        "demo_calls",
        "load_benefit_examples",
        "load_barometer_demo",
    ):
        call_command(command, verbosity=0, stdout=_Null(), stderr=_Null())
    settings.DEBUG = False
    _demo_work()


def _demo_work() -> None:
    """What the demo personas' work looks like after a while, so that every page and action has something to show:
    a project of the demo municipality with an attachment, an instrument use and a submitted benefit plan; a second
    project whose plan has two versions; survey rounds (one with invitations, one closed early); a saved matcher
    question; subscriptions; an invitation and a request to join."""
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from nyskap.accounts import services as account_services
    from nyskap.accounts.models import Role, User
    from nyskap.benefits import services as benefit_services
    from nyskap.benefits.models import Bearer, BenefitType, RealisationForm
    from nyskap.core.visibility import Visibility
    from nyskap.culture import instrument
    from nyskap.instruments.models import Instrument
    from nyskap.instruments.services import owner_role_grant, use_add
    from nyskap.organisations.models import Organisation
    from nyskap.projects.following import services as following
    from nyskap.projects.models import Sector, SubscriptionKind
    from nyskap.projects.services import project_create
    from nyskap.surveys import services as survey_services
    from nyskap.surveys.models import EmailDomain, QuestionnaireVersion
    from nyskap.surveys.services import RoundInput, round_create

    users = {user.email.split("@")[0]: user for user in User.objects.filter(email__endswith="@demo.nyskap.no")}
    innovator, leader, colleague, outsider = users["innovator"], users["leder"], users["kollega"], users["utenfor"]
    home = leader.memberships.get().organisation
    need = {
        "need_problem": "Søknader om tilskudd behandles på papir.",
        "need_who": "Lag og foreninger i kommunen.",
        "need_today": "Skjema sendes i posten.",
        "need_effect": "Raskere svar.",
    }
    projects = [
        project_create(
            actor=innovator, owner=home, title=title, visibility=Visibility.ORGANISATION, sector=Sector.CULTURE, **need
        )
        for title in ("Digitale tilskudd", "Felles bookingløsning")
    ]
    # Trials of the demo municipality: one planned under the trial act (its approval page and transitions), one
    # ended (results entry and the report) and one with results reported (the decision form).
    from nyskap.trials import services as trial_services
    from tests.trials.factories import make_trial, run_to_end

    free_choice = make_trial(actor=innovator, owner=home, title="Fritt brukervalg", kind="forsoksloven")
    trial_services.exemption_add(  # its exemptions page offers to remove it
        actor=innovator,
        trial=free_choice,
        rule="Kommuneloven § 5-1",
        reason="Prøve ut brukervalg",
        for_whom="Innbyggere over 67 år",
    )
    run_to_end(make_trial(actor=innovator, owner=home, title="SMS før timen"), innovator)
    reported = run_to_end(make_trial(actor=innovator, owner=home, title="Nudging i skolen"), innovator)
    trial_services.report_results(actor=innovator, trial=reported, summary="Mindre fravær.")
    # A regulatory sandbox with a round, and the demo municipality's trial in it (its admission and exit report form).
    from nyskap.trials.models import Sandbox, SandboxRound

    sandbox = Sandbox.objects.create(name="Personvernsandkassen", slug="personvern-demo", owner=home)
    SandboxRound.objects.create(sandbox=sandbox, deadline=datetime.date(2025, 1, 15), applications=9, admitted=3)
    make_trial(actor=innovator, owner=home, kind="sandbox", sandbox=sandbox, title="KI i saksbehandling")
    editor = client_for(innovator.email)
    editor.post(
        f"/prosjekter/{projects[0].slug}/vedlegg/",
        {"attachment-file": SimpleUploadedFile("notat.pdf", b"%PDF-1.7 notat"), "attachment-title": "Notat"},
    )
    use_add(project=projects[0], actor=innovator, instrument=Instrument.objects.order_by("pk").first(),
            year=timezone.localdate().year, outcome="applied")  # fmt: skip
    for project in projects:
        plan = benefit_services.plan_create(
            project=project, actor=innovator, rationale="Papir tar tid.", goals="Svar innen en uke.",
            base_year=2025, analysis_years=3,
        )  # fmt: skip
        benefit_services.benefit_save(
            plan=plan, actor=innovator, description="Spart saksbehandlingstid", benefit_type=BenefitType.EFFICIENCY,
            bearer=Bearer.OWN_ORGANISATION, realisation_form=RealisationForm.BUDGET_CUT, indicator="Timer per søknad",
            baseline_value=Decimal(10), baseline_date=datetime.date(2025, 1, 1), target_value=Decimal(2),
            target_date=datetime.date(2027, 1, 1), owner=innovator,
        )  # fmt: skip
        benefit_services.plan_submit(plan=plan, actor=innovator)
    benefit_services.plan_new_version(plan=projects[1].benefit_plans.get(is_current=True), actor=innovator)
    # A finished background job (an export above the threshold), so its progress page and its file are reached.
    from django.test import override_settings

    with override_settings(BACKGROUND_EXPORT_THRESHOLD=0):
        editor.get("/prosjekter/overforing/eksport.csv?sector=culture")
    editor.post("/virkemidler/finn/lagre/", {"query": "phase=ideas&needs=money&kind=municipality", "label": "Penger"})
    version = QuestionnaireVersion.objects.filter(questionnaire__key=instrument.KEY).order_by("-number").first()
    today = timezone.localdate()
    rounds = [
        round_create(
            actor=leader,
            organisation=home,
            data=RoundInput(
                title=title,
                version=version,
                opens_on=today,
                closes_on=today + datetime.timedelta(days=21),
                threshold=5,
                units=["Helse", "Skole"],
                share_in_benchmarks=True,
                link_enabled=False,
                link_threshold=10,
                link_cap=200,
            ),
        )
        for title in ("Kulturundersøkelse", "Pilot av undersøkelsen")
    ]
    EmailDomain.objects.get_or_create(organisation=home, domain="demo.nyskap.no")
    survey_services.round_invite(
        actor=leader, round=rounds[0], emails=["a@demo.nyskap.no", "b@demo.nyskap.no"], unit=rounds[0].units.first()
    )
    survey_services.round_close(actor=leader, round=rounds[1])
    following.subscription_create(user=colleague, kind=SubscriptionKind.PROJECT, target=projects[0])
    account_services.invitation_create(organisation=home, email=outsider.email, role=Role.MEMBER, invited_by=leader)
    account_services.join_request_create(user=outsider, organisation=home, role=Role.MEMBER)
    operator = users["drift"]
    owner = Organisation.objects.filter(instruments__isnull=False).order_by("name").first()
    owner_role_grant(organisation=owner, user=colleague, actor=operator)
    # Challenges of the demo municipality: one open for proposals (a start-up programme, with a body waiting to be
    # accepted as co-owner, an answered question, an attachment and a supplier's proposal with its attachment), one
    # in evaluation with criteria (scores, shortlist, outcome) and one awarded (put in use).
    from nyskap.challenges import services as challenge_services
    from tests.challenges.factories import make_challenge

    from ..accounts.factories import SupplierProfileFactory, UserFactory

    seller = UserFactory(email="leverandor@demo-start.no", name="Lea Leverandør")
    SupplierProfileFactory(user=seller, company_name="Demo Start AS")
    challenge_services.follow(actor=seller, topic="basseng")
    programme = make_challenge(actor=innovator, owner=home, title="Rensing av basseng", procedure="startup_programme")
    programme = challenge_services.open_proposals(actor=innovator, challenge=programme)
    challenge_services.attachment_add(
        actor=innovator, challenge=programme, file=SimpleUploadedFile("behov.pdf", b"%PDF-1.7 behov"), title="Behov"
    )
    challenge_services.join(actor=outsider, challenge=programme, organisation=outsider.memberships.get().organisation)
    asked = challenge_services.ask(actor=seller, challenge=programme, text="Hvor mye slam er det?")
    challenge_services.answer(actor=innovator, question=asked, text="Om lag 20 tonn i året.")
    challenge_services.submit_proposal(
        actor=seller, challenge=programme, text="En robot.", attachment=SimpleUploadedFile("forslag.pdf", b"%PDF-1.7")
    )
    evaluated = challenge_services.open_proposals(
        actor=innovator, challenge=make_challenge(actor=innovator, owner=home, title="Droner til tilsyn")
    )
    challenge_services.submit_proposal(actor=seller, challenge=evaluated, text="Droner.")
    challenge_services.start_evaluation(actor=innovator, challenge=evaluated)
    challenge_services.set_criteria(actor=innovator, challenge=evaluated, criteria=[("Kvalitet", 70), ("Pris", 30)])
    awarded = challenge_services.open_proposals(
        actor=innovator, challenge=make_challenge(actor=innovator, owner=home, title="Smartere brøyting")
    )
    challenge_services.start_evaluation(actor=innovator, challenge=awarded)
    challenge_services.award(
        actor=innovator, challenge=awarded, procedure="market_dialogue", decided_on=timezone.localdate()
    )


class _Null:
    def write(self, *args: object) -> None:
        pass

    def flush(self) -> None:
        pass


def client_for(email: str | None) -> Client:
    client = Client()
    if email is not None:
        from nyskap.accounts.middleware import has_mfa, mfa_required
        from nyskap.accounts.models import User

        from ..accounts.factories import give_totp

        user = User.objects.get(email=email)
        if mfa_required(user) and not has_mfa(user):
            give_totp(user)  # as the demo leader and operator do at first login
        client.force_login(user)
    return client
