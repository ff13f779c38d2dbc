"""Send e-mails about newly opened calls that fit users' saved matcher questions.

Run it once a day (cron or a systemd timer, like ``send_digests``). By default it queues the `send_call_alerts`
task for a worker (``manage.py db_worker``); ``--now`` sends in this process. Running it twice a day does no harm:
each saved question only reports calls opened since its last alert.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nyskap.instruments.tasks import send_call_alerts


class Command(BaseCommand):
    help = "Queue (or with --now send) e-mails about new calls that fit saved matcher questions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="Send in this process instead of queueing a task.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            self.stdout.write(f"Sent {send_call_alerts.call()} e-mails.")
        else:
            result = send_call_alerts.enqueue()
            self.stdout.write(f"Queued the call-alert task {result.id}.")
