"""Production: everything secret or host-specific comes from the environment; refuses to start without it.
docs/deploy.md describes every setting and the start-up (bin/start-app)."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import REDIS_URL, SECRET_KEY, env_bool, env_int

if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of at least 50 characters in production.")

# Every app-server process must share one cache: search results, rate limits, the survey link's limits and login
# throttling are counted there. A local-memory cache would count them per gunicorn worker (and pay every new search
# once per worker). LOCAL_CACHE_ONLY=1 is the explicit opt-out for one single-process server (docs/deploy.md).
LOCAL_CACHE_ONLY = env_bool("LOCAL_CACHE_ONLY", False)
if not REDIS_URL and not LOCAL_CACHE_ONLY:
    raise ImproperlyConfigured(
        "REDIS_URL must be set in production so that every app-server process shares one cache. "
        "Set LOCAL_CACHE_ONLY=1 to run without it on a single server with one worker process."
    )

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# The load balancer's health checks talk plain HTTP to each app server.
SECURE_REDIRECT_EXEMPT = [r"^helse/"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# Static files are collected once (deploy/start-app.sh, or when the image is built) into STATIC_ROOT and served by
# WhiteNoise with hashed names; the system check nyskap.E010 stops the start when they are missing.
