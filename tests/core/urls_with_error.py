"""The project's URLs plus one view that fails, to see the 500 page as a visitor would."""

from django.urls import path

from nyskap.config.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401


def fail(request):
    raise RuntimeError("database password is hunter2")


urlpatterns = [*urlpatterns, path("_fail/", fail)]
