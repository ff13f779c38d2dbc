from django.urls import path

from . import exports
from .views import followup, plans, portfolio, prevention

app_name = "benefits"

urlpatterns = [
    path("", portfolio.portfolio, name="portfolio"),
    path("mine/", followup.my_benefits, name="mine"),
    path("forebygging/", prevention.prevention, name="prevention"),
    path("forebygging/lagre/", prevention.prevention_save, name="prevention_save"),
    path("prosjekt/<slug:slug>/", plans.plan_detail, name="plan"),
    path("prosjekt/<slug:slug>/versjon/<int:version>/", plans.plan_version, name="plan_version"),
    path("prosjekt/<slug:slug>/ny/", plans.plan_create, name="plan_create"),
    path("prosjekt/<slug:slug>/importer/", plans.plan_import, name="plan_import"),
    path("prosjekt/<slug:slug>/importer-versjon/", plans.plan_import_version, name="plan_import_version"),
    path("prosjekt/<slug:slug>/rediger/", plans.plan_edit, name="plan_edit"),
    path("prosjekt/<slug:slug>/kostnader/", plans.plan_costs, name="plan_costs"),
    path("prosjekt/<slug:slug>/send-inn/", plans.plan_submit, name="plan_submit"),
    path("prosjekt/<slug:slug>/ny-versjon/", plans.plan_new_version, name="plan_new_version"),
    path("prosjekt/<slug:slug>/gevinst/ny/", plans.benefit_edit, name="benefit_add"),
    path("prosjekt/<slug:slug>/gevinst/<int:pk>/", plans.benefit_edit, name="benefit_edit"),
    path("prosjekt/<slug:slug>/gevinst/<int:pk>/belop/", plans.benefit_amounts, name="benefit_amounts"),
    path("prosjekt/<slug:slug>/gevinst/<int:pk>/slett/", plans.benefit_delete, name="benefit_delete"),
    path("prosjekt/<slug:slug>/gevinst/<int:pk>/maling/", followup.measure, name="measure"),
    path("prosjekt/<slug:slug>/gevinst/<int:pk>/avslutt/", followup.abandon, name="abandon"),
    path("prosjekt/<slug:slug>/gevinstplan.xlsx", exports.plan_xlsx, name="export_xlsx"),
    path("prosjekt/<slug:slug>/gevinstplan.pdf", exports.plan_pdf, name="export_pdf"),
]
