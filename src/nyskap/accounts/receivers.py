"""Signal receivers that keep sessions in step with the account (connected in `AccountsConfig.ready`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from nyskap.core.signals import language_chosen

from .middleware import SESSION_EXPIRED_ATTR
from .models import User
from .services import user_end_all_sessions, user_language_set


@receiver(user_logged_out, dispatch_uid="nyskap.accounts.logout_everywhere")
def _logout_everywhere(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Logging out ends every session of the user, on every device (ASVS 3.3.1)."""
    if user is None or user.pk is None or getattr(request, SESSION_EXPIRED_ATTR, False):
        # A timed-out session ends only itself; a deleted account has no sessions left to end.
        return
    if not User.objects.filter(pk=user.pk).exists():
        return
    user_end_all_sessions(user=user)


@receiver(language_chosen, dispatch_uid="nyskap.accounts.language_chosen")
def _record_language(sender: Any, request: Any, language: str, **kwargs: Any) -> None:
    """A signed-in user's language switch is also the language of their reminders and alerts."""
    user = request.user
    if isinstance(user, User) and user.pk is not None:
        user_language_set(user=user, language=language)
