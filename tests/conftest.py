"""The shared cast: `innovator`, `leader` and `colleague` in one municipality, `outsider` in another,
`instrument_owner` (with the organisations owning the shipped instruments), `operator` and `anonymous`. Each persona
fixture returns the user; `as_<persona>` fixtures return a logged-in test client. Objects are built by the factories
in tests/<app>/factories.py."""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import settings as hypothesis_settings

from nyskap.accounts.models import Role, User
from nyskap.instruments import catalogue
from nyskap.organisations.models import Organisation, OrganisationKind

from .accounts.factories import MembershipFactory, UserFactory, give_totp
from .instruments.factories import make_instrument_owner, make_owner_organisations
from .organisations.factories import CountyFactory, OrganisationFactory

# Property tests check what holds, not how fast: a busy CI machine must not turn a slow example into a failure.
hypothesis_settings.register_profile("nyskap", deadline=None)
hypothesis_settings.load_profile("nyskap")


# Figures a test reports for the record (the size of the bad-input corpus, the pages the reflow test looked at),
# printed at the end of the run so that they stand in the CI log without `-s`.
_FIGURES: list[str] = []


@pytest.fixture
def report_figure():
    """``report_figure("…")`` adds a line to the run's closing "figures" section."""
    return _FIGURES.append


# Fixtures through which a test reaches the database (pytest-django blocks every other way).
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def pytest_collection_modifyitems(config, items):
    """CI runs the tests in two database passes, side by side; what cannot differ between the databases runs in one.

    - With NYSKAP_DATABASE_TESTS_ONLY=1 (the PostgreSQL pass) only the tests that use the database run: the others
      (calculations, property tests, documents) ran in the SQLite pass. The crawl that reads every page for its
      language (marked `crawl_once`) is left out too: it runs on SQLite, and the crawl test opens the same pages here.
    - With NYSKAP_SQLITE_PASS=1 the whole-site checks marked `whole_site_on_postgresql` (the link crawl, the access
      matrix of every route and persona) are left out: they run on PostgreSQL, the production database, and the
      language crawl opens every page on SQLite and fails on any that does not answer."""
    database_pass = os.environ.get("NYSKAP_DATABASE_TESTS_ONLY") == "1"
    sqlite_pass = os.environ.get("NYSKAP_SQLITE_PASS") == "1"
    if not (database_pass or sqlite_pass):
        return
    kept, skipped = [], []
    for item in items:
        if sqlite_pass:
            keep = not item.get_closest_marker("whole_site_on_postgresql")
        else:
            # The crash test runs PostgreSQL clusters of its own; it runs in the PostgreSQL pass (and skips elsewhere).
            uses_database = (
                item.get_closest_marker("django_db")
                or item.get_closest_marker("crash")
                or DATABASE_FIXTURES & set(item.fixturenames)
            )
            keep = bool(uses_database) and not item.get_closest_marker("crawl_once")
        (kept if keep else skipped).append(item)
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = kept


def pytest_terminal_summary(terminalreporter):
    if _FIGURES:
        terminalreporter.section("figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home_municipality(db) -> Organisation:
    county = CountyFactory(number="46", name="Vestland", official_name="Vestland")
    return OrganisationFactory(
        name="Øygarden kommune",
        slug="oygarden",
        kind=OrganisationKind.MUNICIPALITY,
        county=county,
        population=39000,
    )


@pytest.fixture
def other_municipality(db) -> Organisation:
    county = CountyFactory(number="18", name="Nordland", official_name="Nordland - Nordlánnda")
    return OrganisationFactory(
        name="Bodø kommune", slug="bodo", kind=OrganisationKind.MUNICIPALITY, county=county, population=53000
    )


@pytest.fixture
def innovator(home_municipality) -> User:
    user = UserFactory(email="innovator@oygarden.kommune.no", name="Ina Innovatør")
    MembershipFactory(user=user, organisation=home_municipality, role=Role.EDITOR)
    return user


@pytest.fixture
def leader(home_municipality) -> User:
    user = UserFactory(email="leder@oygarden.kommune.no", name="Lars Leder")
    MembershipFactory(user=user, organisation=home_municipality, role=Role.ADMIN)
    give_totp(user)
    return user


@pytest.fixture
def colleague(home_municipality) -> User:
    user = UserFactory(email="kollega@oygarden.kommune.no", name="Kari Kollega")
    MembershipFactory(user=user, organisation=home_municipality, role=Role.MEMBER)
    return user


@pytest.fixture
def outsider(other_municipality) -> User:
    user = UserFactory(email="utenforstaende@bodo.kommune.no", name="Ola Utenfor")
    MembershipFactory(user=user, organisation=other_municipality, role=Role.EDITOR)
    return user


@pytest.fixture
def operator(db) -> User:
    user = UserFactory(email="drift@nyskap.no", name="Dina Drift", is_staff=True, is_superuser=True)
    give_totp(user)
    return user


@pytest.fixture
def owner_organisations(db) -> dict[str, Organisation]:
    """The organisations the shipped instrument catalogue names as owners, by reference key."""
    return make_owner_organisations()


@pytest.fixture
def instrument_owner(owner_organisations) -> User:
    """An adviser at Digdir with the instrument-owner role for Digdir."""
    return make_instrument_owner(owner_organisations[catalogue.DIGDIR])


@pytest.fixture
def anonymous() -> Client:
    return Client()


def _client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def as_innovator(innovator) -> Client:
    return _client_for(innovator)


@pytest.fixture
def as_leader(leader) -> Client:
    return _client_for(leader)


@pytest.fixture
def as_colleague(colleague) -> Client:
    return _client_for(colleague)


@pytest.fixture
def as_outsider(outsider) -> Client:
    return _client_for(outsider)


@pytest.fixture
def as_operator(operator) -> Client:
    return _client_for(operator)


@pytest.fixture
def as_instrument_owner(instrument_owner) -> Client:
    return _client_for(instrument_owner)


@pytest.fixture(autouse=True)
def _mail_through_tasks(settings):
    """Django's test set-up swaps the mail backend for locmem; put ours back so mail goes through the task queue
    (ImmediateBackend in tests) and reaches `mail.outbox` only once the transaction commits."""
    settings.EMAIL_BACKEND = "nyskap.core.mail.TaskEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
