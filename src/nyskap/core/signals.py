"""Signals core sends for the apps above it (core depends on none of them)."""

from django.dispatch import Signal

# A signed-in user switched the display language on this site: `request`, `language` (one of LANGUAGES).
# The accounts app records it as the language of the user's e-mail.
language_chosen = Signal()
