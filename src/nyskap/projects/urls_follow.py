from django.urls import path  # noqa: F401

app_name = "project_follow"

urlpatterns: list = []
