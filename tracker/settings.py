"""Settings for Mandate Tracker.

One module, every value from the environment with a safe default for local use:
no environment at all gives a DEBUG site on an embedded SQLite file. Production sets
DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (postgres://...).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean; reject anything that is not clearly yes or no."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

if DEBUG:
    # A fixed key is fine for a local DEBUG site; production must bring its own.
    SECRET_KEY = SECRET_KEY or "django-insecure-local-development-key-do-not-use-in-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]
else:
    missing = [
        name
        for name, value in (("SECRET_KEY", SECRET_KEY), ("ALLOWED_HOSTS", ALLOWED_HOSTS))
        if not value
    ]
    if missing:
        raise ImproperlyConfigured(
            "DEBUG=0 needs " + " and ".join(missing) + " set in the environment, e.g. "
            "SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(50))') "
            "ALLOWED_HOSTS=mandates.example.org"
        )

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The site's own 404 and 500 pages even with DEBUG on (`make run`); SITE_ERROR_PAGES=0 shows
# Django's technical pages instead (mandates/error_pages.py). The traceback of a crash is
# logged to the console either way.
SITE_ERROR_PAGES = env_bool("SITE_ERROR_PAGES", True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.syndication",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "mandates",
]

MIDDLEWARE = [
    # First, so that its duration covers everything (mandates/request_log.py).
    "mandates.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response (static files too).
    "mandates.middleware.SecurityHeadersMiddleware",
    # A database outage is a 503 page with Retry-After, not a 500 (mandates/outage.py).
    "mandates.outage.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: from the address (/es/…), else the remembered choice or Accept-Language,
    # which also sends a first visit to its language's address (mandates/language.py).
    "mandates.language.LanguageMiddleware",
    # Whole public pages, keyed by the data version (after the language is known).
    "mandates.cache.PageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Public reads go to DATABASE_REPLICA_URL when set (mandates/replica.py).
    "mandates.replica.ReplicaReadsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the outcome of authentication attempts.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "tracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # `|date` as Django's, plus what a format string cannot say ("1er juin 2008").
            "builtins": ["mandates.templatetags.dates"],
        },
    },
]

WSGI_APPLICATION = "tracker.wsgi.application"

# Connections are reused for CONN_MAX_AGE seconds and checked before each request reuses one
# (CONN_HEALTH_CHECKS), so a restarted PostgreSQL costs one failed request, not a restart of
# gunicorn. A short connect_timeout makes an unreachable server a quick 503, not a hung worker.
CONN_MAX_AGE = int(os.environ.get("CONN_MAX_AGE", "60"))
CONN_HEALTH_CHECKS = env_bool("CONN_HEALTH_CHECKS", True)
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))
# Set for the web server by tracker/wsgi.py (30 s, below gunicorn's 60 s --timeout); 0 (none)
# for management commands, migrations and tests, whose bulk statements may run longer.
DATABASE_STATEMENT_TIMEOUT_MS = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT_MS", "0"))


def database_from_url(url: str) -> dict:
    config = dj_database_url.parse(
        url, conn_max_age=CONN_MAX_AGE, conn_health_checks=CONN_HEALTH_CHECKS
    )
    if config["ENGINE"] == "django.db.backends.postgresql":
        options = config.setdefault("OPTIONS", {})
        options.setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
        # Web queries are short index lookups: JIT compilation and parallel workers cost more
        # than they save (measured at 100,000 mandates), and a runaway query is cancelled
        # before gunicorn's 60 s timeout kills its worker.
        server_options = "-c jit=off -c max_parallel_workers_per_gather=0"
        if DATABASE_STATEMENT_TIMEOUT_MS:
            server_options += f" -c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS}"
        options.setdefault("options", server_options)
        # The statements the pages keep compiled (mandates/models/compiled.py) are prepared:
        # parsed and planned once per connection, then only executed. Django's other queries
        # bind parameters on the client and are never prepared. Behind a pooler that cannot
        # keep them (PgBouncer in transaction mode before 1.21): DATABASE_PREPARED_STATEMENTS=0.
        if env_bool("DATABASE_PREPARED_STATEMENTS", True):
            options.setdefault("prepare_threshold", 5)
    return config


DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}

# A read-only streaming replica (mandates/replica.py): public GET pages and the API read it;
# the admin, writes and staff sessions use the primary. Tests mirror it onto the primary.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **database_from_url(DATABASE_REPLICA_URL),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["mandates.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: whole public pages keyed by the data version (mandates/cache.py) ----------------
# REDIS_URL (e.g. redis://127.0.0.1:6379/0) shares one cache between all application servers;
# without it each process keeps its own in memory, which needs nothing installed.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "mandates"),
            # A Redis outage must not hang requests.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 500},
        }
    }
PAGE_CACHE = env_bool("PAGE_CACHE", True)  # PAGE_CACHE=0: render every page (benchmarks)
PAGE_CACHE_ALIAS = "default"
# Entries never go stale (the key holds the data version); this only bounds their lifetime.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", str(24 * 3600)))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The OAS's four official languages. English pages keep unprefixed addresses; /es/, /fr/
# and /pt/ prefix the same paths (tracker/urls.py, mandates/language.py).
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("pt", _("Portuguese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as each language writes them ("5 de junio de 2007"): tracker/formats/.
FORMAT_MODULE_PATH = ["tracker.formats"]
# The reader's choice of language, remembered for a year (mandates/language.py).
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True  # no script reads it
# The OAS sits in Washington, D.C.: "today" for deadlines is Washington's today.
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Links typed without a scheme are https (the Django 6 default).
FORMS_URLFIELD_ASSUME_HTTPS = True

MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Site identity, used in page titles, PDFs and feeds.
ORGANIZATION_NAME = os.environ.get("ORGANIZATION_NAME", "Organization of American States")
SITE_NAME = os.environ.get("SITE_NAME", "Mandate Tracker")

# django-axes: lock an account/IP pair out of the admin after repeated failed logins.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Attempts during a lock (even with the right password) do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The client address through TRUSTED_PROXY_COUNT reverse proxies (1 behind the documented
# nginx); 0 ignores X-Forwarded-For (mandates/client_ip.py).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "mandates.client_ip.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Logs go to stderr (the journal under systemd). One line per request from
# mandates.request_log, JSON objects with LOG_FORMAT=json; requests slower than
# SLOW_REQUEST_MS are logged at WARNING with their query count.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower()
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}.")
SLOW_REQUEST_MS = int(os.environ.get("SLOW_REQUEST_MS", "500"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"()": "mandates.log_format.TextFormatter"},
        "json": {"()": "mandates.log_format.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint reports every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}


# --- Trust: documents, reminders, e-mail, security headers --------------------------------

# Public address of the site, for links in e-mails and stable feed identifiers
# (e.g. https://mandates.example.org). Without it, the host of each request is used.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")

# Files attached to progress records (PDF, DOC/DOCX, ODT, XLSX), checked by content.
DOCUMENT_MAX_BYTES = int(os.environ.get("DOCUMENT_MAX_BYTES", str(20 * 1024 * 1024)))
FILE_UPLOAD_PERMISSIONS = 0o640
# The size limit is enforced while the body is read (mandates/uploads.py), before Django's
# handlers buffer the file in memory or on disk.
FILE_UPLOAD_HANDLERS = [
    "mandates.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# `manage.py send_deadline_reminders`: how many days before a deadline focal points are told.
REMINDER_DAYS_BEFORE = int(os.environ.get("REMINDER_DAYS_BEFORE", "30"))

# E-mail: printed on the console unless an SMTP server is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_SSL:
    EMAIL_USE_TLS = False  # Django refuses both at once; implicit TLS (port 465) wins.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "mandate-tracker@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Headers on every response (mandates.middleware.SecurityHeadersMiddleware): no inline script
# or style anywhere, no framing, forms post only here.
CONTENT_SECURITY_POLICY = os.environ.get(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'",
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

if not DEBUG:
    # Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto (and strips any
    # X-Forwarded-Proto sent by clients): see docs/deploy.md.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True


# --- Operations: cache, health checks (mandates/health.py) ---------------------------------

# The cache itself (Redis with REDIS_URL, else per-process memory) is set above with the page
# cache; /readyz checks it. With Redis, sessions are read from it and written through to
# PostgreSQL: shared by every host, and a Redis restart logs nobody out.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Load balancers probe over plain http on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# --- Open data: the read-only API under /api/v1/ (mandates/api/) ---------------------------

REST_FRAMEWORK = {
    # Anonymous and read-only: no login, no session, no CSRF; the viewsets have no write method.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": f"{SITE_NAME} API",
    "DESCRIPTION": (
        "Read-only open data: resolutions, their operative paragraphs (mandates) with their "
        "status as of any date, organs, deadlines, progress records and committee meetings. "
        "Anonymous; lists are paginated (`page`, 50 a page) and take the filters of the "
        "public pages. A mandate is identified by its resolution (symbol, slug) and label."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Swagger UI from the drf-spectacular-sidecar package (static files), not a CDN: the
    # Content-Security-Policy allows only this site's scripts.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "mandates.models.Status",
        "OrganKindEnum": "mandates.models.Organ.Kind",
        "ResolutionKindEnum": "mandates.models.Resolution.Kind",
        "ProgressRecordKindEnum": "mandates.models.ProgressRecord.Kind",
    },
}
