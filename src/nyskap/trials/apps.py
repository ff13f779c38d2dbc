from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrialsConfig(AppConfig):
    name = "nyskap.trials"
    label = "trials"
    verbose_name = _("Trials")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import jobs, models  # noqa: F401 - jobs registers the export job

        # The change history of every trial record: who changed what and when (django-auditlog, as the projects).
        auditlog.register(models.Trial, m2m_fields={"owners", "partners", "authors", "adopted_by"})
        auditlog.register(models.Exemption)
        auditlog.register(models.ApprovalStep)
        auditlog.register(models.ChecklistAnswer)
        auditlog.register(models.Result)
        auditlog.register(models.Sandbox)
        auditlog.register(models.SandboxRound)
        auditlog.register(models.SandboxAdmission)
