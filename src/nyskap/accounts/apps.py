from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "nyskap.accounts"
    label = "accounts"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models, receivers, security_log  # noqa: F401 - connects the signal receivers

        auditlog.register(models.Membership)
        auditlog.register(models.Invitation)
        auditlog.register(models.JoinRequest)
        auditlog.register(models.User, include_fields=["email", "is_active", "is_staff", "is_superuser", "name"])
