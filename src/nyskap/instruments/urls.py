from django.urls import URLPattern, path

from nyskap.core.views import unsubscribe

from . import notifications
from .views import catalogue, matcher, owners, portfolio, uses

app_name = "instruments"

# Fixed words come before the instrument's slug; no catalogue slug is one of them.
urlpatterns: list[URLPattern] = [
    path("", catalogue.instrument_list, name="list"),
    path("ny/", catalogue.instrument_create, name="create"),
    path("utlysninger/", catalogue.call_list, name="calls"),
    path("finn/", matcher.matcher, name="matcher"),
    path("finn/lagre/", matcher.profile_save, name="profile_save"),
    path("oversikt/", portfolio.portfolio, name="portfolio"),
    path("eksport/csv/", portfolio.export_csv, name="export_csv"),
    path("eksport/xlsx/", portfolio.export_xlsx, name="export_xlsx"),
    path("eksport/json/", portfolio.export_json, name="export_json"),
    path("varsler/", matcher.profile_list, name="profiles"),
    path("varsler/<int:pk>/slett/", matcher.profile_delete, name="profile_delete"),
    path("avmeld/<str:token>/", unsubscribe, {"kind": notifications.UNSUBSCRIBE}, name="unsubscribe"),
    path("eiere/", owners.owner_roles, name="owner_roles"),
    path("eiere/<int:pk>/slett/", owners.owner_role_delete, name="owner_role_delete"),
    path("prosjekt/<slug:project_slug>/", uses.use_add, name="use_add"),
    path("prosjekt/<slug:project_slug>/<int:pk>/slett/", uses.use_delete, name="use_delete"),
    path("<slug:slug>/", catalogue.instrument_detail, name="detail"),
    path("<slug:slug>/rediger/", catalogue.instrument_edit, name="edit"),
    path("<slug:slug>/utlysninger/ny/", catalogue.call_create, name="call_create"),
    path("<slug:slug>/utlysninger/<int:pk>/", catalogue.call_edit, name="call_edit"),
]
