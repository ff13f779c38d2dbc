from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "nyskap.projects"
    label = "projects"
    verbose_name = _("Project library")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from nyskap.organisations.registry import register_detail_panel

        from . import jobs, models, signals  # noqa: F401 - connects the cache invalidation, registers the jobs

        auditlog.register(models.Project, m2m_fields={"owners", "authors", "innovation_types", "sdgs", "life_events"})
        auditlog.register(models.Partner)
        auditlog.register(models.FundingSource)
        auditlog.register(models.PhaseChange)
        auditlog.register(models.Adoption)
        auditlog.register(models.Attachment, exclude_fields=["file"])
        register_detail_panel("projects/_organisation_panel.html")
