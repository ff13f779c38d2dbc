from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("tilgjengelighet/", views.accessibility, name="accessibility"),
    path("personvern/", views.privacy, name="privacy"),
    path("helse/", views.health, name="health"),
    path("helse/live/", views.liveness, name="liveness"),
    path("sprak/", views.language, name="language"),
    path("sprak/<str:code>/", views.language, name="language_choice"),
]
