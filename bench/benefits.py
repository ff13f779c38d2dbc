"""Benchmark of the benefit portfolio roll-up at national scale (default 10,000 plans × 10 benefits × 10 years).

    python bench/benefits.py --database-url postgres://postgres@127.0.0.1:5432/nyskap_bench_benefits   # PostgreSQL
    python bench/benefits.py                                                                            # SQLite

The roll-up (`selectors.portfolio_rollup`: planned by year and bearer, realised by year and bearer, counts, all
filtered by the viewer's visibility in the database) is timed for the whole country as an anonymous visitor and as
an operator, for one sector and for one organisation, and the portfolio page itself through Django's test client.
Beside it, as the ceiling, the bare aggregate in raw SQL over the same rows (no visibility filter, no ORM).
Each roll-up is timed warm (the public plans' aggregate from the cache, as every visitor gets it after the first
since the data last changed; what the viewer sees beyond the public plans is always aggregated live) and cold (the
cache invalidated before each call, as after a change). Target: warm p95 ≤ 1 s for every roll-up; cold is reported.
Also timed: the pure NPV calculation of the longest plan (100 years, 10 benefits), budget p95 ≤ 100 ms.
Results: bench/results/benefits-<database>.json; exit status 1 on a miss.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

TARGET_P95_MS = 1000.0
# Not in the issue: a budget for the calculation behind every plan page, export and API call.
CALCULATION_TARGET_P95_MS = 100.0
YEARS = 10
BENEFITS_PER_PLAN = 10


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--plans", type=int, default=int(os.environ.get("BENCH_PLANS", "10000")))
    parser.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", "20")))
    return parser.parse_args()


def longest_calculation() -> None:
    """The pure NPV of the longest plan the parameters allow (100 years, every benefit in every year, all bearers,
    real-price growth and residual value): the work behind every plan page, export and API call, in Decimal."""
    from nyskap.benefits import calculations

    base = 2025
    every_year = {base + t: Decimal(1_000_000 + t) for t in range(100)}
    streams = [
        calculations.BenefitStream(
            bearer=calculations.BEARERS[i % len(calculations.BEARERS)],
            amounts=every_year,
            budget_cut=calculations.BEARERS[i % len(calculations.BEARERS)] in calculations.PUBLIC_BEARERS,
            organisation=f"Body {i}",
        )
        for i in range(BENEFITS_PER_PLAN)
    ]
    flows = calculations.CashFlows(
        base_year=base,
        analysis_years=100,
        investment={base: Decimal(50_000_000), base + 1: Decimal(20_000_000)},
        operating=every_year,
        benefits=streams,
        real_growth_rate=Decimal("0.008"),
        residual_value=Decimal(10_000_000),
    )
    calculations.net_present_value(flows)
    calculations.co_financing_checks(flows)


def build(plans: int) -> dict[str, float]:
    """Synthetic projects (one plan each) with benefits, yearly amounts and some measurements, in bulk."""
    from nyskap.benefits.models import Bearer, Benefit, BenefitAmount, BenefitPlan, Measurement, RealisationForm
    from nyskap.benefits.services import current_parameters
    from nyskap.projects.content import generate_synthetic_projects

    started = time.perf_counter()
    projects = generate_synthetic_projects(plans, seed=7, allow_without_debug=True)
    generated = time.perf_counter() - started
    parameters = current_parameters()
    rng = random.Random(7)  # reproducible benchmark data, not security
    bearers = list(Bearer.values)
    started = time.perf_counter()
    batch = 1000
    for offset in range(0, len(projects), batch):
        chunk = projects[offset : offset + batch]
        plan_rows = BenefitPlan.objects.bulk_create(
            [
                BenefitPlan(
                    project=project,
                    rationale="Benchmark",
                    goals="Benchmark",
                    parameters=parameters,
                    base_year=2020,
                    analysis_years=YEARS,
                    is_example=True,
                )
                for project in chunk
            ]
        )
        benefits = Benefit.objects.bulk_create(
            [
                Benefit(
                    plan=plan,
                    position=i,
                    description=f"Gevinst {i}",
                    benefit_type="efficiency",
                    bearer=rng.choice(bearers),
                    realisation_form=RealisationForm.QUALITY,
                    indicator="Indikator",
                )
                for plan in plan_rows
                for i in range(BENEFITS_PER_PLAN)
            ]
        )
        BenefitAmount.objects.bulk_create(
            [
                BenefitAmount(
                    benefit=benefit,
                    plan_id=benefit.plan_id,
                    bearer=benefit.bearer,
                    year=2020 + year,
                    amount=Decimal(rng.randrange(10_000, 5_000_000)),
                )
                for benefit in benefits
                for year in range(YEARS)
            ],
            batch_size=5000,
        )
        Measurement.objects.bulk_create(
            [
                Measurement(
                    benefit=benefit,
                    value=Decimal(rng.randrange(0, 100)),
                    measured_on=f"{rng.randrange(2021, 2026)}-06-30",
                    source="Benchmark",
                    realised_amount=Decimal(rng.randrange(10_000, 3_000_000)),
                )
                for benefit in benefits
                if rng.random() < 0.3
            ],
            batch_size=5000,
        )
    return {"generate_projects_seconds": round(generated, 1), "plans_seconds": round(time.perf_counter() - started, 1)}


def main() -> int:
    args = parse_args()
    from bench.common import configure, reset_database

    configure(args.database_url)
    reset_database(args.database_url)

    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.common import time_calls
    from nyskap.accounts.models import User
    from nyskap.benefits.models import BenefitAmount, Measurement
    from nyskap.benefits.portfolio_cache import bump_portfolio_version
    from nyskap.benefits.selectors import PortfolioScope, portfolio_rollup
    from nyskap.organisations.models import Organisation

    report: dict[str, object] = {"database": connection.vendor, "plans": args.plans}
    failures: list[str] = []
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0, stdout=io.StringIO())
    report["setup"] = build(args.plans)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    report["setup_seconds"] = round(time.perf_counter() - started, 1)
    report["rows"] = {"benefit_amounts": BenefitAmount.objects.count(), "measurements": Measurement.objects.count()}

    operator, _ = User.objects.get_or_create(
        email="bench.operator@nyskap.invalid",
        defaults={"username": "bench.operator@nyskap.invalid", "is_staff": True, "is_superuser": True},
    )
    anonymous = AnonymousUser()
    organisation = (
        Organisation.objects.filter(projects__benefit_plans__isnull=False).order_by("-population", "pk").first()
    )
    scopes = {
        "country_anonymous": (anonymous, PortfolioScope()),
        "country_operator": (operator, PortfolioScope()),
        "sector_anonymous": (anonymous, PortfolioScope(sector="health_care")),
        "organisation_anonymous": (anonymous, PortfolioScope(organisation=organisation)),
    }
    rollups: dict[str, object] = {}
    for name, (user, scope) in scopes.items():
        bump_portfolio_version()
        with CaptureQueriesContext(connection) as queries:
            result = portfolio_rollup(user=user, scope=scope)
        # Warm: the public plans' aggregate comes from the cache (as for every visitor after the first since the
        # data last changed); what the viewer sees beyond the public plans is always aggregated live.
        warm = time_calls(lambda u=user, s=scope: portfolio_rollup(user=u, scope=s), args.repeat)

        def cold(u=user, s=scope) -> None:  # type: ignore[no-untyped-def]
            bump_portfolio_version()
            portfolio_rollup(user=u, scope=s)

        uncached = time_calls(cold, max(5, args.repeat // 2))
        rollups[name] = {
            "warm": warm,
            "cold_after_a_change": uncached,
            "sql_queries_cold": len(queries),
            "plans": result.plans,
            "planned_total": str(result.planned_total),
            "target_p95_ms": TARGET_P95_MS,
        }
        if warm["p95_ms"] > TARGET_P95_MS:
            failures.append(f"roll-up {name}: p95 {warm['p95_ms']} ms > {TARGET_P95_MS} ms")
    report["rollup"] = rollups

    def raw_aggregate() -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT a.year, a.bearer, SUM(a.amount) FROM benefits_benefitamount a "
                "JOIN benefits_benefitplan p ON p.id = a.plan_id WHERE p.is_current "
                "GROUP BY a.year, a.bearer"
            )
            return cursor.fetchall()

    ceiling = time_calls(raw_aggregate, args.repeat)
    report["ceiling_raw_sql_aggregate"] = ceiling
    country = rollups["country_operator"]
    assert isinstance(country, dict)
    report["ratio_cold_country_operator_to_ceiling_p95"] = round(
        country["cold_after_a_change"]["p95_ms"] / max(ceiling["p95_ms"], 0.01), 2
    )

    client = Client(HTTP_HOST="127.0.0.1")

    def portfolio_page() -> None:
        response = client.get("/gevinster/")
        assert response.status_code == 200, response.status_code

    page = time_calls(portfolio_page, max(5, args.repeat // 2))
    report["portfolio_page_anonymous"] = {**page, "target_p95_ms": TARGET_P95_MS}
    if page["p95_ms"] > TARGET_P95_MS:
        failures.append(f"portfolio page: p95 {page['p95_ms']} ms > {TARGET_P95_MS} ms")

    calculation = time_calls(longest_calculation, args.repeat)
    report["npv_100_years_10_benefits"] = {**calculation, "target_p95_ms": CALCULATION_TARGET_P95_MS}
    if calculation["p95_ms"] > CALCULATION_TARGET_P95_MS:
        failures.append(f"NPV calculation: p95 {calculation['p95_ms']} ms > {CALCULATION_TARGET_P95_MS} ms")

    report["failures"] = failures
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"benefits-{connection.vendor}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{connection.vendor}: {args.plans} plans, {report['rows']} (setup {report['setup_seconds']} s)")
    for name, values in rollups.items():
        assert isinstance(values, dict)
        warm, cold = values["warm"], values["cold_after_a_change"]
        print(
            f"  roll-up {name:24} warm p50 {warm['p50_ms']:>8} ms  p95 {warm['p95_ms']:>8} ms · "
            f"cold p50 {cold['p50_ms']:>8} ms  p95 {cold['p95_ms']:>8} ms  ({values['sql_queries_cold']} queries)"
        )
    print(f"  ceiling raw SQL aggregate        p50 {ceiling['p50_ms']:>8} ms  p95 {ceiling['p95_ms']:>8} ms")
    print(f"  portfolio page (anonymous)       p50 {page['p50_ms']:>8} ms  p95 {page['p95_ms']:>8} ms")
    print(f"  NPV, 100 years × 10 benefits     p50 {calculation['p50_ms']:>8} ms  p95 {calculation['p95_ms']:>8} ms")
    if failures:
        print("FAILED:", *failures, sep="\n  ")
        return 1
    print(f"All targets met. Results in {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
