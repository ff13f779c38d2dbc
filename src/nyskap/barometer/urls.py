from django.urls import path

from . import views

app_name = "barometer"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("new/", views.create, name="create"),
    path("trends/", views.trends_page, name="trends"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/frame/", views.frame_upload, name="frame"),
    path("<int:pk>/sample/", views.sample_draw, name="sample"),
    path("<int:pk>/import/", views.microdata_import, name="import"),
    path("<int:pk>/fieldwork/", views.fieldwork_start, name="fieldwork"),
    path("<int:pk>/remind/", views.remind, name="remind"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/results.csv", views.results_csv, name="results_csv"),
    path("<int:pk>/results.xlsx", views.results_xlsx, name="results_xlsx"),
    path("<int:pk>/results.pdf", views.results_pdf, name="results_pdf"),
    path("<int:pk>/microdata.csv", views.microdata, name="microdata"),
]
