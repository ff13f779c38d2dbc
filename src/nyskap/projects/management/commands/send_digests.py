"""Send the daily digest of followed projects.

Run it once a day, e.g. from cron::

    15 6 * * *  cd /srv/nyskap && .venv/bin/python manage.py send_digests

or a systemd timer (``OnCalendar=*-*-* 06:15:00`` and ``Persistent=true`` on a ``nyskap-digests.timer``, starting a
``nyskap-digests.service`` with ``Type=oneshot`` and ``ExecStart=/srv/nyskap/.venv/bin/python manage.py
send_digests``). By default the command only enqueues the `send_daily_digests` task, so a task worker
(``manage.py db_worker``) must be running; ``--now`` sends in this process instead. Running it twice a day does no
harm: each subscription only reports what happened since its last digest.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nyskap.projects.tasks import DIGEST_BATCH_SIZE, send_daily_digests


class Command(BaseCommand):
    help = "Queue the daily digest e-mails of followed projects (or send them at once with --now)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="Send in this process instead of queueing a task.")
        parser.add_argument("--batch-size", type=int, default=DIGEST_BATCH_SIZE, help="Users per batch.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            sent = send_daily_digests.call(batch_size=options["batch_size"])
            self.stdout.write(f"Sent {sent} digest e-mails.")
        else:
            result = send_daily_digests.enqueue(batch_size=options["batch_size"])
            self.stdout.write(f"Queued the digest task {result.id}.")
