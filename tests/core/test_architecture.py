"""The structure the code keeps (docs/adr/0011-import-contracts.md):

- the import contracts in pyproject.toml (`[tool.importlinter]`) hold: apps depend only downward, no app imports
  another app's services, views or api, culture uses the survey engine through its interface;
- every "may this user …" rule about organisation roles lives in `nyskap.core.permissions`: no other module
  filters memberships by role. The one exception is the owner of memberships: accounts/models.py declares the
  queryset method ``Membership.objects.admins()``, and the accounts app's member management (the
  last-administrator rule, requests to join, closing an account) uses it; other apps ask core.permissions.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "nyskap"

# The rules' home, and the model that declares the role and its one queryset method.
ROLE_QUERIES_ALLOWED = {"core/permissions.py", "accounts/models.py"}
QUERY_METHODS = {"filter", "exclude", "get", "get_or_create", "update_or_create", "update", "aggregate", "annotate"}
ROLE_LOOKUP = re.compile(r"(^|__)memberships__role($|__)")
PLAIN_ROLE_LOOKUP = re.compile(r"^role($|__)")


def role_queries(source: str, *, owner: bool = False) -> list[str]:
    """Where `source` builds a membership-role query: a ``memberships__role…`` lookup (keyword, or a string for
    ``**{…}``), a ``role…`` lookup on memberships (``Membership.objects.filter(role=…)``,
    ``user.memberships.filter(role__in=…)``), or, outside the accounts app (``owner``), its queryset's
    ``admins()``."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and ROLE_LOOKUP.search(node.value):
            found.append(f"line {node.lineno}: lookup {node.value!r}")
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg and ROLE_LOOKUP.search(keyword.arg):
                found.append(f"line {node.lineno}: lookup {keyword.arg}=")
        if isinstance(node.func, ast.Attribute):
            receiver = ast.unparse(node.func.value)
            on_memberships = "Membership" in receiver or "memberships" in receiver
            if node.func.attr in QUERY_METHODS and on_memberships:
                found += [
                    f"line {node.lineno}: {receiver}.{node.func.attr}({keyword.arg}=…)"
                    for keyword in node.keywords
                    if keyword.arg and PLAIN_ROLE_LOOKUP.match(keyword.arg)
                ]
            if node.func.attr == "admins" and on_memberships and not owner:
                found.append(f"line {node.lineno}: {receiver}.admins()")
    return found


def test_the_role_query_check_finds_each_way_of_writing_one():
    snippets = [
        'Organisation.objects.filter(memberships__user=user, memberships__role__in=["editor", "admin"])',
        "Project.objects.filter(owners__memberships__role=Role.ADMIN)",
        'Round.objects.filter(**{"organisation__memberships__role__in": roles})',
        "Membership.objects.filter(user=user, role=Role.ADMIN).exists()",
        "user.memberships.filter(role__in=[Role.EDITOR, Role.ADMIN]).exists()",
        "Membership.objects.admins().filter(organisation=organisation)",
    ]
    for snippet in snippets:
        assert role_queries(snippet), snippet
    harmless = [
        "Partner.objects.create(project=project, role=role)",  # a partner's role in a project, not a membership
        "Membership.objects.create(user=user, organisation=organisation, role=role)",  # a write, not a rule
        "user.memberships.filter(organisation=organisation).exists()",
        "permissions.is_editor_of(user, organisation)",
    ]
    for snippet in harmless:
        assert role_queries(snippet) == [], snippet
    assert role_queries("Membership.objects.admins().filter(organisation=organisation)", owner=True) == []
    assert role_queries("Membership.objects.filter(role=Role.ADMIN)", owner=True)


def test_only_core_permissions_builds_membership_role_queries():
    offenders = {
        str(path.relative_to(SOURCE)): found
        for path in sorted(SOURCE.rglob("*.py"))
        if "migrations" not in path.parts
        and str(path.relative_to(SOURCE)) not in ROLE_QUERIES_ALLOWED
        and (found := role_queries(path.read_text(encoding="utf-8"), owner=path.parent.name == "accounts"))
    }
    assert offenders == {}, "use nyskap.core.permissions instead of a role query of your own"


def test_the_import_contracts_hold():
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exit_code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    assert exit_code == 0, output.getvalue()
    assert ", 0 broken." in output.getvalue()
