"""Procurement statistics in the open API (``/api/v1/procurement``).

- ``POST /classify``: notices in (BT-105 procedure code, BT-776 codes, CPV codes, whether a market dialogue preceded
  it); for each its class — ``innovation``, ``innovation_friendly`` or ``other`` — and the reason, by the same rule
  as the statistics pages (DOMAIN.md §6.3): ``reason`` a sentence in the request's language (Accept-Language),
  ``reason_code`` the same as a stable code. Unknown codes are refused with 422 naming the code and the field.
  No token needed; nothing is stored.
"""

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import WithJsonSchema

from nyskap.api.auth import OPTIONAL_AUTH, OPTIONAL_SECURITY
from nyskap.api.errors import ErrorOut, invalid
from nyskap.api.throttling import ANONYMOUS_WRITES
from nyskap.api.types import InSchema

from . import calculations, labels

router = Router(tags=["procurement"])

MAX_NOTICES = 1000

NoticeId = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[\w.:/-]+$", description="Your identifier.")]
# The schema lists the codes and the CPV pattern (so clients and generated tests know them); the check itself is the
# classifier's, so that an unknown code or a malformed CPV code is refused with a message naming it and its place.
PROCEDURE_DESCRIPTION = "BT-105 procedure type (eForms code list procurement-procedure-type)."
INNOVATIVE_DESCRIPTION = "BT-776 innovative procurement (eForms code list innovative-acquisition)."
ProcedureCode = Annotated[
    str,
    Field(min_length=1, max_length=40, description=PROCEDURE_DESCRIPTION),
    WithJsonSchema(
        {"type": "string", "enum": list(calculations.PROCEDURE_CODES), "description": PROCEDURE_DESCRIPTION}
    ),
]
InnovativeCode = Annotated[
    str,
    Field(min_length=1, max_length=40, description=INNOVATIVE_DESCRIPTION),
    WithJsonSchema(
        {"type": "string", "enum": list(calculations.INNOVATIVE_CODES), "description": INNOVATIVE_DESCRIPTION}
    ),
]
CPV_DESCRIPTION = "A CPV code: eight digits, optionally with its check digit."
CpvCode = Annotated[
    str,
    Field(min_length=1, max_length=40, description=CPV_DESCRIPTION),
    WithJsonSchema({"type": "string", "pattern": r"^\d{8}(-\d)?$", "description": CPV_DESCRIPTION}),
]


class ProcurementNoticeIn(InSchema):
    id: NoticeId
    procedure: ProcedureCode
    innovative: list[InnovativeCode] = Field(default_factory=list, max_length=calculations.MAX_INNOVATIVE_CODES)
    cpv: list[CpvCode] = Field(default_factory=list, max_length=calculations.MAX_CPV_CODES)
    market_dialogue: bool = Field(False, strict=True, description="A market-dialogue notice preceded this one.")


class ProcurementClassifyIn(InSchema):
    notices: list[ProcurementNoticeIn] = Field(min_length=1, max_length=MAX_NOTICES)


REASON_CODE_DESCRIPTION = (
    "Why the notice has its class, as a stable code for programs: the criteria met, in the order the reason names "
    "them, joined by ';'. Each is procedure=<BT-105 code> (innovation partnership or competitive dialogue), cpv=73 "
    "(R&D services: pre-commercial procurement), bt776=<BT-776 code>, market_dialogue (a market-dialogue notice "
    "preceded it); for class other it is other=<BT-105 code>. Example: procedure=innovation;cpv=73;bt776=mar-nov."
)


class ProcurementClassOut(Schema):
    id: str
    class_: str = Field(alias="class", description="innovation, innovation_friendly or other.")
    reason: str = Field(
        description="The reason as a sentence in the request's language (Accept-Language: nb, nn or en)."
    )
    reason_code: str = Field(
        description=REASON_CODE_DESCRIPTION, pattern=r"^[a-z_0-9]+(=[a-z0-9-]+)?(;[a-z_0-9]+(=[a-z0-9-]+)?)*$"
    )


class ProcurementClassifyOut(Schema):
    notices: list[ProcurementClassOut]


@router.post(
    "/classify",
    response={200: ProcurementClassifyOut, 400: ErrorOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Classify procurement notices as procurement of innovation, innovation-friendly or other",
    description=(
        "Each notice's class by DOMAIN.md §6.3: procurement of innovation when the procedure is an innovation "
        "partnership or a competitive dialogue, a CPV code is an R&D service (division 73, pre-commercial "
        "procurement under the R&D exception), or BT-776 is mar-nov, rd-act, prod-innov or proc-innov; "
        "innovation-friendly when BT-776 is fp-requ, buy-eff or org-nov or a market dialogue preceded it; other "
        f"otherwise. The reason is given as a sentence in the request's language (Accept-Language: nb, nn or en) "
        f"and as a stable code (reason_code). At most {MAX_NOTICES} notices a request; nothing is stored."
    ),
    auth=OPTIONAL_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
    throttle=ANONYMOUS_WRITES,
    by_alias=True,
)
def procurement_classify(request: HttpRequest, payload: ProcurementClassifyIn) -> Any:
    results = []
    for index, notice in enumerate(payload.notices):
        try:
            result = calculations.classify(
                procedure=notice.procedure,
                innovative=notice.innovative,
                cpv=notice.cpv,
                market_dialogue=notice.market_dialogue,
            )
        except calculations.UnknownCode as exc:
            return invalid(f"notices.{index}.{exc.field}", labels.message(exc.template, exc.params))
        results.append(
            {
                "id": notice.id,
                "class": result.notice_class.value,
                "reason": labels.reason(result.notice_class, result.reason_code),
                "reason_code": result.reason_code,
            }
        )
    return {"notices": results}
