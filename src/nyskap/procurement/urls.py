from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "procurement"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.statistics, name="statistics"),
    path("import/", views.imports, name="imports"),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
]
