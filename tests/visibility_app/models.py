"""A test-only model that uses the shared visibility model exactly as the modules will."""

from django.conf import settings
from django.db import models

from nyskap.core.visibility import VisibleModel


class Note(VisibleModel):
    title = models.CharField(max_length=100)
    owners = models.ManyToManyField("organisations.Organisation", related_name="+")
    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")

    def __str__(self) -> str:
        return self.title
