"""Every step of the flow is reachable from the pages, not only by typing a URL: a visitor who is not (yet) a
supplier is shown how to ask and propose; every member of an owning body reaches the proposals it may read; the
editors keep their way to the proposals and the ranking after the outcome."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nyskap.challenges import services

from ..accounts.factories import UserFactory
from .conftest import login

pytestmark = pytest.mark.django_db


def _detail(challenge) -> str:
    return reverse("challenges:detail", kwargs={"slug": challenge.slug})


def test_a_visitor_who_is_not_a_supplier_is_shown_the_way_to_propose(open_challenge, anonymous):
    page = anonymous.get(_detail(open_challenge)).content.decode()
    assert f"{reverse('account_login')}?next={_detail(open_challenge)}" in page
    signed_in = login(UserFactory(email="ny@bedrift.no")).get(_detail(open_challenge)).content.decode()
    assert reverse("accounts:supplier_profile_edit") in signed_in


def test_the_hint_is_not_shown_when_nothing_can_be_sent(challenge, innovator, anonymous):
    services.open_proposals(actor=innovator, challenge=challenge)
    services.start_evaluation(actor=innovator, challenge=challenge)
    page = anonymous.get(_detail(challenge)).content.decode()
    assert reverse("account_login") + "?next=" not in page


def test_every_member_of_the_owners_reaches_the_proposals(open_challenge, supplier, colleague, other_supplier):
    proposal = services.submit_proposal(actor=supplier, challenge=open_challenge, text="Robot")
    link = reverse("challenges:proposal_view", kwargs={"slug": open_challenge.slug, "pk": proposal.pk})
    page = login(colleague).get(_detail(open_challenge)).content.decode()
    assert link in page
    assert login(colleague).get(link).status_code == 200
    # Nobody else is shown the link.
    assert link not in login(other_supplier).get(_detail(open_challenge)).content.decode()


def test_editors_reach_the_evaluation_after_the_outcome(open_challenge, supplier, innovator):
    services.submit_proposal(actor=supplier, challenge=open_challenge, text="Robot")
    services.start_evaluation(actor=innovator, challenge=open_challenge)
    services.not_award(actor=innovator, challenge=open_challenge, reason="Ingen passet.")
    page = login(innovator).get(_detail(open_challenge)).content.decode()
    assert reverse("challenges:evaluation", kwargs={"slug": open_challenge.slug}) in page
