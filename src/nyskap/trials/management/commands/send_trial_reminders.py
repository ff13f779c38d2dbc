"""Remind the owners of overdue trials: past the end date without results, or results without a decision.

Run it once a day, e.g. from cron (``45 6 * * *  cd /srv/nyskap && .venv/bin/python manage.py
send_trial_reminders``). By default the command only enqueues the `send_overdue_reminders` task, so a task worker
(``manage.py db_worker``) must be running; ``--now`` sends in this process instead. A trial's owners are reminded at
most once every 30 days.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nyskap.trials.tasks import send_overdue_reminders


class Command(BaseCommand):
    help = "Queue the reminders to the owners of overdue trials (or send them at once with --now)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="Send in this process instead of queueing a task.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            sent = send_overdue_reminders.call()
            self.stdout.write(f"Sent {sent} reminder e-mails.")
        else:
            result = send_overdue_reminders.enqueue()
            self.stdout.write(f"Queued the reminder task {result.id}.")
