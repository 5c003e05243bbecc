"""ParkDash settings: one module, every deployment-specific value from an environment variable.

See the README's "Configuration" section for the variables.
"""

import base64
import hashlib
import os
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


DEBUG = env_bool("DJANGO_DEBUG")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for local development).")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "parkdash.core.apps.ParkDashAdminConfig",  # django.contrib.admin with our site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "import_export",
    "simple_history",
    "parkdash.core",
    "parkdash.parks",
    "parkdash.indicators",
    "parkdash.projects",
    "parkdash.enterprises",
    "parkdash.infrastructure",
    "parkdash.intake",
    "parkdash.dashboard",
    "parkdash.reports",
    "parkdash.demo",
    "parkdash.api",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside WhiteNoise, so that the policy is on every response, static files and error pages included.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Makes the request known to the permissions' cache (parkdash/parks/auth.py).
    "parkdash.parks.auth.CurrentRequestMiddleware",
    # Whether this request's reads may go to the read replica (a no-op without one: parkdash/core/routing.py).
    "parkdash.core.routing.ReplicaRoutingMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "parkdash.urls"
WSGI_APPLICATION = "parkdash.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "parkdash.core.context_processors.parkdash",
            ],
        },
    },
]
# Django's form templates rendered by Jinja2 (several times faster than Django's engine for the many small widget,
# label and error templates of a form page), the others by Django's engine: parkdash/core/renderers.py.
FORM_RENDERER = "parkdash.core.renderers.FormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or "sqlite:///{}".format(BASE_DIR / "db.sqlite3"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
# A streaming standby of the primary (PostgreSQL): the dashboard's, the tables', the exports', the reports' and the
# API's GET requests read from it; writes, the admin, logins and the pages right after a user's own write read the
# primary (parkdash/core/routing.py; the README's "Deployment" section).
PARKDASH_READ_REPLICA = None
if os.environ.get("DATABASE_REPLICA_URL"):
    # A kept connection is checked before a request uses it: a standby restarted since falls back to the primary.
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0), conn_health_checks=True
    )
    PARKDASH_READ_REPLICA = "replica"
