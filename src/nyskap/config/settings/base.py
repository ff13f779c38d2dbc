"""Settings shared by every environment. Values that differ between deployments come from the environment."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from nyskap.config.env import env_bool, env_int, env_list, env_str, parse_email_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent  # src/nyskap
BASE_DIR = PACKAGE_DIR.parent.parent  # the repository root

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "nyskap.core",
    "nyskap.accounts",
    "nyskap.organisations",
    "nyskap.projects",
    "nyskap.instruments",
    "nyskap.benefits",
    "nyskap.surveys",
    "nyskap.culture",
    "nyskap.trials",
    "nyskap.challenges",
    "nyskap.procurement",
    "nyskap.barometer",
    "nyskap.dashboards",
    "nyskap.api",
    "nyskap.portal",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "axes",
    "auditlog",
    "django_htmx",
    "django_tasks_db",
    "rules.apps.AutodiscoverRulesConfig",
    "ninja",
]

MIDDLEWARE = [
    "nyskap.core.overload.QueueTimeMiddleware",
    "nyskap.core.proxy.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "nyskap.core.versions.VersionStampsMiddleware",
    "nyskap.core.middleware.InputMiddleware",
    "nyskap.core.middleware.ChartDownloadMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "nyskap.accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "nyskap.accounts.middleware.RequireMfaMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

FORM_RENDERER = "nyskap.core.forms.NyskapFormRenderer"
ROOT_URLCONF = "nyskap.config.urls"
WSGI_APPLICATION = "nyskap.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nyskap.core.context_processors.site",
            ],
        },
    }
]

# Database: no DATABASE_URL means the embedded SQLite file, so the quick start needs nothing else.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH") or str(BASE_DIR / "var" / "nyskap.sqlite3"),
            "OPTIONS": {
                # WAL lets readers go on while one writer writes; IMMEDIATE avoids "database is locked" upgrades.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and sessions: local memory and the database by default; Redis when REDIS_URL is set (multi-node).
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "nyskap.core.cache.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Sessions end after an idle period and, regardless of activity, after an absolute lifetime.
SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("SESSION_IDLE_MINUTES", 30, minimum=1))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=env_int("SESSION_ABSOLUTE_HOURS", 12, minimum=1))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"

# django-allauth: e-mail is the login; addresses must be confirmed before use.
SITE_ID = 1
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_ADAPTER = "nyskap.accounts.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Nyskap] "
ACCOUNT_RATE_LIMITS = {
    # "key" is the account *and* client address (AccountAdapter._get_login_attempts_cache_key): failures from
    # other addresses never lock the owner out.
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
SOCIALACCOUNT_ADAPTER = "nyskap.accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Nyskap"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False

# OpenID Connect (ID-porten, Ansattporten, Entra ID): switched on by giving a provider's issuer URL.
# Each provider uses the authorisation-code flow with PKCE; OIDC_<NAME>_ACR is the lowest accepted `acr` level.
OIDC_PROVIDERS_CONFIG: dict[str, dict[str, str]] = {}
for _key, _label in (("IDPORTEN", "ID-porten"), ("ANSATTPORTEN", "Ansattporten"), ("ENTRA", "Entra ID")):
    _issuer = env_str(f"OIDC_{_key}_ISSUER")
    if not _issuer:
        continue
    OIDC_PROVIDERS_CONFIG[_key.lower()] = {
        "name": _label,
        "issuer": _issuer,
        "client_id": env_str(f"OIDC_{_key}_CLIENT_ID", required=True) or "",
        "secret": env_str(f"OIDC_{_key}_CLIENT_SECRET", "") or "",
        "acr": env_str(f"OIDC_{_key}_ACR", "") or "",
    }
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": provider_id,
                "name": config["name"],
                "client_id": config["client_id"],
                "secret": config["secret"],
                "settings": {
                    "server_url": config["issuer"],
                    "oauth_pkce_enabled": True,
                    "auth_params": {"acr_values": config["acr"].replace(",", " ")} if config["acr"] else {},
                    "acr": config["acr"],
                },
            }
            for provider_id, config in OIDC_PROVIDERS_CONFIG.items()
        ],
    }
}

# The open API's writes that need no token (nyskap.api.throttling): requests per client address and operation.
API_ANONYMOUS_WRITE_RATE = env_str("API_ANONYMOUS_WRITE_RATE", "120/min")
if not re.fullmatch(r"[1-9][0-9]*/(s|sec|m|min|h|hour|d|day)", API_ANONYMOUS_WRITE_RATE or ""):
    raise ImproperlyConfigured(
        "API_ANONYMOUS_WRITE_RATE must be requests per period, e.g. 120/min (periods: s, min, h, d)."
    )

# django-axes: lock an account/address pair out after repeated failures (ASVS 2.2.1).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
# allauth authenticates with `email=`; this callable finds the address wherever it is and lower-cases it, so a
# lockout hits one account, not everybody behind the same address (a municipality's NAT).
AXES_USERNAME_CALLABLE = "nyskap.accounts.lockout.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_VERBOSE = False
# Behind a reverse proxy the client address comes from this header only, and only when it is set (nyskap.core.proxy,
# docs/deploy.md). Lockouts, rate limits and the security log all count by that one address.
TRUSTED_CLIENT_IP_HEADER = env_str("TRUSTED_CLIENT_IP_HEADER", "") or ""
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1, minimum=1)
AXES_CLIENT_IP_CALLABLE = "nyskap.core.proxy.client_ip"

# Background work: django.tasks with the database queue; `manage.py db_worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Exports of more rows than this run as background jobs with a progress page; smaller ones are served at once.
BACKGROUND_EXPORT_THRESHOLD = env_int("BACKGROUND_EXPORT_THRESHOLD", 2000, minimum=0)
# How long a background job's result (file or report) is kept for its owner.
BACKGROUND_JOB_KEEP_DAYS = env_int("BACKGROUND_JOB_KEEP_DAYS", 7, minimum=1)
# /helse/ reports the queue as failing when a task has waited longer than this (no worker, or too few).
HEALTH_QUEUE_MAX_AGE_SECONDS = env_int("HEALTH_QUEUE_MAX_AGE_SECONDS", 300, minimum=1)
# A request that waited longer than this for a worker (the proxy's X-Request-Start) gets 503 with Retry-After
# (nyskap.core.overload); 0 turns it off.
REQUEST_QUEUE_TIMEOUT_SECONDS = env_int("REQUEST_QUEUE_TIMEOUT_SECONDS", 0, minimum=0)
REQUEST_QUEUE_RETRY_AFTER_SECONDS = env_int("REQUEST_QUEUE_RETRY_AFTER_SECONDS", 5, minimum=1)

# E-mail: console by default. All mail is queued as a task and delivered by a worker with EMAIL_DELIVERY_BACKEND.
_email = parse_email_url(env_str("EMAIL_URL", "console:") or "console:")
EMAIL_BACKEND = "nyskap.core.mail.TaskEmailBackend"
EMAIL_DELIVERY_BACKEND = str(_email.pop("EMAIL_BACKEND"))
for _name, _value in _email.items():
    globals()[_name] = _value
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Nyskap <ikke-svar@nyskap.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Languages: bokmål is the default; nynorsk and English are complete translations.
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål"), ("nn", "Norsk nynorsk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Oslo"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "var" / "static")
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/designsystemet", NODE_MODULES / "@digdir" / "designsystemet-css" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/inter", NODE_MODULES / "@fontsource" / "inter" / "files"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "var" / "media")
MEDIA_URL = "/media/"

# Security headers. The CSP allows no inline script or style and no eval; nonces are available for the rare
# inline JSON block.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Organisation size bands (inhabitants), SSB's usual grouping of municipalities [S]; configurable.
ORGANISATION_SIZE_BANDS = [
    ("xs", _("Under 2,000"), 0, 1999),
    ("s", _("2,000–4,999"), 2000, 4999),
    ("m", _("5,000–9,999"), 5000, 9999),
    ("l", _("10,000–19,999"), 10000, 19999),
    ("xl", _("20,000–49,999"), 20000, 49999),
    ("xxl", _("50,000 and more"), 50000, None),
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "nyskap.security": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"level": "WARNING"},
    },
}

# Survey anonymity (ADR 0006): answers and answer forms per client and round through a shared link, per window; the
# organisations a published national or comparison group of the culture measurement needs.
SURVEY_LINK_ANSWERS_PER_WINDOW = env_int("SURVEY_LINK_ANSWERS_PER_WINDOW", 10, minimum=1)
SURVEY_LINK_TICKETS_PER_WINDOW = env_int("SURVEY_LINK_TICKETS_PER_WINDOW", 30, minimum=1)
SURVEY_LINK_WINDOW_SECONDS = env_int("SURVEY_LINK_WINDOW_SECONDS", 600, minimum=1)
CULTURE_MIN_ORGANISATIONS = env_int("CULTURE_MIN_ORGANISATIONS", 5, minimum=3)

# The innovation barometer's national figure: the stated weights of the municipal and the state estimates, e.g.
# {"municipal": 2, "state": 1} (normalised). None: the shares of public employment, 2/3 and 1/3 (ADR 0015).
BAROMETER_NATIONAL_WEIGHTS: dict[str, float] | None = None

# Updates from the Central Coordinating Register's bulk download of entities (ADR "register updates"): the
# institutional sector codes and organisation forms of the public bodies an import looks at. 6100 is state
# administration, 6500 local government.
REGISTER_IMPORT_SECTOR_CODES = env_list("REGISTER_IMPORT_SECTOR_CODES", ["6100", "6500"])
REGISTER_IMPORT_ORGANISATION_FORMS = env_list(
    "REGISTER_IMPORT_ORGANISATION_FORMS", ["STAT", "ORGL", "SÆR", "KOMM", "FYLK", "IKS", "KF", "FKF"]
)
