from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("", views.round_list, name="list"),
    path("ny/<slug:org_slug>/", views.round_create, name="create"),
    path("runde/<int:pk>/", views.round_detail, name="round"),
    path("runde/<int:pk>/inviter/", views.round_invite, name="invite"),
    path("runde/<int:pk>/paminn/", views.round_remind, name="remind"),
    path("runde/<int:pk>/avslutt/", views.round_close, name="close"),
    path("runde/<int:pk>/gjenapne/", views.round_reopen, name="reopen"),
    path("svar/<str:token>/", views.respond, name="respond"),
    path("fortsett/<str:secret>/", views.resume, name="resume"),
    path("takk/", views.thanks, name="thanks"),
    path("personvern/", views.privacy, name="privacy"),
]
