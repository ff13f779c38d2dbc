from django.urls import path

from . import views

app_name = "barometer"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("ny/", views.create, name="create"),
    path("utvikling/", views.trends_page, name="trends"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/ramme/", views.frame_upload, name="frame"),
    path("<int:pk>/ramme/referansedata/", views.frame_reference, name="frame_reference"),
    path("<int:pk>/utvalg/", views.sample_draw, name="sample"),
    path("<int:pk>/importer/", views.microdata_import, name="import"),
    path("<int:pk>/feltarbeid/", views.fieldwork_start, name="fieldwork"),
    path("<int:pk>/paminn/", views.remind, name="remind"),
    path("<int:pk>/avslutt/", views.close, name="close"),
    path("<int:pk>/publiser/", views.publish, name="publish"),
    path("<int:pk>/resultater/", views.results, name="results"),
    path("<int:pk>/resultater/egne/", views.organisation_results_page, name="organisation_results"),
    path("<int:pk>/resultater/egne.csv", views.organisation_results_csv, name="organisation_results_csv"),
    path("<int:pk>/resultater.csv", views.results_csv, name="results_csv"),
    path("<int:pk>/resultater.xlsx", views.results_xlsx, name="results_xlsx"),
    path("<int:pk>/resultater.pdf", views.results_pdf, name="results_pdf"),
    path("<int:pk>/mikrodata.csv", views.microdata, name="microdata"),
]
