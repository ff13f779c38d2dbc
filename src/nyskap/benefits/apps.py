from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenefitsConfig(AppConfig):
    name = "nyskap.benefits"
    label = "benefits"
    verbose_name = _("Benefit realisation")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import jobs, models, signals  # noqa: F401 - connects the cache invalidation, registers the jobs

        auditlog.register(models.BenefitPlan)
        auditlog.register(models.Benefit)
        auditlog.register(models.BenefitAmount)
        auditlog.register(models.Cost)
        auditlog.register(models.Measurement)
        auditlog.register(models.ParameterSet)
        auditlog.register(models.PreventionSet)
