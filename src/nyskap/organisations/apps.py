from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "nyskap.organisations"
    label = "organisations"

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.db.models.signals import post_delete, post_save

        from . import jobs, models, selectors  # noqa: F401 - registers the jobs

        post_save.connect(selectors.forget_county_choices, sender=models.County, dispatch_uid="county-choices-save")
        post_delete.connect(selectors.forget_county_choices, sender=models.County, dispatch_uid="county-choices-delete")

        auditlog.register(models.Organisation)
        auditlog.register(models.County)
        auditlog.register(models.RegisterImport, include_fields=["applied_at", "applied_by"])
