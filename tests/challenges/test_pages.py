"""The challenge pages: who sees what, refusals at the field, the proposal's confidentiality."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from nyskap.challenges import services
from nyskap.challenges.models import Challenge, ChallengeStatus, ProposalAccess

from ..accounts.factories import MembershipFactory, UserFactory
from .conftest import login
from .factories import award, make_challenge

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Droner for inspeksjon",
    "owners": ["oygarden"],
    "need": "Inspeksjon av bruer tar lang tid.",
    "effect": "Raskere inspeksjon.",
    "procedure": "market_dialogue",
    "budget_min": "100",
    "budget_max": "1000",
    "opens_at": "2026-03-01T09:00",
    "proposal_deadline": "2026-04-01T12:00",
}


def test_anonymous_reads_open_challenges_not_drafts(challenge, innovator, anonymous):
    detail = reverse("challenges:detail", kwargs={"slug": challenge.slug})
    assert anonymous.get(detail).status_code == 404
    assert challenge.title not in anonymous.get(reverse("challenges:list")).content.decode()
    services.open_dialogue(actor=innovator, challenge=challenge)
    assert anonymous.get(detail).status_code == 200
    assert challenge.title in anonymous.get(reverse("challenges:list")).content.decode()


def test_owner_member_sees_the_draft(challenge, as_colleague, as_outsider):
    detail = reverse("challenges:detail", kwargs={"slug": challenge.slug})
    assert as_colleague.get(detail).status_code == 200
    assert as_outsider.get(detail).status_code == 404


def test_outsider_cannot_edit_or_move(open_challenge, as_outsider, as_innovator):
    edit = reverse("challenges:edit", kwargs={"slug": open_challenge.slug})
    assert as_outsider.get(edit).status_code == 403
    assert as_outsider.post(edit, {**FORM}).status_code == 403
    move = reverse("challenges:transition", kwargs={"slug": open_challenge.slug, "action": "start_evaluation"})
    assert as_outsider.post(move).status_code == 403
    assert as_innovator.post(move).status_code == 302
    open_challenge.refresh_from_db()
    assert open_challenge.status == ChallengeStatus.EVALUATION


def test_create_and_refusals_at_the_field(innovator, as_innovator):
    url = reverse("challenges:create")
    response = as_innovator.post(url, FORM)
    assert response.status_code == 302
    challenge = Challenge.objects.get(title="Droner for inspeksjon")
    assert challenge.opens_at == datetime.datetime(2026, 3, 1, 8, 0, tzinfo=datetime.UTC)  # Oslo time, winter
    for change, field in [
        ({"budget_min": "-5"}, "budget_min"),
        ({"budget_min": "5000", "budget_max": "100"}, "budget_max"),
        ({"proposal_deadline": "2026-02-01T12:00"}, "proposal_deadline"),
        ({"procedure": "lottery"}, "procedure"),
        ({"budget_max": "1e309"}, "budget_max"),
    ]:
        response = as_innovator.post(url, {**FORM, **change, "title": "Behold meg"})
        assert response.status_code == 400, change
        assert field in response.context["form"].errors, (change, response.context["form"].errors)
        assert "Behold meg" in response.content.decode()


def test_join_page_and_counts_shown(open_challenge, outsider, as_outsider, anonymous):
    url = reverse("challenges:join", kwargs={"slug": open_challenge.slug})
    assert as_outsider.post(url, {"organisation": "bodo", "note": "Vi også"}).status_code == 302
    page = anonymous.get(reverse("challenges:list") + "?sort=bodies").content.decode()
    assert "2 bodies have this need" in page or "2 verksemder" in page or "2 virksomheter" in page


def test_question_asker_hidden_from_other_suppliers_and_public(
    open_challenge, supplier, other_supplier, innovator, anonymous
):
    ask = reverse("challenges:ask", kwargs={"slug": open_challenge.slug})
    assert login(supplier).post(ask, {"text": "Finnes det testdata?"}).status_code == 302
    question = open_challenge.questions.get()
    services.answer(actor=innovator, question=question, text="Ja, anonymiserte.")
    detail = reverse("challenges:detail", kwargs={"slug": open_challenge.slug})
    for client in (login(other_supplier), anonymous):
        page = client.get(detail).content.decode()
        assert "Finnes det testdata?" in page and "Ja, anonymiserte." in page
        assert "Start AS" not in page and supplier.email not in page and "Siri Start" not in page
    api = anonymous.get(f"/api/v1/challenges/{open_challenge.slug}").content.decode()
    assert "Start AS" not in api and supplier.email not in api
    assert "Start AS" in login(innovator).get(detail).content.decode()


def test_proposal_visible_only_to_owners_and_sender(
    open_challenge,
    supplier,
    other_supplier,
    innovator,
    colleague,
    outsider,
    other_municipality,
    operator,
    anonymous,
    co_owner_non_member,
):
    # Bodø joins as co-owner; a member of another body (Askøy) is no owner.
    shared = services.join(actor=outsider, challenge=open_challenge, organisation=other_municipality)
    proposal = services.submit_proposal(actor=supplier, challenge=open_challenge, text="Vår hemmelige løsning")
    url = reverse("challenges:proposal_view", kwargs={"slug": open_challenge.slug, "pk": proposal.pk})
    # A body that has joined but is not (yet) a co-owner is refused.
    assert login(outsider).get(url).status_code == 404
    services.accept_co_owner(actor=innovator, shared=shared)
    refused = [login(other_supplier), login(co_owner_non_member), login(operator), anonymous]
    for client in refused:
        response = client.get(url)
        assert response.status_code in (404, 302), response.status_code
        assert "Vår hemmelige løsning" not in response.content.decode()
    assert anonymous.get(url).status_code == 302  # to the login page
    for user in (supplier, innovator, colleague, outsider):
        assert "Vår hemmelige løsning" in login(user).get(url).content.decode(), user
    api = login(other_supplier).get(f"/api/v1/challenges/{open_challenge.slug}").content.decode()
    assert "hemmelige" not in api


def test_proposal_after_the_deadline_refused_at_the_field(innovator, home_municipality, supplier):
    deadline = timezone.now() - datetime.timedelta(minutes=1)
    challenge = make_challenge(
        actor=innovator,
        owner=home_municipality,
        opens_at=deadline - datetime.timedelta(days=3),
        proposal_deadline=deadline,
    )
    services.open_proposals(actor=innovator, challenge=challenge)
    url = reverse("challenges:proposal", kwargs={"slug": challenge.slug})
    response = login(supplier).post(url, {"text": "For sent, men behold teksten"})
    assert response.status_code == 400
    assert "text" in response.context["form"].errors
    assert "For sent, men behold teksten" in response.content.decode()


def test_admin_shows_metadata_only_and_operator_reads_with_a_logged_reason(open_challenge, supplier, operator):
    proposal = services.submit_proposal(actor=supplier, challenge=open_challenge, text="Konfidensielt innhold")
    client = login(operator)
    admin_page = client.get(reverse("admin:challenges_proposal_change", args=[proposal.pk]), follow=True)
    assert admin_page.status_code == 200
    assert "Konfidensielt innhold" not in admin_page.content.decode()
    assert proposal.receipt_hash in admin_page.content.decode()
    url = reverse("challenges:proposal_operator_read", kwargs={"slug": open_challenge.slug, "pk": proposal.pk})
    assert "Konfidensielt innhold" not in client.get(url).content.decode()
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and "Konfidensielt innhold" not in refused.content.decode()
    assert not ProposalAccess.objects.exists()
    shown = client.post(url, {"reason": "Klage fra leverandøren, sak 2026/77"})
    assert shown.status_code == 200 and "Konfidensielt innhold" in shown.content.decode()
    access = ProposalAccess.objects.get()
    assert access.user == operator and "sak 2026/77" in access.reason


def test_outcome_table_and_csv(open_challenge, innovator, anonymous):
    award(
        open_challenge,
        innovator,
        procedure="innovation_partnership",
        decided_on=datetime.date(2026, 6, 1),
        contract_value=750_000,
        suppliers="Start AS",
    )
    page = anonymous.get(reverse("challenges:outcomes")).content.decode()
    assert open_challenge.title in page and "750000" in page
    csv_text = anonymous.get(reverse("challenges:outcomes_csv")).content.decode()
    assert '"awarded";"innovation_partnership";"750000";"Start AS";"2026-06-01";"no"' in csv_text


def test_member_without_edit_rights_cannot_create(as_colleague):
    assert as_colleague.get(reverse("challenges:create")).status_code == 403


def test_supplier_follows(supplier):
    client = login(supplier)
    url = reverse("challenges:follows")
    assert client.post(url, {"sector": "", "topic": ""}).status_code == 400
    assert client.post(url, {"topic": "droner"}).status_code == 302
    assert "droner" in client.get(url).content.decode()


def test_staff_non_member_user(db):
    user = UserFactory(email="x@y.no")
    MembershipFactory(user=user)
    assert login(user).get(reverse("challenges:list")).status_code == 200


def test_search_uses_the_library_search(open_challenge, innovator, home_municipality, anonymous):
    other = make_challenge(
        actor=innovator,
        owner=home_municipality,
        title="Smartere brøyting",
        need="Veien er glatt.",
        effect="Færre ulykker.",
        topics="vinter",
        procedure="market_dialogue",
    )
    services.open_dialogue(actor=innovator, challenge=other)
    page = anonymous.get(reverse("challenges:list") + "?q=tunnelbassenget").content.decode()
    assert open_challenge.title in page and "Smartere brøyting" not in page
    page = anonymous.get(
        reverse("challenges:list") + "?procedure=innovation_partnership&status=proposals"
    ).content.decode()
    assert open_challenge.title in page and "Smartere brøyting" not in page
    assert anonymous.get(reverse("challenges:list") + "?min_bodies=abc").status_code == 400
