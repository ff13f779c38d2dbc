"""The overview's facets read from the owners (county, municipality, size band, centrality) and the statistics
page: trials per year by kind and the shares pre-registered, randomised, decided and made permanent, each as a
chart with its table."""

from __future__ import annotations

import re

import pytest

from nyskap.accounts.models import Role
from nyskap.organisations.models import Organisation
from nyskap.trials import selectors, services
from nyskap.trials.models import TrialDecision

from ..accounts.factories import MembershipFactory
from .factories import make_trial, run_to_end

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_owners(innovator, home_municipality, other_municipality):
    Organisation.objects.filter(pk=home_municipality.pk).update(centrality_class=3)
    Organisation.objects.filter(pk=other_municipality.pk).update(centrality_class=2)
    MembershipFactory(user=innovator, organisation=other_municipality, role=Role.EDITOR)
    make_trial(actor=innovator, owner=home_municipality, title="Øygarden-forsøket")
    make_trial(actor=innovator, owner=other_municipality, title="Bodø-forsøket")
    both = make_trial(actor=innovator, owner=home_municipality, title="Felles forsøk")
    services.trial_update(actor=innovator, trial=both, fields={}, owners=[home_municipality, other_municipality])
    return home_municipality, other_municipality


def shown(page: str) -> list[str]:
    return sorted(re.findall(r'<h3 class="ds-heading" data-size="xs"><a class="ds-link" href="[^"]+">([^<]+)</a>', page))


def test_owner_facets_count_each_trial_once_and_filter(client, two_owners):
    counts = selectors.facet_counts(selectors.filtered(None, {}))
    assert counts["size_band"] == {"xl": 2, "xxl": 2}
    assert counts["centrality"] == {3: 2, 2: 2}
    assert counts["municipality"] == {"oygarden": 2, "bodo": 2}
    assert counts["county"] == {"46": 2, "18": 2}
    page = client.get("/forsok/").content.decode()
    assert "Eiernes størrelse (innbyggere)" in page
    assert "Øygarden kommune (2)" in page and "Bodø kommune (2)" in page
    assert "20\u00a0000–49\u00a0999 (2)" in page
    assert shown(client.get("/forsok/?size_band=xxl").content.decode()) == ["Bodø-forsøket", "Felles forsøk"]
    assert shown(client.get("/forsok/?centrality=3").content.decode()) == ["Felles forsøk", "Øygarden-forsøket"]
    assert shown(client.get("/forsok/?municipality=bodo&centrality=3").content.decode()) == ["Felles forsøk"]
    # A value that is no number matches nothing, and is no error.
    response = client.get("/forsok/?centrality=x%00&county=%C3%A6")
    assert response.status_code == 200
    assert shown(response.content.decode()) == []
