from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "nyskap.core"
    label = "core"
    verbose_name = "Nyskap"

    def ready(self) -> None:
        from django.db.models import fields
        from django.utils.translation import gettext_lazy as _

        from . import checks  # noqa: F401 - registers the system checks
        from .forms import install_json_rule, install_text_rule

        install_text_rule()
        install_json_rule()
        # The empty choice of every select (Django's "- Select an option -"), in Nyskap's catalogues: Django ships
        # no bokmål or nynorsk for it, so it would show in English.
        fields.BLANK_CHOICE_LABEL = _("- Select an option -")
