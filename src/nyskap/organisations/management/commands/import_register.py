"""``manage.py import_register FILE``: show what the Central Coordinating Register's download would change (a dry
run); with ``--apply``, write it all or nothing. Output in Norwegian (bokmål)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from nyskap.organisations.models import OrganisationKind, RegisterImport
from nyskap.organisations.services import RegisterImportRefused, register_import_apply, register_import_create


def plan_lines(register_import: RegisterImport) -> list[str]:
    """The dry-run diff as text lines (used by the command; the page shows the same in tables)."""
    plan = register_import.plan
    kinds = dict(OrganisationKind.choices)
    lines = [
        _("%(name)s: %(read)s entities read, %(selected)s public bodies or bodies already in Nyskap.")
        % {"name": register_import.file_name, "read": register_import.read_count,
           "selected": register_import.selected_count},
        _("New bodies (%(count)s):") % {"count": len(plan["new"])},
    ]  # fmt: skip
    parent = _("parent")  # outside the f-string: the message extraction cannot see a call inside one
    lines += [
        f"  + {i['number']} {i['register_name']} ({i['form']}, {i['sector']}) → {kinds.get(i['kind'], i['kind'])}"
        + (f", {parent} {i['parent']}" if i["parent"] else "")
        for i in plan["new"]
    ]
    lines.append(_("Renamed bodies (%(count)s):") % {"count": len(plan["renamed"])})
    lines += [f"  ~ {i['number']} {i['name']}: {i['old']} → {i['new']}" for i in plan["renamed"]]
    lines.append(_("Deleted or merged bodies (%(count)s):") % {"count": len(plan["ended"])})
    lines += [
        f"  - {i['number']} {i['name']}: "
        + (_("deleted %(date)s → deleted") if i["action"] == "delete" else _("deleted %(date)s → marked as ended"))
        % {"date": i["deleted_on"]}
        for i in plan["ended"]
    ]
    lines.append(_("Changed parents (%(count)s):") % {"count": len(plan["parents"])})
    lines += [f"  ^ {i['number']} {i['name']}: {i['old'] or '–'} → {i['new']}" for i in plan["parents"]]
    lines.append(_("Legal names recorded for the first time: %(count)s") % {"count": len(plan["names_recorded"])})
    if register_import.problem_count:
        lines.append(_("Problems (%(count)s); those entities are left out:") % {"count": register_import.problem_count})
        field = _("field")
        lines += [
            f"  ! {p['where']}" + (f", {field} {p['field']}" if p["field"] else "") + f": {p['message']}"
            for p in register_import.problems
        ]
    return lines


class Command(BaseCommand):
    help = (
        "Show what a download of entities from the Central Coordinating Register (enheter, JSON or CSV, gzip or "
        "not) would change among the public bodies, and with --apply write it all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The register's download, e.g. enheter_alle.json.gz")
        parser.add_argument("--apply", action="store_true", help="Write the changes (default: a dry run)")
        parser.add_argument("--sector-codes", help="Comma-separated institutional sector codes (default: settings)")
        parser.add_argument("--forms", help="Comma-separated organisation forms (default: settings)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        split = lambda value: [v.strip() for v in value.split(",") if v.strip()] if value else None  # noqa: E731
        with translation.override("nb"):
            try:
                handle = path.open("rb")
            except OSError as exc:
                raise CommandError(_("The file %(name)s cannot be opened: %(error)s") % {
                    "name": path, "error": exc.strerror}) from exc  # fmt: skip
            with handle:
                register_import = register_import_create(
                    stream=handle,
                    file_name=path.name,
                    sector_codes=split(options["sector_codes"]),
                    organisation_forms=split(options["forms"]),
                )
            for line in plan_lines(register_import):
                self.stdout.write(line)
            if register_import.fatal:
                raise CommandError(_("The file could not be read to the end, so nothing from it can be applied."))
            if not options["apply"]:
                self.stdout.write(_("Dry run: nothing was written. Run again with --apply to write the changes."))
                return
            try:
                counts = register_import_apply(register_import=register_import)
            except RegisterImportRefused as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(
                self.style.SUCCESS(
                    _("Applied: %(new)s new, %(renamed)s renamed, %(recorded)s legal names recorded, %(parents)s "
                      "parents changed, %(ended)s marked as ended, %(deleted)s deleted.")
                    % {"new": counts["new"], "renamed": counts["renamed"], "recorded": counts["names_recorded"],
                       "parents": counts["parents"], "ended": counts["ended"], "deleted": counts["deleted"]}
                )
            )  # fmt: skip
