from django.urls import URLPattern, URLResolver

app_name = "barometer"

urlpatterns: list[URLPattern | URLResolver] = []
