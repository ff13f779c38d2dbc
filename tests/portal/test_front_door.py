"""The home page (search, one entry per module, latest public projects and adoptions, calls closing soon, figures)
and “My work” (only the person's own things)."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.urls import reverse

from nyskap.accounts.models import Invitation, JoinRequest, Role
from nyskap.benefits import services as benefit_services
from nyskap.core.visibility import Visibility
from nyskap.instruments.models import Call, Instrument
from nyskap.projects.following import services as following
from nyskap.projects.models import Adoption, AdoptionHow, Phase, SubscriptionKind

from ..accounts.factories import UserFactory
from ..benefits.factories import make_benefit, make_plan
from ..projects.factories import make_project
from ..surveys.factories import make_round, make_version

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 6)


@pytest.fixture
def library(innovator, home_municipality, outsider, other_municipality):
    public = make_project(actor=innovator, owner=home_municipality, title="Varm mat", visibility=Visibility.PUBLIC)
    hidden = make_project(
        actor=innovator, owner=home_municipality, title="Hemmelig pilot", visibility=Visibility.ORGANISATION
    )
    adopter = make_project(
        actor=outsider, owner=other_municipality, title="Bodøs interne kopi", visibility=Visibility.ORGANISATION
    )
    Adoption.objects.create(
        source_project=public,
        adopting_project=adopter,
        how=AdoptionHow.COPIED,
        adopted_on=datetime.date(2026, 10, 1),
        source_phase=public.phase,
    )
    instrument = Instrument.objects.create(
        slug="test-ordning", name_nb="Testordningen", name_nn="Testordninga", name_en="Test scheme"
    )
    Call.objects.create(
        instrument=instrument,
        title="Utlysning 2027",
        opens_on=datetime.date(2026, 11, 1),
        closes_on=datetime.date(2026, 12, 20),
    )
    Call.objects.create(
        instrument=instrument,
        title="Langt fram",
        opens_on=datetime.date(2026, 11, 1),
        closes_on=datetime.date(2027, 6, 1),
    )
    return {"public": public, "hidden": hidden, "adopter": adopter}


@time_machine.travel(datetime.datetime(2026, 12, 6, 12), tick=False)
def test_when_anonymous_opens_home_then_search_modules_latest_calls_and_figures_show(anonymous, library):
    response = anonymous.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    # The library's search form, sending to the project list.
    assert 'action="/prosjekter/"' in html and 'name="q"' in html
    for name in ("projects:list", "instruments:list", "culture:national", "benefits:portfolio", "organisations:list"):
        assert f'href="{reverse(name)}"' in html, name
    latest = response.context["picture"]
    assert [p.title for p in latest.latest_projects] == ["Varm mat"]
    assert "Hemmelig pilot" not in html
    # The adoption names the public source; the adopting project is not public, so only its owner is named.
    assert [row["source"].title for row in latest.latest_adoptions] == ["Varm mat"]
    assert "Bodøs interne kopi" not in html
    assert [c.title for c in latest.closing_calls] == ["Utlysning 2027"]
    assert latest.figures["projects"] == 1
    assert latest.figures["adoptions"] == 1
    assert latest.figures["instruments"] == 1
    assert latest.figures["open_calls"] == 2
    assert "Mitt arbeid" not in html


def test_when_anonymous_opens_home_then_every_module_in_the_menu_has_a_card_saying_what_it_is_for(anonymous):
    html = anonymous.get("/").content.decode()
    menu = html.split('class="ds-list--unstyled site-nav__list"', 1)[1].split("</ul>", 1)[0]
    cards = html.split('class="ds-list--unstyled card-grid module-list"', 1)[1].split("</section>", 1)[0]
    # The modules in the menu, not its account links (log in, sign up).
    menu_links = [
        link
        for link in re.findall(r'<li><a class="ds-link" href="([^"]+)">', menu)
        if not link.startswith("/accounts/")
    ]
    card_headings = re.findall(r'<h3 class="ds-heading" data-size="xs"><a class="ds-link" href="([^"]+)">', cards)
    assert len(menu_links) == 10
    assert card_headings == [
        "/prosjekter/", "/virkemidler/", "/kultur/", "/gevinster/", "/forsok/", "/utfordringer/", "/anskaffelser/",
        "/barometer/", "/dashbord/", "/organisasjoner/",
    ]  # fmt: skip
    assert set(menu_links) == set(card_headings)
    # Each card says in a sentence what the module is for and whom.
    assert cards.count('<p class="ds-paragraph" data-size="sm">') == len(card_headings)


@time_machine.travel(datetime.datetime(2026, 12, 6, 12), tick=False)
def test_when_home_is_opened_then_queries_are_bounded_and_the_public_part_is_cached(
    anonymous, library, django_assert_max_num_queries, django_assert_num_queries
):
    with django_assert_max_num_queries(12):
        assert anonymous.get("/").status_code == 200
    # The second visit reads the public picture from the cache: no query at all for an anonymous visitor.
    with django_assert_num_queries(0):
        assert anonymous.get("/").status_code == 200


@time_machine.travel(datetime.datetime(2026, 12, 6, 12), tick=False)
def test_when_signed_in_then_home_links_to_my_work(as_leader, library):
    html = as_leader.get("/").content.decode()
    assert f'href="{reverse("portal:my_work")}"' in html


def test_when_anonymous_opens_my_work_then_asked_to_log_in(anonymous):
    response = anonymous.get("/mitt-arbeid/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.fixture
def leaders_work(leader, innovator, home_municipality, outsider, other_municipality, library):
    """Things waiting for the leader of Øygarden, and things of Bodø's editor that must never show for them."""
    with time_machine.travel(datetime.datetime(2026, 11, 1, 12), tick=False):
        version = make_version()
        make_round(actor=leader, organisation=home_municipality, version=version, title="Kultur i Øygarden")
        make_round(actor=outsider, organisation=other_municipality, version=version, title="Kultur i Bodø")
    # A benefit the leader owns whose measurement fell due (baseline 1 Jan 2024, yearly → due 1 Jan 2025).
    plan = make_plan(project=library["public"], actor=innovator)
    make_benefit(plan=plan, actor=innovator, owner=leader, measurement_frequency=12, description="Færre kjøreturer")
    benefit_services.plan_submit(plan=plan, actor=innovator)
    # The outsider's own benefit, also overdue.
    bodo_project = library["adopter"]
    bodo_plan = make_plan(project=bodo_project, actor=outsider)
    make_benefit(plan=bodo_plan, actor=outsider, owner=outsider, measurement_frequency=12, description="Bodøs gevinst")
    benefit_services.plan_submit(plan=bodo_plan, actor=outsider)
    # Invitations: one to the leader's address, one to the outsider's.
    Invitation.objects.create(organisation=other_municipality, email=leader.email, role=Role.MEMBER)
    Invitation.objects.create(organisation=home_municipality, email=outsider.email, role=Role.MEMBER)
    # A request to join Øygarden (the leader is its admin) and one to join Bodø.
    stranger = UserFactory(email="ny@example.no", name="Nina Ny")
    JoinRequest.objects.create(user=stranger, organisation=home_municipality, role=Role.MEMBER)
    JoinRequest.objects.create(user=stranger, organisation=other_municipality, role=Role.MEMBER)
    following.subscription_create(user=leader, kind=SubscriptionKind.PROJECT, target=library["public"])
    following.subscription_create(user=outsider, kind=SubscriptionKind.SECTOR, target="health_care")
    return {"plan": plan}


