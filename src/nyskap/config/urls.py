from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from nyskap.config.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("nyskap.portal.urls")),
    path("", include("nyskap.core.urls")),
    path("organisasjoner/", include("nyskap.organisations.urls")),
    path("prosjekter/overforing/", include("nyskap.projects.transfer.urls")),
    path("prosjekter/folg/", include("nyskap.projects.following.urls")),
    path("prosjekter/", include("nyskap.projects.urls")),
    path("virkemidler/", include("nyskap.instruments.urls")),
    path("gevinster/", include("nyskap.benefits.urls")),
    path("undersokelser/", include("nyskap.surveys.urls")),
    path("kultur/", include("nyskap.culture.urls")),
    path("forsok/", include("nyskap.trials.urls")),
    path("utfordringer/", include("nyskap.challenges.urls")),
    path("anskaffelser/", include("nyskap.procurement.urls")),
    path("barometer/", include("nyskap.barometer.urls")),
    path("dashbord/", include("nyskap.dashboards.urls")),
    path("konto/", include("nyskap.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("drift/enhetsregisteret/", include("nyskap.organisations.urls_operator")),
    path("drift/", admin.site.urls),
]

handler403 = "nyskap.core.views.permission_denied"
handler404 = "nyskap.core.views.page_not_found"
handler500 = "nyskap.core.views.server_error"

if settings.DEBUG:
    from django.views.generic import TemplateView

    urlpatterns += [path("_500/", TemplateView.as_view(template_name="500.html"))]
