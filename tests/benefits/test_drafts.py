"""A draft benefit plan is the owning organisation's only: anonymous visitors and outsiders find no plan on the
page, in the API or in the exports, and it counts in no public figure (the roll-up), even on a public project."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from nyskap.benefits import selectors, services
from nyskap.benefits.models import BenefitPlan

from ..helpers import bearer as _token
from .test_views import english, text

pytestmark = pytest.mark.django_db


def _paths(slug: str) -> list[str]:
    return [
        f"/gevinster/prosjekt/{slug}/",
        f"/gevinster/prosjekt/{slug}/versjon/1/",
        f"/gevinster/prosjekt/{slug}/gevinstplan.xlsx",
        f"/gevinster/prosjekt/{slug}/gevinstplan.pdf",
    ]


@pytest.mark.parametrize("visitor", ["anonymous", "as_outsider"])
def test_when_a_plan_on_a_public_project_is_a_draft_then_others_find_no_plan_anywhere(
    request, visitor, public_draft_plan, outsider
):
    client = request.getfixturevalue(visitor)
    slug = public_draft_plan.project.slug
    project_page = text(english(client).get(f"/prosjekter/{slug}/").content)  # the project itself is public
    assert "No benefit-realisation plan has been published for this project." in project_page
    assert "Net present value" not in project_page
    for path in _paths(slug):
        assert client.get(path).status_code == 404, path
    headers = _token(outsider) if visitor == "as_outsider" else {}
    response = client.get(f"/api/v1/benefits/plans/{slug}", **headers)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    benefit = public_draft_plan.benefits.get()
    response = client.post(
        f"/api/v1/benefits/benefits/{benefit.pk}/measurements",
        {"value": "1", "measured_on": "2025-01-01", "source": "x"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == (404 if headers else 401)
    page = text(english(client).get("/gevinster/").content)
    assert "Plans 0 Benefits 0 Planned 0 Realised 0" in page
    user = outsider if visitor == "as_outsider" else AnonymousUser()
    assert list(selectors.plan_owners(user)) == []  # the portfolio's organisation filter does not name it either
    assert BenefitPlan.objects.visible_to(user).count() == 0


def test_when_a_plan_is_a_draft_then_the_owning_organisation_sees_it_and_its_own_roll_up_counts_it(
    as_colleague, colleague, public_draft_plan
):
    slug = public_draft_plan.project.slug
    assert "Version 1, Draft" in text(english(as_colleague).get(f"/prosjekter/{slug}/").content)
    for path in _paths(slug):
        response = as_colleague.get(path, follow=True)  # the PDF: via its background job's progress page
        assert response.status_code == 200, path
    response = as_colleague.get(f"/api/v1/benefits/plans/{slug}", **_token(colleague))
    assert response.status_code == 200 and response.json()["status"] == "draft"
    page = text(english(as_colleague).get("/gevinster/").content)
    assert "Plans 1 Benefits 1 Planned 1,200,000" in page


def test_when_the_draft_is_submitted_then_everyone_sees_it_and_it_counts(client, public_draft_plan, innovator):
    services.plan_submit(plan=public_draft_plan, actor=innovator)
    slug = public_draft_plan.project.slug
    for path in _paths(slug):
        assert client.get(path, follow=True).status_code == 200, path  # the PDF: via its job's progress page
    assert client.get(f"/api/v1/benefits/plans/{slug}").json()["status"] == "submitted"
    assert "Plans 1 Benefits 1 Planned 1,200,000" in text(english(client).get("/gevinster/").content)
