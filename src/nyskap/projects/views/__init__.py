"""Pages of the project library (M1). Thin: parse, check access on the server, call one service or selector,
render. A project the user may not see answers 404 everywhere (its existence is not revealed); a project the user
may see but not change answers 403 to changes."""

from .listing import project_list, project_similar
from .pages import project_create, project_detail, project_edit, project_phase
from .parts import (
    attachment_delete,
    attachment_download,
    attachment_upload,
    project_adopt,
    project_funding_add,
    project_partner_add,
)

__all__ = [
    "attachment_delete",
    "attachment_download",
    "attachment_upload",
    "project_adopt",
    "project_create",
    "project_detail",
    "project_edit",
    "project_funding_add",
    "project_list",
    "project_partner_add",
    "project_phase",
    "project_similar",
]
