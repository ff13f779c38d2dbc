"""E-mail to the owners of saved matcher questions when a call opens for an instrument that fits.

A call "fits" a saved question when the matcher does not exclude its instrument and scores it at least
``MIN_SCORE``. Each profile has its own window: calls that opened after its ``last_notified_on`` and up to today,
and are still open. ``notify_profile`` moves the window forward in the same transaction as it queues the mail
(`nyskap.core.mail`), so a call is mailed once. The unsubscribe link carries a signed token and works without
logging in (RFC 8058 one-click as well).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from nyskap.core.mail import UNSUBSCRIBE_MAX_AGE, UnsubscribeKind, site_url

from .forms import MatcherForm
from .matching import DOES_NOT_FIT, match
from .models import Call, MatcherProfile
from .selectors import facts_for, open_call_instrument_ids

MIN_SCORE = 50
# The salt of the alerts' unsubscribe tokens since the first alert: links in mail already sent carry it.
UNSUBSCRIBE_SALT = "nyskap.instruments.unsubscribe"


def _parse_unsubscribe(data: dict[str, Any]) -> int | None:
    return int(data["p"]) if isinstance(data.get("p"), int) else None


def _unsubscribe_confirm(profile_id: int) -> dict[str, Any]:
    return {"profile": MatcherProfile.objects.filter(pk=profile_id).first()}


@transaction.atomic
def unsubscribe(profile_id: int) -> dict[str, Any]:
    """Delete the saved question the token names (nothing when it is already gone)."""
    MatcherProfile.objects.filter(pk=profile_id).delete()
    return {}


UNSUBSCRIBE = UnsubscribeKind(
    name="instruments",
    salt=UNSUBSCRIBE_SALT,
    url_name="instruments:unsubscribe",
    parse=_parse_unsubscribe,
    confirm=_unsubscribe_confirm,
    apply=unsubscribe,
    confirm_template="instruments/unsubscribe.html",
    done_template="instruments/unsubscribe.html",
    invalid_template="instruments/unsubscribe.html",
    max_age=UNSUBSCRIBE_MAX_AGE,
)


def unsubscribe_token(profile: MatcherProfile) -> str:
    return UNSUBSCRIBE.token({"p": profile.pk})


def read_unsubscribe_token(token: str) -> int | None:
    """The profile's id, or None for a tampered, malformed or expired token."""
    return UNSUBSCRIBE.read(token)


def matching_new_calls(profile: MatcherProfile, today: datetime.date) -> list[Call]:
    """Calls opened since the profile was last notified, still open today, for instruments that fit it."""
    since = profile.last_notified_on or profile.created_at.date()
    calls = list(
        Call.objects.open_on(today)
        .filter(opens_on__gt=since)
        .select_related("instrument")
        .order_by("closes_on", "opens_on", "pk")
    )
    if not calls:
        return []
    form = MatcherForm(_query_dict(profile.query))
    if not form.is_answered():
        return []
    instruments = {call.instrument.pk: call.instrument for call in calls}
    results = match(facts_for(instruments.values(), open_call_instrument_ids(today)), form.match_input())
    fitting = {r.key for r in results if r.fit != DOES_NOT_FIT and r.score >= MIN_SCORE}
    return [call for call in calls if call.instrument.slug in fitting]


def _query_dict(query: str) -> Any:
    from django.http import QueryDict

    return QueryDict(query)


def message_for(profile: MatcherProfile, calls: list[Call]) -> EmailMultiAlternatives:
    """The alert in the recipient's language (their profile; the site's default when none is chosen)."""
    with translation.override(profile.user.email_language):
        unsubscribe_url = UNSUBSCRIBE.url(unsubscribe_token(profile))
        context = {
            "profile": profile,
            "calls": [(call, site_url(call.instrument.get_absolute_url())) for call in calls],
            "matcher_url": site_url(f"{reverse('instruments:matcher')}?{profile.query}"),
            "unsubscribe_url": unsubscribe_url,
        }
        subject = ngettext(
            "Nyskap: %(count)d new call that fits “%(label)s”",
            "Nyskap: %(count)d new calls that fit “%(label)s”",
            len(calls),
        ) % {"count": len(calls), "label": profile.label}
        text = render_to_string("instruments/email/new_calls.txt", context)
        html = render_to_string("instruments/email/new_calls.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[profile.user.email],
        headers={"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.attach_alternative(html, "text/html")
    return message


@transaction.atomic
def notify_profile(profile: MatcherProfile, *, today: datetime.date | None = None) -> bool:
    """Mail the profile's owner about new fitting calls, if any, and move its window to today. True when sent."""
    today = today or timezone.localdate()
    locked = MatcherProfile.objects.select_for_update(of=("self",)).select_related("user").filter(pk=profile.pk).first()
    if locked is None or not locked.user.is_active or not locked.user.email:
        return False
    calls = matching_new_calls(locked, today)
    MatcherProfile.objects.filter(pk=locked.pk).update(last_notified_on=today)
    if not calls:
        return False
    message_for(locked, calls).send()
    return True
