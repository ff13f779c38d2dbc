"""Writes on projects. Each function owns its transaction, checks access, validates before it saves, and raises
`ProjectError` (a message fit to show the user, and the field it concerns) or Django's `PermissionDenied`.

Every phase change goes through `project_change_phase`, which checks the transition and writes the timeline.
"""

from .attachments import (
    ATTACHMENT_EXTENSIONS,
    ATTACHMENT_MAX_BYTES,
    attachment_add,
    attachment_remove,
)
from .bulk import (
    BULK_CHUNK,
    BulkProjectError,
    BulkProjectRow,
    projects_bulk_create,
)
from .projects import (
    BACK,
    FORWARD,
    RESERVED_SLUGS,
    UPDATABLE_FIELDS,
    ProjectError,
    project_add_funding,
    project_add_partner,
    project_adopt,
    project_change_phase,
    project_create,
    project_update,
    require_editor_of,
)

__all__ = [
    "ATTACHMENT_EXTENSIONS",
    "ATTACHMENT_MAX_BYTES",
    "BACK",
    "BULK_CHUNK",
    "FORWARD",
    "RESERVED_SLUGS",
    "UPDATABLE_FIELDS",
    "BulkProjectError",
    "BulkProjectRow",
    "ProjectError",
    "attachment_add",
    "attachment_remove",
    "project_add_funding",
    "project_add_partner",
    "project_adopt",
    "project_change_phase",
    "project_create",
    "project_update",
    "projects_bulk_create",
    "require_editor_of",
]
