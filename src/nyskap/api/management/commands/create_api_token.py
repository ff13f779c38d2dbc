from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from nyskap.api.models import ApiToken


class Command(BaseCommand):
    help = "Issue an API token for a user. The token is printed once; only its hash is stored."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="API client")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(email__iexact=options["email"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with e-mail {options['email']}.")
        _token, raw = ApiToken.issue(user=user, name=options["name"])
        self.stdout.write(raw)
