"""The API of accounts: whom a token belongs to (mounted at /api/v1/me in nyskap.config.api)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema

from nyskap.api.auth import TokenAuth
from nyskap.api.errors import ErrorOut

router = Router(tags=["account"])


class MembershipOut(Schema):
    organisation: str = Field(description="Slug of the organisation.")
    role: str = Field(description="member, editor or admin.")


class MeOut(Schema):
    email: str
    name: str
    memberships: list[MembershipOut]


@router.get(
    "",
    auth=TokenAuth(),
    response={200: MeOut, 401: ErrorOut},
    summary="The account behind the API token",
    operation_id="nyskap_api_me_me",  # the id it had before it moved here: clients generated from the schema keep it
    description="Shows whom a bearer token belongs to. Write endpoints use the same token authentication.",
)
def me(request: HttpRequest) -> dict:
    user = request.auth  # type: ignore[attr-defined]
    return {
        "email": user.email,
        "name": user.name,
        "memberships": [
            {"organisation": m.organisation.slug, "role": m.role}
            for m in user.memberships.select_related("organisation")
        ],
    }
