"""API schemas of organisations that other apps' APIs embed (a project's owners, an instrument's organisations)."""

from enum import StrEnum

from django.conf import settings
from ninja import Field, Schema

# The size bands come from settings (ORGANISATION_SIZE_BANDS), so the enum is built from them.
SizeBand = StrEnum("SizeBand", [(str(code), str(code)) for code, *_rest in settings.ORGANISATION_SIZE_BANDS])  # type: ignore[misc]


class OrganisationRef(Schema):
    slug: str = Field(description="Stable identifier used in URLs.")
    name: str = Field(description="Common name.")
