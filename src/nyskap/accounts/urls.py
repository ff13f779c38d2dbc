from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("rediger/", views.profile_edit, name="profile_edit"),
    path("slett/", views.account_delete, name="account_delete"),
    path("leverandor/", views.supplier_profile_edit, name="supplier_profile_edit"),
    path("leverandor/fjern/", views.supplier_profile_delete, name="supplier_profile_delete"),
    path("tofaktor-kreves/", views.mfa_required_view, name="mfa_required"),
    path("bli-medlem/", views.join_request_create, name="join_request_create"),
    path("forespørsler/<int:pk>/avgjør/", views.join_request_decide, name="join_request_decide"),
    path("drift/forespørsler/", views.operator_join_requests, name="operator_join_requests"),
    path("invitasjon/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("organisasjoner/<slug:slug>/medlemmer/", views.members, name="members"),
    path("organisasjoner/<slug:slug>/medlemmer/<int:pk>/rolle/", views.membership_role, name="membership_role"),
    path(
        "organisasjoner/<slug:slug>/medlemmer/<int:pk>/fjern/",
        views.membership_remove,
        name="membership_remove",
    ),
    path("organisasjoner/<slug:slug>/invitasjoner/", views.invitation_create, name="invitation_create"),
    path(
        "organisasjoner/<slug:slug>/invitasjoner/<int:pk>/trekk-tilbake/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
]
