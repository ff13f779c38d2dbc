from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from nyskap.api.errors import ErrorOut

from .models import Organisation

router = Router(tags=["organisations"])


class OrganisationOut(Schema):
    slug: str
    name: str
    kind: str
    organisation_number: str


@router.get(
    "/{slug}",
    response={200: OrganisationOut, 404: ErrorOut},
    summary="One organisation",
)
def organisation_detail(request, slug: str):  # type: ignore[no-untyped-def]
    return get_object_or_404(Organisation, slug=slug)
