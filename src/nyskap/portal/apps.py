from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The front door: the home page and “My work”. The top layer: it reads from every module, none reads from it."""

    name = "nyskap.portal"
    label = "portal"
    verbose_name = _("Front door")
