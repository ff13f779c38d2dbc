from django.urls import URLPattern, path

from nyskap.core.views import unsubscribe

from . import notifications, views

app_name = "instruments"

# Fixed words come before the instrument's slug; no catalogue slug is one of them.
urlpatterns: list[URLPattern] = [
    path("", views.instrument_list, name="list"),
    path("ny/", views.instrument_create, name="create"),
    path("utlysninger/", views.call_list, name="calls"),
    path("finn/", views.matcher, name="matcher"),
    path("finn/lagre/", views.profile_save, name="profile_save"),
    path("oversikt/", views.portfolio, name="portfolio"),
    path("eksport/csv/", views.export_csv, name="export_csv"),
    path("eksport/xlsx/", views.export_xlsx, name="export_xlsx"),
    path("eksport/json/", views.export_json, name="export_json"),
    path("varsler/", views.profile_list, name="profiles"),
    path("varsler/<int:pk>/slett/", views.profile_delete, name="profile_delete"),
    path("avmeld/<str:token>/", unsubscribe, {"kind": notifications.UNSUBSCRIBE}, name="unsubscribe"),
    path("eiere/", views.owner_roles, name="owner_roles"),
    path("eiere/<int:pk>/slett/", views.owner_role_delete, name="owner_role_delete"),
    path("prosjekt/<slug:project_slug>/", views.use_add, name="use_add"),
    path("prosjekt/<slug:project_slug>/<int:pk>/slett/", views.use_delete, name="use_delete"),
    path("<slug:slug>/", views.instrument_detail, name="detail"),
    path("<slug:slug>/rediger/", views.instrument_edit, name="edit"),
    path("<slug:slug>/utlysninger/ny/", views.call_create, name="call_create"),
    path("<slug:slug>/utlysninger/<int:pk>/", views.call_edit, name="call_edit"),
]
