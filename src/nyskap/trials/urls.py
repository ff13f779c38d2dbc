from django.urls import path

from . import exports, views

app_name = "trials"

urlpatterns = [
    path("", views.trial_list, name="list"),
    path("ny/", views.trial_create, name="create"),
    path("statistikk/", views.trial_statistics, name="statistics"),
    path("sandkasser/", views.sandbox_list, name="sandboxes"),
    path("sandkasser/<slug:slug>/", views.sandbox_detail, name="sandbox"),
    path("eksport/forsok.csv", exports.export_csv, name="export_csv"),
    path("eksport/forsok.xlsx", exports.export_xlsx, name="export_xlsx"),
    path("<slug:slug>/", views.trial_detail, name="detail"),
    path("<slug:slug>/rediger/", views.trial_edit, name="edit"),
    path("<slug:slug>/godkjenning/", views.trial_approval, name="approval"),
    path("<slug:slug>/status/<slug:action>/", views.trial_transition, name="transition"),
    path("<slug:slug>/resultater/", views.trial_results, name="results"),
    path("<slug:slug>/resultater/rapporter/", views.trial_report, name="report"),
    path("<slug:slug>/unntak/", views.trial_exemptions, name="exemptions"),
    path("<slug:slug>/unntak/<int:pk>/fjern/", views.exemption_remove, name="exemption_remove"),
    path("<slug:slug>/sandkasse/", views.trial_sandbox, name="sandbox_participation"),
    path("<slug:slug>/beslutning/", views.trial_decide, name="decide"),
]
