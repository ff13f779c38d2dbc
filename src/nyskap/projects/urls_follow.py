from django.urls import path

from . import views_follow

app_name = "project_follow"

urlpatterns = [
    path("", views_follow.subscription_list, name="list"),
    path("ny/", views_follow.follow, name="follow"),
    path("slutt/", views_follow.unfollow, name="unfollow"),
    path("<int:pk>/slett/", views_follow.subscription_delete, name="delete"),
    path("avmeld/<str:token>/", views_follow.unsubscribe, name="unsubscribe"),
]
