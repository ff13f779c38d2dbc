from django.urls import URLPattern, path

from . import views

app_name = "projects"

# "ny" and "lignende" come before the slug; a project slug can never be one of them (see the report to the lead).
urlpatterns: list[URLPattern] = [
    path("", views.project_list, name="list"),
    path("ny/", views.project_create, name="create"),
    path("lignende/", views.project_similar, name="similar"),
    path("<slug:slug>/", views.project_detail, name="detail"),
    path("<slug:slug>/rediger/", views.project_edit, name="edit"),
    path("<slug:slug>/fase/", views.project_phase, name="phase"),
    path("<slug:slug>/gjenbruk/", views.project_adopt, name="adopt"),
    path("<slug:slug>/partnere/", views.project_partner_add, name="partner_add"),
    path("<slug:slug>/vedlegg/", views.attachment_upload, name="attachment_upload"),
    path("<slug:slug>/vedlegg/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("<slug:slug>/vedlegg/<int:pk>/slett/", views.attachment_delete, name="attachment_delete"),
    path("<slug:slug>/finansiering/", views.project_funding_add, name="funding_add"),
]