DATABASE_ROUTERS = ["parkdash.core.routing.ReplicaRouter"]
# Read-your-writes: after a user's write, that user's reads stay on the primary until the replica has replayed it,
# for this many seconds at most.
PARKDASH_REPLICA_PIN_SECONDS = env_int("PARKDASH_REPLICA_PIN_SECONDS", 60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared state across processes and hosts: several application servers (gunicorn instances on one or more hosts)
# share one cache, the sessions and the login lockouts; nothing lives in a process's memory alone.
# REDIS_URL set (redis://[:password@]host:6379/0): the cache is that Redis (django-redis) and sessions are
# "cached_db", read from Redis and written to both, so a session survives a Redis restart (it is read again
# from the database). Not set: the database holds both, in the table `createcachetable` makes
# (`make migrate` and the deployment guide run it; the test runner makes its own).
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
CACHE_KEY_PREFIX = os.environ.get("PARKDASH_CACHE_KEY_PREFIX", "parkdash").strip()
CACHE_TIMEOUT = env_int("PARKDASH_CACHE_TIMEOUT", 300)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # Several deployments (or a test run beside production) may share one Redis: their keys never meet.
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "TIMEOUT": CACHE_TIMEOUT,
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                # An unreachable Redis fails a request within seconds rather than hanging a worker.
                "SOCKET_CONNECT_TIMEOUT": 2,
                "SOCKET_TIMEOUT": 2,
                # One pool per worker process: a sync worker uses one connection at a time.
                "CONNECTION_POOL_KWARGS": {"max_connections": env_int("PARKDASH_REDIS_MAX_CONNECTIONS", 20)},
                # Redis down is a slower site, not a broken one: a read finds nothing (the value is computed from
                # the database), a write is dropped, each logged (django_redis). Sessions are kept in the database,
                # lockouts counted there; the API's rate limits and the read replica's read-your-writes pins, kept
                # in the cache only, lapse until Redis is back.
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "parkdash_cache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "TIMEOUT": CACHE_TIMEOUT,
            # Django's default of 300 entries would evict counters (API throttling) under load.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Each process keeps its own copy of the values it read from that shared cache under a data version
# (parkdash/parks/versions.py `cached`: their keys change with every write, so a copy is as fresh as the shared
# entry), up to this many megabytes: a page then reads the user's permissions, the park lists and the catalogue
# without a round trip to Redis or the database cache. 0 turns the copies off.
PARKDASH_LOCAL_CACHE_MB = env_int("PARKDASH_LOCAL_CACHE_MB", 16)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Years and ids must never read 2,026: amounts are grouped explicitly where they are formatted.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
# collectstatic writes here (WhiteNoise serves it); production may keep it outside the code.
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = BASE_DIR / "media"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# django-axes first: it refuses a locked-out username before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend whose permissions are cached under data versions, never stale (parkdash/parks/auth.py).
    "parkdash.parks.auth.CachedModelBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:overview"
LOGOUT_REDIRECT_URL = "login"

# Security: strict by default outside debug; a TLS-terminating proxy sets X-Forwarded-Proto.
SESSION_COOKIE_SECURE = not DEBUG and env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = not DEBUG and env_bool("DJANGO_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("DJANGO_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
# templates/403_csrf.html, saying whether cookies are blocked or the page is stale.
CSRF_FAILURE_VIEW = "parkdash.core.errors.csrf_failure"
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Login protection (django-axes), on both login forms (/accounts/login/ and /admin/login/): after this many
# failed logins for one user name from one address, that pair is locked out for the cool-off time; a
# successful login resets the count; `python manage.py axes_reset` (or axes_reset_username NAME) unlocks.
AXES_FAILURE_LIMIT = env_int("PARKDASH_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("PARKDASH_LOGIN_COOLOFF_MINUTES", 60))
# Password spraying (a few passwords tried for many user names) stays under the per-user limit: this many failed
# logins from one address, whatever the user names, lock the whole address out (axes_reset_ip ADDRESS unlocks).
# Higher than the per-user limit, as an office behind one NAT address shares it; 0 turns it off. A user's own
# failures are forgiven by their successful login (parkdash.core.lockout.LockoutHandler).
PARKDASH_LOGIN_ADDRESS_FAILURE_LIMIT = env_int("PARKDASH_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# A database handler (AxesDatabaseHandler underneath): failed logins are AccessAttempt rows, so a lockout recorded
# by one application server refuses the login on every other one (not the cache handler, not process memory).
AXES_HANDLER = "parkdash.core.lockout.LockoutHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Lockouts are listed and lifted with the axes_list_attempts / axes_reset_username commands, not in the admin.
AXES_ENABLE_ADMIN = False
# Behind a reverse proxy every request comes from the proxy's address. The proxy names the client in a header
# (deploy/nginx.conf.example sets X-Real-IP); trust it only when gunicorn listens on loopback or a socket.
PARKDASH_CLIENT_IP_HEADER = os.environ.get("PARKDASH_CLIENT_IP_HEADER", "").strip()


def client_ip_address(request):
    """The client's address for django-axes: the proxy's header when configured, else REMOTE_ADDR."""
    from django.conf import settings

    header = settings.PARKDASH_CLIENT_IP_HEADER
    if header:
        forwarded = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        # X-Forwarded-For lists every hop: the last one is the address our own proxy saw.
        address = forwarded.split(",")[-1].strip()
        if address:
            return address
    return request.META.get("REMOTE_ADDR")


AXES_CLIENT_IP_CALLABLE = client_ip_address

# The largest file an upload form takes (an admin import, a work summary), and the largest request body.
PARKDASH_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = PARKDASH_UPLOAD_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = PARKDASH_UPLOAD_MAX_BYTES

# Uploads are bounded by the work they cause, checked before parsing (parkdash/core/uploads.py; the README's
# "Uploads" section gives the reasons and what `make bombs` measured at these values).
# .docx and .xlsx files are ZIP packages: at most this many entries, and this much once inflated.
PARKDASH_UPLOAD_ZIP_MAX_ENTRIES = 1000
PARKDASH_UPLOAD_ZIP_MAX_BYTES = 40 * 1024 * 1024
PARKDASH_UPLOAD_ZIP_MAX_PART_BYTES = 10 * 1024 * 1024
# Their XML, counted by a streaming scan: elements in all parts, and paragraphs of a Word document.
PARKDASH_UPLOAD_XML_MAX_ELEMENTS = 400_000
PARKDASH_UPLOAD_DOCX_MAX_PARAGRAPHS = 20_000
# Rows and columns per admin import (CSV or XLSX): the preview validates every row (about 2.5 ms of CPU a row of
# figures here, `make bench`), and the confirm step imports them again. A larger file is imported on the server:
# manage.py import_figures FILE (no row bound, one transaction, progress and errors printed).
PARKDASH_IMPORT_MAX_ROWS = 10_000
PARKDASH_IMPORT_MAX_COLUMNS = 50
# A work summary: its characters, and the figures found in it (one review page shows them all).
PARKDASH_SUMMARY_MAX_CHARS = 200_000
PARKDASH_SUMMARY_MAX_CANDIDATES = 500
# The review page posts nine fields per candidate figure; Django's default of 1,000 fields stops at about 110.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10 * PARKDASH_SUMMARY_MAX_CANDIDATES + 100

# django-import-export: every import in one transaction (formats: parkdash.core.admin.ImportExportAdmin).
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# An uploaded file waits for the confirm step in a private folder under a random name, claimed once by the confirm,
# removed at once when its preview shows errors and after 6 hours when abandoned (parkdash/core/import_storage.py).
IMPORT_EXPORT_TMP_STORAGE_CLASS = "parkdash.core.import_storage.PendingImportStorage"
PARKDASH_IMPORT_PENDING_DIR = Path(
    os.environ.get("PARKDASH_IMPORT_PENDING_DIR") or Path(tempfile.gettempdir()) / f"parkdash-imports-{os.getuid()}"
)
# Exporting takes the model's view permission (without a code, any staff user may export the parks they belong to).
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

DJANGO_TABLES2_TEMPLATE = "generic/table.html"

# --- ParkDash ---
# A read-only dashboard for anonymous visitors (admin and changes always need a login).
PARKDASH_ANONYMOUS_READ = env_bool("PARKDASH_ANONYMOUS_READ", False)
# Status colour: up to this many percentage points behind 序时进度 is "slightly behind", more is "behind".
PARKDASH_BEHIND_THRESHOLD = env_int("PARKDASH_BEHIND_THRESHOLD", 10)

# Front-end libraries from a CDN, pinned with Subresource Integrity. An intranet points these at its own copy.
CHARTJS_URL = os.environ.get(
    "PARKDASH_CHARTJS_URL", "https://cdn.jsdelivr.net/npm/chart.js@4.6.1/dist/chart.umd.min.js"
)
CHARTJS_SRI = os.environ.get(
    "PARKDASH_CHARTJS_SRI", "sha384-Emf5ZVIUiarAdhkgtqK+5/Z5qIvM6QoVrS+qAVtfyZVuD5lIHrac0me485+Antp0"
)


def chartjs_script_sources(url, integrity):
    """The Content-Security-Policy script sources Chart.js needs: its own URL when it lives on another origin (a
    copy served by ParkDash itself is covered by 'self') and its Subresource-Integrity hashes.

    The exact file, not the whole origin: a CDN such as jsDelivr serves every npm package, so allowing its origin
    would allow any script published there.
    """
    sources = []
    parts = urlsplit(url)
    if parts.netloc:
        # A source expression ends at whitespace, ";" and ","; a protocol-relative URL keeps the page's scheme.
        scheme = parts.scheme + "://" if parts.scheme else ""
        sources.append(scheme + parts.netloc + quote(parts.path, safe="/@:!$&'()*+=~.-_%"))
    hashes = [token for token in integrity.split() if token.startswith(("sha256-", "sha384-", "sha512-"))]
    sources += ["'{}'".format(token) for token in hashes]
    return sources


def style_attribute_hashes(*values):
    """CSP hash sources for fixed style="…" attributes of third-party templates (with 'unsafe-hashes')."""
    return [
        "'sha256-{}'".format(base64.b64encode(hashlib.sha256(value.encode()).digest()).decode()) for value in values
    ]


# Content-Security-Policy (django-csp 4): only ParkDash itself and the configured Chart.js file, loaded under its
# integrity hash. No inline script, no event-handler attribute, no inline <style>: the pages' behaviour is in
# static/js/parkdash.js and static/js/charts.js, chart data in json_script blocks (data, never run).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", *chartjs_script_sources(CHARTJS_URL, CHARTJS_SRI)],
        "style-src": ["'self'"],
        # django-simple-history's history page writes one fixed style attribute; it alone is allowed, by hash.
        "style-src-attr": ["'unsafe-hashes'", *style_attribute_hashes("border-top: 0")],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- The REST API (/api/v1/, parkdash/api/; the README's "API" section) ---
REST_FRAMEWORK = {
    # A token from the admin (Authorization: Token …) for other systems; the session (CSRF enforced) for the browser.
    # The token first: an anonymous request gets 401 with WWW-Authenticate: Token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "parkdash.api.authentication.TokenAuthentication",
        "parkdash.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["parkdash.api.permissions.ReadAccess"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "parkdash.api.pagination.Pagination",
    "DEFAULT_THROTTLE_CLASSES": ["parkdash.api.throttling.ClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        # Per token (or per user for a session), and per address for anonymous reads.
        "api": os.environ.get("PARKDASH_API_RATE") or "1200/min",
        "api_anonymous": os.environ.get("PARKDASH_API_ANONYMOUS_RATE") or "60/min",
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "parkdash.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": True,
}
# Tokens are created in the admin (API tokens), with the expiry chosen there (none by default).
REST_KNOX = {"TOKEN_TTL": None, "AUTH_HEADER_PREFIX": "Token"}
# The most figures one POST /api/v1/figures/bulk/ takes (one transaction).
PARKDASH_API_BULK_MAX = env_int("PARKDASH_API_BULK_MAX", 1000)
# The largest page a list answers (?page_size=…), and the page size without one.
PARKDASH_API_PAGE_SIZE = 100
PARKDASH_API_MAX_PAGE_SIZE = 1000
SPECTACULAR_SETTINGS = {
    "TITLE": "ParkDash API",
    "DESCRIPTION": (
        "Figures (targets and actuals of indicators), indicators, parks and zones, projects, enterprises and "
        "infrastructure works of the parks the user may see. Authenticate with a token from the admin "
        "(`Authorization: Token …`) or a browser session."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share a field name ("kind", "code") get a name of their own in the schema.
    "ENUM_NAME_OVERRIDES": {
        "FigureKindEnum": "parkdash.indicators.choices.FigureKind",
        "WorkKindEnum": "parkdash.infrastructure.choices.WorkKind",
        "WarningCodeEnum": "parkdash.indicators.choices.WarningCode",
        "IndicatorCategoryEnum": "parkdash.indicators.choices.Category",
        "ProjectCategoryEnum": "parkdash.projects.choices.ProjectCategory",
    },
    # Swagger UI from the project's own static files (drf-spectacular-sidecar), no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No request to swagger.io's validator: nothing leaves the site.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
