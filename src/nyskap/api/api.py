"""The one NinjaAPI object; each app contributes a Router mounted under /api/v1/."""

from ninja import NinjaAPI

from .errors import install_error_handlers

api = NinjaAPI(
    title="Nyskap API",
    version="1",
    description=(
        "Open API for Nyskap, the Norwegian public sector's innovation platform. Reading published data needs no "
        "key; write operations take a bearer token (`Authorization: Bearer nsk_…`)."
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)

from nyskap.organisations.api import counties_router  # noqa: E402
from nyskap.organisations.api import router as organisations_router  # noqa: E402

api.add_router("/organisations", organisations_router)
api.add_router("/counties", counties_router)

from nyskap.projects.api import router as projects_router  # noqa: E402

from .me import router as me_router  # noqa: E402

api.add_router("/projects", projects_router)

from nyskap.benefits.api import router as benefits_router  # noqa: E402
from nyskap.instruments.api import router as instruments_router  # noqa: E402

api.add_router("/instruments", instruments_router)
api.add_router("/benefits", benefits_router)

from nyskap.culture.api import router as culture_router  # noqa: E402
from nyskap.surveys.api import router as surveys_router  # noqa: E402

api.add_router("/surveys", surveys_router)
api.add_router("/culture", culture_router)

api.add_router("/me", me_router)
