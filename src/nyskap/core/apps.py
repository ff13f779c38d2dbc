from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "nyskap.core"
    label = "core"
    verbose_name = "Nyskap"
