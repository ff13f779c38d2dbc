"""All outgoing mail is queued as a task when the surrounding transaction commits, and delivered by a worker.

Views never wait for an SMTP server, a failed delivery is retried by running the task again, and a rolled-back
transaction sends nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.tasks import task


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
