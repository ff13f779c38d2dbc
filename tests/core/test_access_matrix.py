"""Every route × every kind of visitor, against one table of expected outcomes (tests/core/access_matrix.py)."""

from __future__ import annotations

import fnmatch

import pytest
from django.test import Client

from nyskap.accounts.models import Role
from tests.accounts.factories import MembershipFactory, SupplierProfileFactory, UserFactory, give_totp

from .access_matrix import ACCESS_MATRIX, PERSONAS
from .url_access_modules import app_url_access_modules
from .urls_walk import all_routes

LOGIN_PREFIXES = ("/accounts/login/", "/drift/login/")
OUTCOMES = {"ok", "login", "go", "400", "403", "404", "405", "410", "429"}


def matrix() -> dict[str, tuple[str, ...]]:
    rows = dict(ACCESS_MATRIX)
    for module in app_url_access_modules():
        rows.update(getattr(module, "ACCESS_MATRIX", {}))
    parsed = {}
    for name, cells in rows.items():
        values = tuple(cells.split())
        assert len(values) == len(PERSONAS), f"{name}: {len(values)} cells for {len(PERSONAS)} personas"
        assert set(values) <= OUTCOMES, f"{name}: unknown outcome in {values}"
        parsed[name] = values
    return parsed


def expected_for(name: str, rows: dict[str, tuple[str, ...]]) -> tuple[str, ...] | None:
    if name in rows:
        return rows[name]
    for pattern, values in rows.items():
        if fnmatch.fnmatchcase(name, pattern):
            return values
    return None


def outcome(response) -> str:
    status = response.status_code
    if status >= 500:
        return f"{status}!"
    if status == 401 or (status == 302 and response["Location"].startswith(LOGIN_PREFIXES)):
        return "login"
    if status in (200, 204):
        return "ok"
    if 300 <= status < 400:
        return "go"
    return str(status)


def make_personas(home_municipality, other_municipality) -> dict[str, object]:
    """The users behind the columns (None for anonymous)."""
    outsider = UserFactory(email="matrise.utenfor@bodo.kommune.no")
    MembershipFactory(user=outsider, organisation=other_municipality, role=Role.EDITOR)
    member = UserFactory(email="matrise.medlem@oygarden.kommune.no")
    MembershipFactory(user=member, organisation=home_municipality, role=Role.MEMBER)
    editor = UserFactory(email="matrise.redaktor@oygarden.kommune.no")
    MembershipFactory(user=editor, organisation=home_municipality, role=Role.EDITOR)
    admin = UserFactory(email="matrise.admin@oygarden.kommune.no")
    MembershipFactory(user=admin, organisation=home_municipality, role=Role.ADMIN)
    give_totp(admin)
    operator = UserFactory(email="matrise.drift@nyskap.no", is_staff=True, is_superuser=True)
    give_totp(operator)
    supplier = SupplierProfileFactory(user=UserFactory(email="matrise.leverandor@firma.no")).user
    return dict(zip(PERSONAS, (None, outsider, member, editor, admin, operator, supplier), strict=True))


def observe(personas: dict[str, object], routes) -> dict[str, tuple[str, ...]]:
    seen = {}
    for route in routes:
        cells = []
        for persona in PERSONAS:
            client = Client()
            user = personas[persona]
            if user is not None:
                client.force_login(user)
            cells.append(outcome(client.get(route.path)))
        seen[route.name] = tuple(cells)
    return seen


def test_when_the_matrix_is_read_then_every_row_is_well_formed_and_names_a_route():
    rows = matrix()
    routes, _ = all_routes()
    names = [route.name for route in routes]
    stale = [row for row in rows if not any(fnmatch.fnmatchcase(name, row) for name in names)]
    assert stale == [], f"rows for routes that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.whole_site_on_postgresql
def test_when_every_route_is_opened_by_every_persona_then_each_gets_what_the_matrix_says(
    home_municipality, other_municipality
):
    rows = matrix()
    routes, _ = all_routes()
    seen = observe(make_personas(home_municipality, other_municipality), routes)
    missing = [name for name in seen if expected_for(name, rows) is None]
    suggestions = "\n".join(row_line(name, seen[name]) for name in missing)
    assert missing == [], (
        "add rows to tests/core/access_matrix.py (or ACCESS_MATRIX in tests/<app>/url_access.py) after checking "
        f"each cell; today's outcomes:\n{suggestions}"
    )
    differences = {
        name: {"expected": " ".join(expected_for(name, rows) or ()), "seen": " ".join(cells)}
        for name, cells in seen.items()
        if comparable(name, cells) != comparable(name, expected_for(name, rows) or ())
    }
    assert differences == {}
    assert len(seen) == len(routes) >= 300


# The operator pages of one object (`/drift/<app>/<model>/<id>/…`) are opened with a sample id: whether an object
# has that id depends on the database's sequences (PostgreSQL does not reset them between tests), so the page shows
# it, redirects to the list ("does not exist") or answers 404. What matters is the same on both: who is let in.
LET_IN = {"ok", "go", "404"}


def comparable(name: str, cells: tuple[str, ...]) -> tuple[str, ...]:
    if name.startswith("admin:"):
        return tuple("in" if cell in LET_IN else cell for cell in cells)
    return cells


def row_line(name: str, cells: tuple[str, ...]) -> str:
    key = f'"{name}":'
    return f'    {key:<44}"{" ".join(f"{cell:<5}" for cell in cells).rstrip()}",'
