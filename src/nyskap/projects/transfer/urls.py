"""Export and import of projects, mounted at /prosjekter/overforing/."""

from django.urls import path

from . import views

app_name = "project_transfer"

urlpatterns = [
    path("eksport.csv", views.export_csv, name="export_csv"),
    path("eksport.xlsx", views.export_xlsx, name="export_xlsx"),
    path("eksport.json", views.export_json, name="export_json"),
    path("mal.csv", views.template_csv, name="template_csv"),
    path("mal.xlsx", views.template_xlsx, name="template_xlsx"),
    path("import/", views.import_projects, name="import"),
]
