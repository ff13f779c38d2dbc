"""Fail when a user could meet a string in English on a bokmål or nynorsk page.

Three checks, each a failure on its own:

1. **Calls the extraction cannot see.** ``makemessages`` runs xgettext with a fixed list of function names
   (``_``, ``gettext``, ``gettext_lazy``, ``ngettext``, ``pgettext``, …). A translation function imported or
   assigned under any other name (``from django.utils.translation import gettext_lazy as _lazy``), or called inside
   an f-string (which xgettext does not read), marks strings that are never collected, so they stay in English.
2. **Catalogues behind the sources.** The messages are extracted from the sources exactly as ``make messages``
   does (into a temporary template, the catalogues are not written) and every msgid must be in the nb and nn
   catalogues.
3. **Untranslated or fuzzy entries.** Every msgid in the nb and nn catalogues has a translation that is not
   empty and not marked fuzzy (a fuzzy entry is a guess by msgmerge, and Django does not use it), and the
   compiled .mo files match the .po files.

``--catalogues-only`` skips the extraction (which needs GNU gettext) and checks 1 and 3 only.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.commands import makemessages

REQUIRED = ("nb", "nn")
# The directories ``make messages`` leaves out; the same here, so the two agree.
IGNORED = [".venv/*", "node_modules/*"]
TRANSLATION_MODULE = "django.utils.translation"
# The names xgettext is told to collect in Python (its defaults and the keywords ``makemessages`` adds).
EXTRACTED_NAMES = frozenset(
    {
        "_",
        "gettext",
        "ngettext",
        "gettext_noop",
        "gettext_lazy",
        "ngettext_lazy",
        "pgettext",
        "npgettext",
        "pgettext_lazy",
        "npgettext_lazy",
    }
)
TRANSLATION_FUNCTIONS = EXTRACTED_NAMES | {"ugettext", "ugettext_lazy", "ungettext", "ungettext_lazy"}


def untranslated(po_path: Path) -> list[str]:
    """The msgids with an empty translation (any plural form empty) or a fuzzy one."""
    catalogue = polib.pofile(str(po_path))
    return [entry.msgid for entry in catalogue if not entry.obsolete and (not entry.translated() or entry.fuzzy)]


def hidden_aliases(source_root: Path) -> list[str]:
    """Every place a translation function gets a name xgettext does not collect, as "path:line: text"."""
    problems = []
    for path in sorted(source_root.rglob("*.py")):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        except SyntaxError:  # pragma: no cover - the linters report it
            continue
        for line, alias, original in _aliases(tree):
            where = f"{path.relative_to(source_root.parent)}:{line}"
            if alias.endswith("inside an f-string"):
                problems.append(f"{where}: {alias}, which the extraction does not see; translate outside it")
            elif alias not in EXTRACTED_NAMES:
                problems.append(
                    f"{where}: {original} is used as {alias!r}, which the extraction does not see; import it under "
                    f"its own name or as _"
                )
    return problems


def _aliases(tree: ast.AST) -> Iterator[tuple[int, str, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            # xgettext does not look inside f-strings: a call there is never extracted.
            for part in ast.walk(node):
                called = part.func.id if isinstance(part, ast.Call) and isinstance(part.func, ast.Name) else ""
                if called in TRANSLATION_FUNCTIONS:
                    yield getattr(part, "lineno", node.lineno), f"{called}() inside an f-string", called
        if isinstance(node, ast.ImportFrom) and node.module == TRANSLATION_MODULE:
            for name in node.names:
                if name.name in TRANSLATION_FUNCTIONS and name.asname:
                    yield node.lineno, name.asname, name.name
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Name | ast.Attribute):
            original = node.value.id if isinstance(node.value, ast.Name) else node.value.attr
            if original in TRANSLATION_FUNCTIONS:
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id != original:
                        yield node.lineno, target.id, original


class _Extraction(makemessages.Command):
    """``makemessages`` that reads the template it builds instead of merging it into the catalogues."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.extracted: set[tuple[str, str]] = set()

    def write_po_file(self, potfile: str, locale: str) -> None:
        for entry in polib.pofile(potfile):
            self.extracted.add((entry.msgctxt or "", entry.msgid))


def missing_from_catalogues(locale_dir: Path) -> list[str]:
    """The msgids the sources mark for translation that a required catalogue does not hold."""
    extraction = _Extraction()
    previous = os.getcwd()
    os.chdir(locale_dir.parent)
    try:
        extraction.run_from_argv(
            ["manage.py", "makemessages", "--locale", REQUIRED[0], "--verbosity", "0"]
            + [argument for pattern in IGNORED for argument in ("--ignore", pattern)]
        )
    finally:
        os.chdir(previous)
    problems = []
    for language in REQUIRED:
        po_path = locale_dir / language / "LC_MESSAGES" / "django.po"
        if not po_path.exists():
            continue
        held = {(entry.msgctxt or "", entry.msgid) for entry in polib.pofile(str(po_path)) if not entry.obsolete}
        for _context, msgid in sorted(extraction.extracted - held):
            problems.append(f"{language}: {msgid!r} is in the sources but not in the catalogue (run make messages)")
    return problems


class Command(BaseCommand):
    help = (
        "Fail on a translation function the extraction cannot see, a msgid in the sources that the nb or nn "
        "catalogue lacks, an empty or fuzzy nb or nn translation, or a .mo file out of date."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--catalogues-only",
            action="store_true",
            help="Do not extract the messages from the sources (no GNU gettext needed).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        locale_dir = Path(settings.LOCALE_PATHS[0])
        problems = hidden_aliases(Path(settings.BASE_DIR) / "src")
        if not options["catalogues_only"]:
            problems += missing_from_catalogues(locale_dir)
        for language in REQUIRED:
            po_path = locale_dir / language / "LC_MESSAGES" / "django.po"
            if not po_path.exists():
                problems.append(f"{po_path} is missing")
                continue
            for msgid in untranslated(po_path):
                problems.append(f"{language}: no translation for {msgid!r}")
            mo_path = po_path.with_suffix(".mo")
            if not mo_path.exists():
                problems.append(f"{mo_path} is missing (run make compilemessages)")
            else:
                expected = polib.pofile(str(po_path)).to_binary()
                if mo_path.read_bytes() != expected:
                    problems.append(f"{mo_path} is out of date (run make compilemessages)")
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} translation problem(s).")
        self.stdout.write("Translations complete for nb and nn.")