@time_machine.travel(datetime.datetime(2026, 12, 6, 12), tick=False)
def test_when_leader_opens_my_work_then_each_waiting_thing_is_a_link_to_act_on(as_leader, leaders_work, library):
    response = as_leader.get("/mitt-arbeid/")
    html = response.content.decode()
    work = response.context["work"]
    assert response.status_code == 200
    # Projects by phase: both Øygarden projects (the leader may see organisation-wide ones), none of Bodø's.
    assert [(g.phase, sorted(p.title for p in g.projects)) for g in work.phase_groups] == [
        (Phase.NEED, ["Hemmelig pilot", "Varm mat"])
    ]
    assert "Bodøs interne kopi" not in html
    assert [r.title for r in work.rounds] == ["Kultur i Øygarden"]
    assert "Kultur i Bodø" not in html
    assert [(row.benefit.description, row.due, row.overdue) for row in work.due_benefits] == [
        ("Færre kjøreturer", datetime.date(2025, 1, 1), True)
    ]
    benefit = work.due_benefits[0].benefit
    assert reverse("benefits:measure", args=[library["public"].slug, benefit.pk]) in html
    assert "Forfalt siden 1. januar 2025" in html
    assert "Bodøs gevinst" not in html
    assert [i.organisation.slug for i in work.invitations] == ["bodo"]
    assert [j.organisation.slug for j in work.join_requests_to_decide] == ["oygarden"]
    assert reverse("accounts:members", args=["oygarden"]) in html
    assert [row["subscription"].label for row in work.subscriptions] == ["Varm mat"]


@time_machine.travel(datetime.datetime(2026, 12, 6, 12), tick=False)
def test_when_outsider_opens_my_work_then_none_of_the_leaders_things_show(as_outsider, leaders_work, library):
    response = as_outsider.get("/mitt-arbeid/")
    html = response.content.decode()
    work = response.context["work"]
    assert [sorted(p.title for p in g.projects) for g in work.phase_groups] == [["Bodøs interne kopi"]]
    assert "Hemmelig pilot" not in html and "Kultur i Øygarden" not in html
    assert [r.title for r in work.rounds] == ["Kultur i Bodø"]
    assert [row.benefit.description for row in work.due_benefits] == ["Bodøs gevinst"]
    assert [i.organisation.slug for i in work.invitations] == ["oygarden"]
    # The outsider is an editor, not an admin, of Bodø: no request to decide.
    assert work.join_requests_to_decide == []
    assert [row["subscription"].kind for row in work.subscriptions] == [SubscriptionKind.SECTOR]


@time_machine.travel(datetime.datetime(2026, 12, 6, 12), tick=False)
def test_when_an_invitation_is_to_an_unverified_address_then_it_is_not_listed(
    as_colleague, colleague, home_municipality, other_municipality
):
    EmailAddress.objects.create(user=colleague, email="privat@example.no", verified=False, primary=False)
    Invitation.objects.create(organisation=other_municipality, email="privat@example.no", role=Role.MEMBER)
    assert as_colleague.get("/mitt-arbeid/").context["work"].invitations == []


@time_machine.travel(datetime.datetime(2026, 12, 6, 12), tick=False)
def test_when_nothing_waits_then_my_work_says_so_in_sentences(client, db):
    user = UserFactory(email="alene@example.no")
    client.force_login(user)
    html = client.get("/mitt-arbeid/").content.decode()
    assert "Du er ikke medlem av noen organisasjon ennå." in html
    assert "Du følger ingenting ennå." in html
    assert "<table" not in html
