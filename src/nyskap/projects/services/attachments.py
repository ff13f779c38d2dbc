"""Attachments to a project: documents and pictures, checked before they are stored."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from nyskap.organisations.reference_data import slug_base

from ..models import (
    Attachment,
    Project,
)
from .projects import (
    ProjectError,
    _require_change,
)

# Attachments

# Documents and pictures people share about a project; anything executable or scriptable is refused.
ATTACHMENT_EXTENSIONS = {
    "pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "txt", "csv", "png", "jpg", "jpeg", "gif", "webp",
}  # fmt: skip
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


@transaction.atomic
def attachment_add(*, project: Project, actor: Any, upload: Any, title: str = "") -> Attachment:
    _require_change(actor, project)
    name = str(getattr(upload, "name", "") or "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ATTACHMENT_EXTENSIONS:
        raise ProjectError(
            _("Files of this type cannot be attached. Allowed: %(types)s.")
            % {"types": ", ".join(sorted(ATTACHMENT_EXTENSIONS))},
            field="file",
        )
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ProjectError(_("The file is larger than 20 MB."), field="file")
    if upload.size == 0:
        raise ProjectError(_("The file is empty."), field="file")
    safe_name = slug_base(name.rsplit(".", 1)[0])[:100] + "." + extension
    attachment = Attachment(project=project, title=(title or "").strip()[:200] or name[:200], size=upload.size)
    attachment.uploaded_by = actor
    attachment.file.save(safe_name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor: Any) -> None:
    _require_change(actor, attachment.project)
    attachment.file.delete(save=False)
    attachment.delete()
