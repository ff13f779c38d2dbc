from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "nyskap.organisations"
    label = "organisations"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Organisation)
        auditlog.register(models.County)
        auditlog.register(models.RegisterImport, include_fields=["applied_at", "applied_by"])
