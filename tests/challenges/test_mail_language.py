"""Every e-mail of the challenges is written in the recipient's own language, whatever language the person who
caused it uses: the opening alert to followers, the receipt and the outcome."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import translation

from nyskap.challenges import services

from ..accounts.factories import SupplierProfileFactory, UserFactory
from .factories import make_challenge

pytestmark = pytest.mark.django_db

SUBJECTS = {
    "nb": "Nyskap: ny utfordring du følger: «Rensing av tunnelbasseng»",
    "nn": "Nyskap: ny utfordring du følgjer: «Rensing av tunnelbasseng»",
    "en": "Nyskap: a new challenge you follow: “Rensing av tunnelbasseng”",
}


def _supplier(language: str):
    user = UserFactory(email=f"{language}@start.no", name=f"Leverandør {language}", language=language)
    SupplierProfileFactory(user=user, company_name=f"Start {language} AS")
    return user


def test_opening_alerts_each_in_the_followers_language(
    innovator, home_municipality, django_capture_on_commit_callbacks
):
    followers = {language: _supplier(language) for language in ("nb", "nn", "en")}
    for user in followers.values():
        services.follow(actor=user, topic="Tunnel")
    challenge = make_challenge(actor=innovator, owner=home_municipality)
    mail.outbox.clear()
    # The owner works in English; each follower still gets their own language.
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.open_proposals(actor=innovator, challenge=challenge)
    received = {message.to[0]: message for message in mail.outbox}
    assert sorted(received) == sorted(user.email for user in followers.values())
    for language, user in followers.items():
        assert received[user.email].subject == SUBJECTS[language]
    assert received[followers["nn"].email].body.startswith("Hei Leverandør nn,")
    assert "You get this e-mail" in received[followers["en"].email].body
    assert "You get this e-mail" not in received[followers["nb"].email].body
    assert translation.get_language() == "nb"  # the override did not leak


def test_receipt_and_outcome_in_the_suppliers_language(
    innovator, home_municipality, django_capture_on_commit_callbacks
):
    nynorsk = _supplier("nn")
    challenge = services.open_proposals(
        actor=innovator, challenge=make_challenge(actor=innovator, owner=home_municipality)
    )
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.submit_proposal(actor=nynorsk, challenge=challenge, text="Ein robot.")
    (receipt,) = mail.outbox
    assert receipt.subject == "Nyskap: kvittering for forslaget ditt til «Rensing av tunnelbasseng»"
    services.start_evaluation(actor=innovator, challenge=challenge)
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.not_award(actor=innovator, challenge=challenge, reason="Ingen passa.")
    (outcome,) = mail.outbox
    assert outcome.to == [nynorsk.email]
    assert outcome.subject == "Nyskap: utfallet av «Rensing av tunnelbasseng»"
