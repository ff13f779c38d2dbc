"""Export and import of projects, mounted at /prosjekter/overforing/."""

from django.urls import path

from . import views_transfer

app_name = "project_transfer"

urlpatterns = [
    path("eksport.csv", views_transfer.export_csv, name="export_csv"),
    path("eksport.xlsx", views_transfer.export_xlsx, name="export_xlsx"),
    path("eksport.json", views_transfer.export_json, name="export_json"),
    path("mal.csv", views_transfer.template_csv, name="template_csv"),
    path("mal.xlsx", views_transfer.template_xlsx, name="template_xlsx"),
    path("import/", views_transfer.import_projects, name="import"),
]
