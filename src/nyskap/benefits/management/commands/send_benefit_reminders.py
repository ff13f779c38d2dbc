"""Remind benefit owners when a measurement is due.

Run it once a day, e.g. from cron (``30 6 * * *  cd /srv/nyskap && .venv/bin/python manage.py
send_benefit_reminders``). By default the command only enqueues the `send_measurement_reminders` task, so a task
worker (``manage.py db_worker``) must be running; ``--now`` sends in this process instead. Running it twice a day does
no harm: an owner is reminded once per due measurement.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nyskap.benefits.tasks import send_measurement_reminders


class Command(BaseCommand):
    help = "Queue the reminders to benefit owners whose measurement is due (or send them at once with --now)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="Send in this process instead of queueing a task.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            sent = send_measurement_reminders.call()
            self.stdout.write(f"Sent {sent} reminder e-mails.")
        else:
            result = send_measurement_reminders.enqueue()
            self.stdout.write(f"Queued the reminder task {result.id}.")
