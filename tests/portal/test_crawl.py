"""Every page of every module can be reached by links from the home page: the site is crawled as each demo persona
(and anonymously), and every named URL pattern must be reached, as a page or as the action of a form, unless it is
listed below with the reason it is not linked."""

from __future__ import annotations

import fnmatch

import pytest

from ..core.urls_walk import all_routes
from .crawl import PERSONAS, client_for, crawl, load_demo_site

pytestmark = [pytest.mark.django_db]

# Not reached by links, on purpose. Patterns use shell-style wildcards.
NOT_LINKED: dict[str, str] = {
    "api-v1:*": "the open API: documented at /api/v1/docs (linked in the footer) and tested in tests/api",
    "admin:*": "the operators' admin under /drift/, linked from the header for operators; tested in */test_admin.py",
    "organisations_operator:*": "the register import under /drift/ (operators only, like the admin); tested in "
    "tests/organisations/test_register_import.py",
    "core:health": "health check for load balancers and monitoring, not a page",
    "core:liveness": "liveness check for process supervisors, not a page",
    "core:language_choice": "the GET form of the language switch, kept so old links and bookmarks still work",
    "set_language": "Django's own language view; the site's switcher posts to core:language",
    "accounts:mfa_required": "shown instead of any page to an administrator who has not set up two-factor yet",
    "project_follow:unsubscribe": "token-only: the unsubscribe link in the digest e-mail",
    "instruments:unsubscribe": "token-only: the unsubscribe link in the call alert e-mail",
    "surveys:respond": "token-only: the personal survey link in the invitation e-mail (or the round's shared link)",
    "surveys:resume": "token-only: the resume link a respondent keeps for a saved draft",
    "surveys:thanks": "shown after a respondent submits (reached from surveys:respond)",
    "benefits:prevention_save": "offered under the calculator's result, after the visitor has entered figures",
    # django-allauth's own flows: reached from its e-mails, from login steps, or only when a provider is set up.
    "account_*": "django-allauth's sign-up, login, e-mail and password flows (tested in tests/accounts)",
    "mfa_*": "django-allauth's two-factor flows, reached from /accounts/2fa/ as each step needs",
    "socialaccount_*": "django-allauth's single sign-on flows, only with an identity provider configured",
    "openid_connect_*": "the ID-porten / Ansattporten / Entra ID login and callback, only with a provider configured",
    "procurement:import_detail": "an import's record, linked from the operators' import page once a notice file has "
    "been imported (the crawled demo site has none); tested in tests/procurement/test_pages.py",
}


def _listed(name: str) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in NOT_LINKED)


@pytest.mark.whole_site_on_postgresql
def test_when_the_site_is_crawled_from_the_home_page_then_every_page_of_every_module_is_reached(settings):
    load_demo_site(settings)
    reached: set[str] = set()
    errors = []
    for persona in PERSONAS:
        result = crawl(client_for(persona))
        reached |= result.names
        errors += result.errors
    assert errors == []
    routes, _unresolved = all_routes()
    names = {route.name for route in routes}
    unreached = sorted(name for name in names if name not in reached and not _listed(name))
    assert unreached == [], f"no link leads to: {unreached}"
    # The list holds no stale entry: each exception still names a pattern that exists and is not reached.
    for pattern in NOT_LINKED:
        matching = [name for name in names if fnmatch.fnmatchcase(name, pattern)]
        assert matching, f"{pattern} matches no URL pattern"
        assert not all(name in reached for name in matching), f"{pattern} is reached now; remove it from the list"


def test_when_crawled_anonymously_then_pages_for_signed_in_users_are_not_reached(client, home_municipality):
    """The crawl must be able to fail: what no link an anonymous visitor sees leads to is not counted."""
    result = crawl(client, start="/personvern/")
    assert "portal:home" in result.names  # the header links home
    assert "portal:my_work" not in result.names  # only signed in
