from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="home"),
    path("velg/", views.choose, name="choose"),
    path("definisjoner/", views.definitions, name="definitions"),
    path("<slug:slug>/<str:key>/", views.lens_page, name="lens"),
    path("<slug:slug>/<str:key>/eksport.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<slug:slug>/<str:key>/diagram/<slug:panel>.<slug:fmt>", views.chart, name="chart"),
]
