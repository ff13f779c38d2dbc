"""The survey engine: questionnaires in versions, rounds for an organisation, invitations and anonymous responses.

Anonymity is a property of the tables, not of the views (ARCHITECTURE.md, access control):

- `Response` has a random UUID key, no user, no e-mail, no invitation, no IP address and no time of day — only the
  date it was last saved. Its answers (`Answer`) are keyed by (response, item), so no sequence number orders them.
- `Invitation` knows an e-mail address and whether its link has been used, but not when, and nothing points from it
  to a response or back. The two cannot be joined.
- A respondent who saves a draft gets a resume secret that only they hold; the draft stores a hash of it, which is
  dropped when the response is submitted.
- Responses and invitations are deliberately not registered with the audit log, which would record precise times.
"""

from __future__ import annotations

from .common import (
    DEFAULT_LINK_CAP,
    DEFAULT_LINK_THRESHOLD,
    DEFAULT_THRESHOLD,
    MAX_LINK_CAP,
    MAX_ROUND_DAYS,
    MINIMUM_THRESHOLD,
    hash_secret,
    new_secret,
    pick_language,
)
from .questionnaires import (
    Dimension,
    FrozenVersionError,
    Item,
    ItemKind,
    Questionnaire,
    QuestionnaireVersion,
    VersionStatus,
)
from .respondents import Answer, EmailDomain, EmailException, Invitation, InvitationBatch, LinkTicket, Response
from .rounds import FROZEN_FIELDS, FrozenRoundError, Round, RoundQuerySet, Unit, link_threshold_error, round_date_error

__all__ = [
    "DEFAULT_LINK_CAP",
    "DEFAULT_LINK_THRESHOLD",
    "DEFAULT_THRESHOLD",
    "FROZEN_FIELDS",
    "MAX_LINK_CAP",
    "MAX_ROUND_DAYS",
    "MINIMUM_THRESHOLD",
    "Answer",
    "Dimension",
    "EmailDomain",
    "EmailException",
    "FrozenRoundError",
    "FrozenVersionError",
    "Invitation",
    "InvitationBatch",
    "Item",
    "ItemKind",
    "LinkTicket",
    "Questionnaire",
    "QuestionnaireVersion",
    "Response",
    "Round",
    "RoundQuerySet",
    "Unit",
    "VersionStatus",
    "hash_secret",
    "link_threshold_error",
    "new_secret",
    "pick_language",
    "round_date_error",
]
