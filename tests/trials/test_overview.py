"""The overview's facets read from the owners (county, municipality, size band, centrality) and the statistics
page: trials per year by kind and the shares pre-registered, randomised, decided and made permanent, each as a
chart with its table."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils.text import slugify

from nyskap.accounts.models import Role
from nyskap.core.visibility import Visibility
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
    return sorted(
        re.findall(r'<h3 class="ds-heading" data-size="xs"><a class="ds-link" href="[^"]+">([^<]+)</a>', page)
    )


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


def test_statistics_per_year_by_kind_and_the_four_shares_each_as_chart_and_table(client, innovator, home_municipality):
    decided = run_to_end(make_trial(actor=innovator, owner=home_municipality, title="A"), innovator)
    services.report_results(actor=innovator, trial=decided, summary="Færre uteblitte.")
    services.decide(actor=innovator, trial=decided, decision=TrialDecision.PERMANENT, reason="Virket.", lessons="Ja.")
    make_trial(
        actor=innovator,
        owner=home_municipality,
        title="B",
        kind="lab",
        design="before_after",
        starts_on=datetime.date(2024, 3, 1),
        ends_on=datetime.date(2024, 12, 31),
    )
    run_to_end(make_trial(actor=innovator, owner=home_municipality, title="C", design="cluster_rct"), innovator)
    make_trial(actor=innovator, owner=home_municipality, title="D", design="", starts_on=None, ends_on=None)
    make_trial(actor=innovator, owner=home_municipality, title="Utkast", visibility=Visibility.DRAFT)

    stats = selectors.statistics(selectors.filtered(None, {}))
    assert stats.total == 4
    assert stats.kinds == ["pilot", "lab"]
    assert stats.by_year == [(2025, [2, 0], 2), (2024, [0, 1], 1), (None, [1, 0], 1)]
    assert [(s.key, s.count, s.of, s.percent) for s in stats.shares] == [
        ("preregistered", 2, 4, 50),
        ("randomised", 2, 4, 50),
        ("decided", 1, 2, 50),
        ("permanent", 1, 1, 100),
    ]

    page = client.get("/forsok/statistikk/").content.decode()
    assert page.count('<figure class="chart">') == 2
    cells = '<td class="number">{}</td>'
    assert f'<tr><th scope="row">2025</th>{cells.format(2)}{cells.format(0)}{cells.format(2)}</tr>' in page
    assert f'<tr><th scope="row">År ikke oppgitt</th>{cells.format(1)}{cells.format(0)}{cells.format(1)}</tr>' in page
    assert (
        '<th scope="row">Gjort permanent <span class="ds-paragraph" data-size="sm">(av forsøkene med beslutning)</span>'
        f'</th>{cells.format(1)}{cells.format(1)}<td class="number">100 %</td>'
    ) in page
    assert "Av 4 forsøk" in page
    # The overview's filters apply, and a draft is never counted for a visitor.
    assert "Av 1 forsøk" in client.get("/forsok/statistikk/?kind=lab").content.decode()
    # The chart's table downloads as CSV.
    download = client.get(f"/forsok/statistikk/?diagram={slugify('Andel av forsøkene, i prosent')}&format=csv")
    assert download.status_code == 200
    assert "Randomisert" in download.content.decode("utf-8-sig")
