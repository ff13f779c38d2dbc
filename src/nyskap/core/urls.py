from django.urls import path

from . import views
from .jobs import views as job_views

app_name = "core"

urlpatterns = [
    path("tilgjengelighet/", views.accessibility, name="accessibility"),
    path("personvern/", views.privacy, name="privacy"),
    path("helse/", views.health, name="health"),
    path("helse/live/", views.liveness, name="liveness"),
    path("sprak/", views.language, name="language"),
    path("sprak/<str:code>/", views.language, name="language_choice"),
    path("oppgaver/", job_views.job_list, name="job_list"),
    path("oppgaver/<uuid:job_id>/", job_views.job_detail, name="job"),
    path("oppgaver/<uuid:job_id>/fil/", job_views.job_file, name="job_file"),
]
