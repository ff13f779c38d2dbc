"""Create the demo personas (users and their memberships) for local development. Refuses to run outside DEBUG
(never in production)."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from nyskap.accounts.models import Membership, Role, SupplierKind, SupplierProfile, User
from nyskap.organisations.models import Organisation

# Development only: printed on every run so a newcomer can log in. The command refuses to run when DEBUG is off.
DEMO_PASSWORD = "demo-passord-kun-lokalt"  # noqa: S105

PERSONAS: list[dict[str, Any]] = [
    {
        "email": "innovator@demo.nyskap.no",
        "name": "Ina Innovatør",
        "org": "kommune:4626",
        "role": Role.EDITOR,
    },
    {"email": "leder@demo.nyskap.no", "name": "Lars Leder", "org": "kommune:4626", "role": Role.ADMIN},
    {"email": "kollega@demo.nyskap.no", "name": "Kari Kollega", "org": "kommune:4626", "role": Role.MEMBER},
    {"email": "utenfor@demo.nyskap.no", "name": "Ola Utenfor", "org": "kommune:1804", "role": Role.EDITOR},
    {"email": "drift@demo.nyskap.no", "name": "Dina Drift", "org": None, "role": None, "operator": True},
    # A supplier: member of no public body, speaks for a (fictitious) start-up.
    {
        "email": "leverandor@demo.nyskap.no",
        "name": "Siri Leverandør",
        "org": None,
        "role": None,
        "supplier": {
            "company_name": "Varm Lunsj AS (demo)",
            "organisation_number": "123456785",
            "kind": SupplierKind.START_UP,
            "contact_email": "leverandor@demo.nyskap.no",
            "website": "https://example.no/varm-lunsj",
        },
    },
]


class Command(BaseCommand):
    help = "Create demo personas (development only). Existing users are left as they are."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("demo_data only runs with DEBUG on; it must never create accounts in production.")
        created = 0
        with transaction.atomic():
            for persona in PERSONAS:
                user, was_created = User.objects.get_or_create(
                    email=persona["email"],
                    defaults={
                        "username": persona["email"],
                        "name": persona["name"],
                        "is_staff": persona.get("operator", False),
                        "is_superuser": persona.get("operator", False),
                    },
                )
                if was_created:
                    user.set_password(DEMO_PASSWORD)
                    user.save(update_fields=["password"])
                    created += 1
                EmailAddress.objects.get_or_create(
                    user=user, email=user.email, defaults={"verified": True, "primary": True}
                )
                if persona["org"]:
                    organisation = Organisation.objects.filter(reference_key=persona["org"]).first()
                    if organisation is None:
                        raise CommandError("Load the reference data first: manage.py load_reference_data")
                    Membership.objects.get_or_create(
                        user=user, organisation=organisation, defaults={"role": persona["role"]}
                    )
                if persona.get("supplier"):
                    SupplierProfile.objects.get_or_create(user=user, defaults=persona["supplier"])
        self.stdout.write(f"Demo personas: {created} created, {len(PERSONAS) - created} already there.")
        self.stdout.write("Log in at http://127.0.0.1:8000/accounts/login/ with one of:")
        for persona in PERSONAS:
            self.stdout.write(f"  {persona['email']}")
        self.stdout.write(f"Password (development only): {DEMO_PASSWORD}")
        self.stdout.write("The leader and the operator must set up two-factor authentication at first login.")
