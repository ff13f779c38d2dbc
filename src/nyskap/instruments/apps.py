from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstrumentsConfig(AppConfig):
    name = "nyskap.instruments"
    label = "instruments"
    verbose_name = _("Instrument catalogue")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import jobs, models  # noqa: F401 - registers the export job

        # Every change to the catalogue is in the history (who, when, what); the public reads it.
        auditlog.register(models.Instrument, m2m_fields={"owners"})
        auditlog.register(models.Call)
        auditlog.register(models.InstrumentOwnerRole)
        auditlog.register(models.InstrumentUse)
