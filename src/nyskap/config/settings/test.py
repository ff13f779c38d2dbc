"""Tests: fast hashing, tasks run at once, mail kept in memory. DATABASE_URL switches to PostgreSQL."""

from .base import *  # noqa: F403
from .base import DATABASES, env_str

SECRET_KEY = "test-only-key-not-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# A refresh of every dashboard on each saved row would run inside every test; the dashboards tests turn it on.
DASHBOARDS_REFRESH_ON_CHANGE = False
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["NAME"] = env_str("SQLITE_PATH") or ":memory:"
    DATABASES["default"]["TEST"] = {"NAME": None}
else:
    # A test database needs no durability: a commit does not wait for the disk. The browser tests and the live
    # servers commit on every write (no test transaction around them), thousands of times per test.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
ACCOUNT_RATE_LIMITS = {"login_failed": "1000/m/ip", "signup": "1000/m/ip", "confirm_email": "1000/m/key"}

# A test-only app exercising the shared visibility model (tables created without migrations).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.visibility_app"]  # noqa: F405
