from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "nyskap.core"
    label = "core"
    verbose_name = "Nyskap"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks
        from .forms import install_text_rule

        install_text_rule()
