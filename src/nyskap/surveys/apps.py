from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "nyskap.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        # Questionnaires and rounds are shared content with a history. Responses, answers and invitations are
        # deliberately left out: an audit entry carries a precise time and would link an answer to a moment.
        auditlog.register(models.Questionnaire)
        auditlog.register(models.QuestionnaireVersion)
        auditlog.register(models.Dimension)
        auditlog.register(models.Item)
        auditlog.register(models.Round, exclude_fields=["link_token"])
        auditlog.register(models.Unit)
        # Who may be invited is shared configuration with a history (an exception's reason is logged).
        auditlog.register(models.EmailDomain)
        auditlog.register(models.EmailException)
