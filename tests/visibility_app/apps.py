from django.apps import AppConfig


class VisibilityAppConfig(AppConfig):
    name = "tests.visibility_app"
    label = "visibility_app"
