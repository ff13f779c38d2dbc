"""The API's routers, mounted on the one NinjaAPI object (`nyskap.api.api`) where the URLs are configured.

`nyskap.api` holds the plumbing every app's API uses (auth, errors, pagination, parser, types) and imports no
domain app; each app's `api` module contributes a Router, and this module, imported once by `nyskap.config.urls`,
adds them (django-ninja refuses a router added twice). The order is the order of the OpenAPI document.
"""

from nyskap.accounts.api import router as me_router
from nyskap.api.api import api
from nyskap.api.tasks import router as tasks_router
from nyskap.barometer.api import router as barometer_router
from nyskap.benefits.api import router as benefits_router
from nyskap.challenges.api import router as challenges_router
from nyskap.culture.api import router as culture_router
from nyskap.dashboards.api import router as dashboards_router
from nyskap.instruments.api import router as instruments_router
from nyskap.organisations.api import counties_router
from nyskap.organisations.api import router as organisations_router
from nyskap.procurement.api import router as procurement_router
from nyskap.projects.api import router as projects_router
from nyskap.surveys.api import router as surveys_router
from nyskap.trials.api import router as trials_router

api.add_router("/organisations", organisations_router)
api.add_router("/counties", counties_router)
api.add_router("/projects", projects_router)
api.add_router("/instruments", instruments_router)
api.add_router("/benefits", benefits_router)
api.add_router("/surveys", surveys_router)
api.add_router("/culture", culture_router)
api.add_router("/trials", trials_router)
api.add_router("/challenges", challenges_router)
api.add_router("/procurement", procurement_router)
api.add_router("/barometer", barometer_router)
api.add_router("/dashboards", dashboards_router)
api.add_router("/me", me_router)
api.add_router("/tasks", tasks_router)

__all__ = ["api"]
