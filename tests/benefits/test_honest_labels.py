"""Honest labels on benefit pages, in bokmål: an overdue measurement is marked overdue; each R-109 parameter says
how far it is checked (secondary sources, not "not verified"); the parameter source note is in the reader's language;
a chart series of nothing but zeros is said in a sentence, under its visible title."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from nyskap.benefits import services
from nyskap.benefits.parameters import R109_2021, SOURCE_TEXTS

from .factories import make_benefit


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _element(html: str, element_id: str, tag: str) -> str:
    match = re.search(rf'<{tag}[^>]* id="{element_id}"[^>]*>(.*?)</{tag}>', html, re.S)
    assert match is not None, element_id
    return text(match.group(1))


def test_when_a_measurement_was_due_before_today_then_the_benefit_is_marked_overdue(as_colleague, plan):
    benefit = plan.benefits.get()
    html = as_colleague.get(f"/gevinster/prosjekt/{plan.project.slug}/").content.decode()
    # Quarterly from the baseline 1 January 2024, nothing measured: due 1 April 2024, long past.
    card = html[html.index(f'id="benefit-{benefit.pk}"') :]
    status = text(card[card.index('<p class="ds-paragraph">') : card.index("</p>")])
    assert status == "Ikke startet Måling forfalt siden 01.04.2024"
    assert f'data-color="danger" id="benefit-{benefit.pk}-overdue"' in card


def test_when_a_measurement_is_not_yet_due_then_no_overdue_mark_is_shown(as_colleague, plan, innovator, colleague):
    make_benefit(
        plan=plan, actor=innovator, owner=colleague, description="Kortere ventetid",
        baseline_date=datetime.date.today(), target_date=datetime.date.today() + datetime.timedelta(days=700),
    )  # fmt: skip
    benefit = plan.benefits.get(description="Kortere ventetid")
    html = as_colleague.get(f"/gevinster/prosjekt/{plan.project.slug}/").content.decode()
    card = html[html.index(f'id="benefit-{benefit.pk}"') :]
    card = card[: card.index("</p>")]
    assert "forfalt" not in card and "Neste måling innen" in text(card)


def test_when_the_parameters_are_shown_then_each_says_how_far_it_is_checked(as_colleague, plan):
    html = as_colleague.get(f"/gevinster/prosjekt/{plan.project.slug}/").content.decode()
    secondary = "[S] bekreftet av sekundærkilder; teksten i R-109 er ikke lest"
    assert _element(html, "source-discount-bands", "span") == secondary
    assert _element(html, "source-tax-financing-rate", "span") == secondary
    parameters = _element(html, "parameters", "dl")
    assert "[U] lengste periode ikke kontrollert" in parameters  # the longest period is not verified ([U])
    assert "[U] ikke kontrollert mot teksten i R-109" not in parameters
    # A version whose values are all read in R-109 is labelled verified.
    plan.parameters.uncertain = []
    plan.parameters.save()
    html = as_colleague.get(f"/gevinster/prosjekt/{plan.project.slug}/").content.decode()
    assert _element(html, "source-discount-bands", "span") == "[V] kontrollert mot teksten i R-109"
    assert 'id="unverified-note"' not in html


def test_when_the_plan_is_read_in_bokmal_or_nynorsk_then_the_parameter_source_is_in_that_language(as_colleague, plan):
    url = f"/gevinster/prosjekt/{plan.project.slug}/"
    source = _element(as_colleague.get(url).content.decode(), "parameters-source", "dd")
    assert source.startswith("Finansdepartementet, rundskriv R-109/21 «Prinsipper og krav ved utarbeidelse av")
    assert "og DFØs Veileder i samfunnsøkonomiske analyser. Diskonteringsrentene slik de er lagt inn" in source
    as_colleague.cookies["django_language"] = "nn"
    source = _element(as_colleague.get(url).content.decode(), "parameters-source", "dd")
    assert "og DFØ sin Rettleiar i samfunnsøkonomiske analysar" in source
    # The msgid is the stored text word for word, so the stored note is found in the catalogue.
    assert list(SOURCE_TEXTS) == [R109_2021["source"]]


def test_when_nothing_is_realised_then_the_realised_series_says_so_under_its_title(as_colleague, plan, innovator):
    services.plan_submit(plan=plan, actor=innovator)
    html = as_colleague.get("/gevinster/?organisasjon=oygarden").content.decode()
    by_year = html[html.index('id="by-year-heading"') :]
    by_year = by_year[: by_year.index("</section>")]
    figures = re.findall(r'<figure class="chart">(.*?)</figure>', by_year, re.S)
    assert [text(figure) for figure in figures][1] == (
        "Realiserte gevinster per år (kr) Ingenting å vise ennå: alle verdiene er 0."
    )
    planned = figures[0]
    assert text(planned).startswith("Planlagte gevinster per år (kr)") and 'class="chart__bar"' in planned
    # A realised amount draws the series.
    benefit = plan.benefits.get()
    services.measurement_record(
        benefit=benefit, actor=innovator, measured_on=datetime.date(2025, 1, 1), value=Decimal(200),
        realised_amount=Decimal(5000), source="Fagsystem", today=datetime.date(2025, 1, 2),
    )  # fmt: skip
    html = as_colleague.get("/gevinster/?organisasjon=oygarden").content.decode()
    by_year = html[html.index('id="by-year-heading"') :]
    figures = re.findall(r'<figure class="chart">(.*?)</figure>', by_year[: by_year.index("</section>")], re.S)
    assert text(figures[1]).startswith("Realiserte gevinster per år (kr)") and "2025 5 000 2026 0" in text(figures[1])
