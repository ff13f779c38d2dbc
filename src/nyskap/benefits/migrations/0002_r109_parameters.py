"""Seed the parameter version R-109/21 (DOMAIN.md §3.2). The values are written out here (not imported) so the
migration keeps meaning what it meant when it was written."""

import datetime
from decimal import Decimal

from django.db import migrations

R109_2021 = {
    "version": "R-109/21",
    "in_force_from": datetime.date(2021, 6, 25),
    "source": (
        "Finansdepartementet, rundskriv R-109/21 «Prinsipper og krav ved utarbeidelse av samfunnsøkonomiske "
        "analyser» (25.06.2021), and DFØ's Veileder i samfunnsøkonomiske analyser. Discount rates as implemented "
        "in Kystverket's open-source FRAM model (function «diskontering», based on R-109/14); tax-financing cost "
        "20 % (NOU 2012:16)."
    ),
    "discount_bands": [[40, "0.04"], [75, "0.03"], [None, "0.02"]],
    "tax_financing_rate": Decimal("0.2000"),
    "default_analysis_years": 10,
    "max_analysis_years": 100,
    "uncertain": ["discount_bands", "tax_financing_rate", "max_analysis_years", "real_growth_rate"],
    "note": (
        "The discount-rate bands and the 20 % tax-financing cost are confirmed by secondary sources only; the "
        "longest analysis period (40 or 75 years as the main rule) is not verified, so Nyskap allows up to 100 "
        "years and uses a residual value beyond. No real-price growth path is prescribed: the plan chooses one."
    ),
}


def seed(apps, schema_editor):
    ParameterSet = apps.get_model("benefits", "ParameterSet")
    values = dict(R109_2021)
    ParameterSet.objects.update_or_create(version=values.pop("version"), defaults=values)


def unseed(apps, schema_editor):
    apps.get_model("benefits", "ParameterSet").objects.filter(version="R-109/21", plans__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("benefits", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
