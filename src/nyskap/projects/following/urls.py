from django.urls import path

from . import views

app_name = "project_follow"

urlpatterns = [
    path("", views.subscription_list, name="list"),
    path("ny/", views.follow, name="follow"),
    path("slutt/", views.unfollow, name="unfollow"),
    path("<int:pk>/slett/", views.subscription_delete, name="delete"),
    path("avmeld/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
