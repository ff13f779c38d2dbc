from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CultureConfig(AppConfig):
    name = "nyskap.culture"
    label = "culture"
    verbose_name = _("Culture for innovation")

    def ready(self) -> None:
        from nyskap.surveys.registry import register_results_page

        from . import instrument, jobs  # noqa: F401 - registers the background jobs

        register_results_page(instrument.KEY, "culture:results")
