from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BarometerConfig(AppConfig):
    name = "nyskap.barometer"
    label = "barometer"
    verbose_name = _("Innovation barometer")

    def ready(self) -> None:
        from . import jobs  # noqa: F401 - registers the background job
