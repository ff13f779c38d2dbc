from django.urls import path

from . import views_operator

app_name = "organisations_operator"

urlpatterns = [
    path("", views_operator.register_imports, name="register_imports"),
    path("<int:pk>/", views_operator.register_import, name="register_import"),
    path("<int:pk>/bruk/", views_operator.register_import_apply_view, name="register_import_apply"),
]
