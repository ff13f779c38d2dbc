from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "nyskap.procurement"
    label = "procurement"
    verbose_name = _("Procurement statistics")

    def ready(self) -> None:
        from . import jobs  # noqa: F401 - registers the notice import's background job
