from django.urls import path

from . import exports, views

app_name = "benefits"

urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("mine/", views.my_benefits, name="mine"),
    path("forebygging/", views.prevention, name="prevention"),
    path("forebygging/lagre/", views.prevention_save, name="prevention_save"),
    path("prosjekt/<slug:slug>/", views.plan_detail, name="plan"),
    path("prosjekt/<slug:slug>/versjon/<int:version>/", views.plan_version, name="plan_version"),
    path("prosjekt/<slug:slug>/ny/", views.plan_create, name="plan_create"),
    path("prosjekt/<slug:slug>/importer/", views.plan_import, name="plan_import"),
    path("prosjekt/<slug:slug>/rediger/", views.plan_edit, name="plan_edit"),
    path("prosjekt/<slug:slug>/kostnader/", views.plan_costs, name="plan_costs"),
    path("prosjekt/<slug:slug>/send-inn/", views.plan_submit, name="plan_submit"),
    path("prosjekt/<slug:slug>/ny-versjon/", views.plan_new_version, name="plan_new_version"),
    path("prosjekt/<slug:slug>/gevinst/ny/", views.benefit_edit, name="benefit_add"),
    path("prosjekt/<slug:slug>/gevinst/<int:pk>/", views.benefit_edit, name="benefit_edit"),
    path("prosjekt/<slug:slug>/gevinst/<int:pk>/belop/", views.benefit_amounts, name="benefit_amounts"),
    path("prosjekt/<slug:slug>/gevinst/<int:pk>/slett/", views.benefit_delete, name="benefit_delete"),
    path("prosjekt/<slug:slug>/gevinst/<int:pk>/maling/", views.measure, name="measure"),
    path("prosjekt/<slug:slug>/gevinst/<int:pk>/avslutt/", views.abandon, name="abandon"),
    path("prosjekt/<slug:slug>/gevinstplan.xlsx", exports.plan_xlsx, name="export_xlsx"),
    path("prosjekt/<slug:slug>/gevinstplan.pdf", exports.plan_pdf, name="export_pdf"),
]
