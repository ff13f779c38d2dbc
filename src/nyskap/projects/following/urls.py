from django.urls import path

from nyskap.core.views import unsubscribe

from . import services, views

app_name = "project_follow"

urlpatterns = [
    path("", views.subscription_list, name="list"),
    path("ny/", views.follow, name="follow"),
    path("slutt/", views.unfollow, name="unfollow"),
    path("<int:pk>/slett/", views.subscription_delete, name="delete"),
    # The link in digests already sent: the core view, with the digest's kind of token.
    path("avmeld/<str:token>/", unsubscribe, {"kind": services.UNSUBSCRIBE}, name="unsubscribe"),
]
