from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "nyskap.api"
    label = "api"
