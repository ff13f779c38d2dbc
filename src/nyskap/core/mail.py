"""All outgoing mail is queued as a task when the surrounding transaction commits, and delivered by a worker.

Views never wait for an SMTP server, a failed delivery is retried by running the task again, and a rolled-back
transaction sends nothing.

The shared pieces of every app's mail live here too:

- ``site_url``: an absolute link for a mail, which has no request to build one from;
- ``deliver_now``: straight through the delivery backend, for a message that must not be stored in the task table;
- ``send_batched``: one send per recipient, in batches by primary key, one failure logged and the rest still sent;
- ``UnsubscribeKind``: a signed unsubscribe token per kind of mail (each kind its own salt, so a token of one kind
  is refused by another), and the one confirm-then-POST view (`nyskap.core.views.unsubscribe`) that each app's
  unsubscribe URL routes to with its kind.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import QuerySet
from django.tasks import task
from django.urls import reverse

BATCH_SIZE = 500
# Long enough for a mail found in the archive a year later.
UNSUBSCRIBE_MAX_AGE = datetime.timedelta(days=400)


def _serialise(message: EmailMessage) -> dict[str, object]:
    alternatives = [[str(content), mimetype] for content, mimetype in getattr(message, "alternatives", []) or []]
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": str(message.from_email),
        "to": [str(a) for a in message.to],
        "cc": [str(a) for a in message.cc],
        "bcc": [str(a) for a in message.bcc],
        "reply_to": [str(a) for a in message.reply_to],
        "headers": {str(k): str(v) for k, v in (message.extra_headers or {}).items()},
        "alternatives": alternatives,
    }


@task()
def deliver_email(message: dict) -> int:
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message["from_email"],
        to=message["to"],
        cc=message["cc"],
        bcc=message["bcc"],
        reply_to=message["reply_to"],
        headers=message["headers"],
    )
    for content, mimetype in message["alternatives"]:
        email.attach_alternative(content, mimetype)
    connection = get_connection(settings.EMAIL_DELIVERY_BACKEND)
    return connection.send_messages([email]) or 0


class TaskEmailBackend(BaseEmailBackend):
    """Queue each message as a `deliver_email` task on commit instead of sending it in the request."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            payload = _serialise(message)
            transaction.on_commit(partial(deliver_email.enqueue, payload))
        return len(email_messages)


def site_url(path: str) -> str:
    """``path`` as an absolute URL on this site (``SITE_URL``), for links in mail."""
    return str(settings.SITE_URL or "").rstrip("/") + path


def deliver_now(messages: Sequence[EmailMessage]) -> int:
    """Send straight through the delivery backend, not through the mail queue: for a message whose content (a
    personal link) must not be kept in the task table. Raises what the backend raises."""
    return get_connection(settings.EMAIL_DELIVERY_BACKEND).send_messages(list(messages)) or 0


def send_batched[T](
    items: QuerySet[Any] | Iterable[T],
    send: Callable[[T], int | bool],
    *,
    logger: logging.Logger,
    failure_event: str,
    failure_extra: Callable[[T], dict[str, Any]] = lambda item: {"id": getattr(item, "pk", None)},
    batch_size: int = BATCH_SIZE,
) -> int:
    """Call ``send`` for every item and add up what it returns (True/1 for a mail sent). A queryset is read
    ``batch_size`` rows at a time by primary key, so memory stays flat at national scale; another iterable is
    read as it comes. ``send`` owns its transaction: an exception is logged as ``failure_event`` with
    ``failure_extra(item)`` and the other items are still sent."""
    sent = 0
    for item in _batches(items, batch_size):
        try:
            sent += int(send(item))
        except Exception:
            logger.exception(failure_event, extra=failure_extra(item))
    return sent


def _batches[T](items: QuerySet[Any] | Iterable[T], batch_size: int) -> Iterator[Any]:
    if not isinstance(items, QuerySet):
        yield from items
        return
    last_pk: Any = None
    while True:
        page = items.order_by("pk") if last_pk is None else items.filter(pk__gt=last_pk).order_by("pk")
        batch = list(page[:batch_size])
        if not batch:
            return
        yield from batch
        last_pk = batch[-1].pk


# Unsubscribe links: the signed token is the authority, so the link works without logging in.

_KINDS: dict[str, UnsubscribeKind[Any]] = {}


@dataclass(frozen=True, eq=False)
class UnsubscribeKind[T]:
    """One kind of mail that can be unsubscribed from by a link. The token is the payload signed with a
    timestamp under the kind's own ``salt``; ``parse`` turns a verified payload into what it names (None for a
    payload of the wrong shape). The view shows ``confirm(target)`` on ``confirm_template`` (GET), and a POST runs
    ``apply(target)`` (the unsubscribing, a service call) and shows its context on ``done_template``. An invalid or
    expired token shows ``invalid_template`` with status 403. Each template also gets ``token``, ``action`` (the
    URL to POST to) and ``invalid``/``done`` flags, so one template may serve all three pages."""

    name: str
    salt: str
    url_name: str
    parse: Callable[[Any], T | None]
    confirm: Callable[[T], dict[str, Any]]
    apply: Callable[[T], dict[str, Any]]
    confirm_template: str
    done_template: str
    invalid_template: str
    max_age: datetime.timedelta = UNSUBSCRIBE_MAX_AGE

    def __post_init__(self) -> None:
        for other in _KINDS.values():
            if other.name != self.name and other.salt == self.salt:
                raise ValueError(f"The unsubscribe kinds {other.name} and {self.name} share a salt.")
        _KINDS[self.name] = self

    def _signer(self) -> signing.TimestampSigner:
        return signing.TimestampSigner(salt=self.salt)

    def token(self, payload: dict[str, Any]) -> str:
        return self._signer().sign_object(payload)

    def read(self, token: str) -> T | None:
        """What ``token`` names, or None when it is tampered with, malformed, of another kind or expired."""
        try:
            payload = self._signer().unsign_object(token, max_age=self.max_age)
        except (signing.BadSignature, ValueError):
            return None
        if not isinstance(payload, dict):
            return None
        return self.parse(payload)

    def path(self, token: str) -> str:
        return reverse(self.url_name, kwargs={"token": token})

    def url(self, token: str) -> str:
        return site_url(self.path(token))


def unsubscribe_kinds() -> dict[str, UnsubscribeKind[Any]]:
    """Every kind made so far, by name."""
    return dict(_KINDS)
