from django.urls import path  # noqa: F401

app_name = "project_transfer"

urlpatterns: list = []
