import os
import threading

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nyskap.config.settings.prod")
application = get_wsgi_application()


def _warm_up() -> None:
    # Search splits compounds with a lexicon read once per process (a fraction of a second from its cache file):
    # read it as the worker starts, not during the first visitor's search.
    from nyskap.core.search import compounds

    compounds.lexicon()


threading.Thread(target=_warm_up, name="nyskap-warm-up", daemon=True).start()
