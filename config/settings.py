"""TĐKT settings: one file, driven by environment variables (see README "Configuration")."""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # Refuse to start: a production server must never run on a key known from the source code.
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random value "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=1 for local development only."
        )
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "guardian",
    "axes",
    "django_celery_beat",
    "viewflow",
    "viewflow.workflow",
    # The REST API (awards/api, docs/api.md). knox before awards: awards/admin.py unregisters its admin.
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and ReDoc served from our own static files: no CDN
    "awards",
    "workflows",
]

MIDDLEWARE = [
    "awards.middleware.RequestIdMiddleware",  # first: every log line of the request carries its id
    "awards.middleware.ForwardedHeadersMiddleware",  # before SecurityMiddleware reads X-Forwarded-Proto
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files: compressed, hashed names cached for ever
    "django.contrib.sessions.middleware.SessionMiddleware",
    "awards.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "awards.middleware.LoginRequiredMiddleware",  # Django's, but a public view never loads the session
    "awards.middleware.SessionLimitsMiddleware",
    "awards.middleware.ActorMiddleware",
    "awards.middleware.ControlCharactersMiddleware",  # a NUL in the address: 400 before any view reads it
    "awards.middleware.NoStoreMiddleware",  # signed-in pages never stay in a browser's or a proxy's cache
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "awards.context_processors.shell",
            ],
        },
    },
]

# Database: SQLite (WAL, IMMEDIATE transactions) unless DATABASE_URL says otherwise.
# IMMEDIATE takes the write lock at BEGIN, so concurrent approvers queue instead of failing
# with "database is locked" (docs/architecture.md, fact 1).
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "timeout": 20,
}
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "var" / "tdkt.sqlite3")),
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_PATH") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "awards.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # must stay first: it refuses locked-out logins
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = env_list("PASSWORD_HASHERS") or [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions (ASVS L2): 30 minutes idle, 12 hours absolute (the absolute limit and the idle clock live in
# awards.middleware.SessionLimitsMiddleware). The row is written when its content changes, or to move the
# idle clock at most once per SESSION_TOUCH_INTERVAL: not on every request (docs/architecture.md, fact 17).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_INTERVAL = timedelta(minutes=5)
SESSION_ABSOLUTE_LIMIT = timedelta(hours=12)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Lockout after repeated failed logins, per user name and address.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False

# guardian: per-object exceptions only (never the tenancy filter); no anonymous user row.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = True

# Internationalisation: Vietnamese first, English available.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "config" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Django's own "vi" formats have no DATE_INPUT_FORMATS, so "05/01/2025" would be read as 1 May.
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Uploads and generated documents (docs/documents.md, "Where files live"): by default MEDIA_ROOT, a directory
# every node mounts, where a file appears whole or not at all; with STORAGE_BACKEND=s3 (or a bucket named),
# S3-compatible object storage through django-storages. Files are served only by the scoped views.
_default_backend = "s3" if os.environ.get("AWS_STORAGE_BUCKET_NAME") else "filesystem"
STORAGE_BACKEND = (os.environ.get("STORAGE_BACKEND") or _default_backend).strip().lower()
if STORAGE_BACKEND == "filesystem":
    DEFAULT_STORAGE = {"BACKEND": "awards.uploads.AtomicFileSystemStorage"}
elif STORAGE_BACKEND == "s3":
    if not os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 needs AWS_STORAGE_BUCKET_NAME (the bucket to store files in).")
    _s3_options = {
        "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
        "default_acl": None,  # objects stay private (the bucket's policy); never public-read
        "file_overwrite": False,  # save() never replaces an object, as on the file system
        "querystring_auth": True,  # a URL, if one is ever made, is signed and expires
        "max_memory_size": 2 * 1024 * 1024,  # a read larger than this spools to a temporary file
    }
    for _option, _variable in (
        ("endpoint_url", "AWS_S3_ENDPOINT_URL"),  # MinIO, Ceph, a provider's S3 API; unset: AWS
        ("region_name", "AWS_S3_REGION_NAME"),
        ("access_key", "AWS_ACCESS_KEY_ID"),  # unset: boto3's own chain (instance role, ~/.aws)
        ("secret_key", "AWS_SECRET_ACCESS_KEY"),
        ("location", "AWS_LOCATION"),  # a key prefix inside the bucket
        ("addressing_style", "AWS_S3_ADDRESSING_STYLE"),  # "path" for most self-hosted servers
    ):
        if os.environ.get(_variable):
            _s3_options[_option] = os.environ[_variable]
    DEFAULT_STORAGE = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3_options}
else:
    raise ImproperlyConfigured(f"STORAGE_BACKEND must be 'filesystem' or 's3', not {STORAGE_BACKEND!r}.")
STORAGES = {
    "default": DEFAULT_STORAGE,
    # Production: compressed copies under content-hashed names from `collectstatic`, which WhiteNoise serves
    # with a far-future Cache-Control. Under DEBUG (`make run`; `make test` and CI set DEBUG=1 before the
    # settings load, pytest-django turns it off only later) the plain storage: no manifest needed.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# WhiteNoise scans STATIC_ROOT once at start in production; under DEBUG (tests included, see above) it looks
# files up per request, so a checkout without collectstatic has no "No directory at var/static" warning.
WHITENOISE_AUTOREFRESH = DEBUG

# E-mail: console by default; SMTP when EMAIL_HOST is set; `make run` writes the demo's e-mails to files
# (EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend, one file per batch in EMAIL_FILE_PATH).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "TĐKT <no-reply@tdkt.local>")
# Links in e-mails point here.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Celery: eager in-process without REDIS_URL (the embedded default), a real broker with it.
REDIS_URL = os.environ.get("REDIS_URL", "")
# The cache (the inbox's filter choices): Redis when there is one, so every node sees the same entries;
# in-process memory on the embedded default.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # installations sharing one Redis database keep apart by their prefix
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "tdkt"),
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_IGNORE_RESULT = True  # tasks that report back opt in with ignore_result=False
# Periodic jobs (awards.tasks.<name>) and seconds between runs: beat on Redis, `run_periodic_jobs` without.
PERIODIC_JOBS = {
    "email_sweep": 60, "documents_sweep": 5 * 60, "escalate_late_steps": 15 * 60, "campaign_reminders": 60 * 60,
    "exports_sweep": 15 * 60, "audit_seal": 60, "audit_refusals": 5 * 60,
    "reorganisations_due": 60 * 60, "imports_sweep": 5 * 60,
}  # fmt: skip
# `make worker` consumes every queue; documents have their own so a long list never holds up e-mail.
CELERY_TASK_ROUTES = {
    "awards.tasks.deliver_emails": {"queue": "emails"},
    "awards.tasks.build_document": {"queue": "documents"},
    "awards.tasks.build_export": {"queue": "documents"},
    "awards.tasks.run_import": {"queue": "documents"},
}
CELERY_BEAT_SCHEDULE = {
    name: {"task": f"awards.tasks.{name}", "schedule": every} for name, every in PERIODIC_JOBS.items()
}
# Workers write a heartbeat to Redis this often; the health page calls a worker stale after four missed.
WORKER_HEARTBEAT_SECONDS = int(os.environ.get("WORKER_HEARTBEAT_SECONDS", "15"))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_RESULT_EXPIRES = timedelta(hours=1)
    CELERY_TASK_ALWAYS_EAGER = False
    # A killed worker must not lose the job it held (docs/architecture.md, fact 6): tasks are idempotent.
    CELERY_TASK_ACKS_LATE = True
    CELERY_TASK_REJECT_ON_WORKER_LOST = True
    CELERY_WORKER_PREFETCH_MULTIPLIER = 1
    # A pool child that grew past this (a 10,000-row PDF) is replaced after its task (in KiB).
    CELERY_WORKER_MAX_MEMORY_PER_CHILD = int(os.environ.get("CELERY_WORKER_MAX_MEMORY_KB", "400000"))
    # Longer than the longest task, or Redis hands an unacknowledged job to a second worker.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
        # A broker that stops answering fails a publish in seconds instead of holding the request (awards/jobs.py);
        # above kombu's 1 s BRPOP, so a worker's idle wait is not cut short.
        "socket_timeout": 3,
        "socket_connect_timeout": 3,
    }
else:
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True

# Logs: plain lines for developers; LOG_FORMAT=json for production (one JSON object per line). Every record
# carries the id of the request it was written in (config/logs.py, awards.middleware.RequestIdMiddleware).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be 'plain' or 'json', not {LOG_FORMAT!r}.")
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "config.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
            "stream": sys.stderr,
        },
    },
    "loggers": {
        "tdkt": {"handlers": ["console"], "level": LOG_LEVEL},
        "awards": {"handlers": ["console"], "level": LOG_LEVEL},  # modules logging under their own __name__
        "django.security": {"handlers": ["console"], "level": "WARNING"},
        # Server errors with their traceback, in the same format (Django's own handler prints only under DEBUG).
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# HTTP Strict Transport Security, once the site is served over HTTPS only (docs/deployment.md, "Production
# headers"): browsers then refuse plain HTTP to this host for that many seconds. 0 (the default) sends none.
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = False
# The browsers' preload list takes registrable domains (dongnai.gov.vn), not the host TĐKT runs on: not ours to set.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# Content-Security-Policy (django-csp): our own scripts, styles, images and fonts only, nothing inline, no
# framing, forms posting to us alone. A page that needs more breaks visibly in development, not silently.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"], "script-src": ["'self'"], "style-src": ["'self'"], "img-src": ["'self'", "data:"],
        "font-src": ["'self'"], "connect-src": ["'self'"], "object-src": ["'none'"], "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"], "form-action": ["'self'"],
    },
}  # fmt: skip

# Reverse proxy. TRUSTED_PROXIES lists the proxies' addresses or networks (e.g. 10.0.0.5,10.1.0.0/24): only a
# request coming straight from one of them may say it arrived over HTTPS (X-Forwarded-Proto) and who the
# client is (X-Forwarded-For); from anyone else awards.middleware.ForwardedHeadersMiddleware drops both.
# awards.views.http.client_ip reads the client for the audit trail and the login lockout alike.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
AXES_CLIENT_IP_CALLABLE = "awards.views.http.client_ip"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# Load balancers probe the nodes over plain HTTP (awards.middleware.HEALTH_PATHS; matched without the "/").
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# The REST API under /api/v1/ (awards/api, docs/api.md): the session or a personal token (django-rest-knox,
# hashed, bound to one membership), JSON only, Vietnamese errors in one shape, bounded pages.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "awards.api.auth.TokenAuthentication",  # first: an anonymous request is told 401 with WWW-Authenticate
        "awards.api.auth.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "awards.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "awards.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "awards.api.schema.AutoSchema",
    "DATE_INPUT_FORMATS": ["iso-8601"],  # machines send 2025-01-05, never the pages' 05/01/2025
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
KNOX_TOKEN_MODEL = "awards.ApiToken"
REST_KNOX = {
    "TOKEN_MODEL": KNOX_TOKEN_MODEL,
    "TOKEN_PREFIX": "tdkt_",  # recognisable in a leaked file or a secret scanner
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_TTL": timedelta(days=90),  # the longest a token may live; its owner picks a shorter one
}
# knox's own token table is swapped for ours: its migrations would create an unused table.
MIGRATION_MODULES = {"knox": None}
SPECTACULAR_SETTINGS = {
    "TITLE": "TĐKT API",
    "DESCRIPTION": "The commendation workflow's REST API: the same rules, scoping and audit as the pages (docs/api.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],  # the schema is for the product's users
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "NominationStatusEnum": "awards.models.NominationStatus",
        "ReportStatusEnum": "awards.models.ReportStatus",
        "DecisionStatusEnum": "awards.models.DecisionStatus",
        "DocumentStatusEnum": "awards.models.DocumentStatus",
        "UnitKindEnum": "awards.models.UnitKind",
        "NomineeKindEnum": "awards.models.NomineeKind",
        "DecisionKindEnum": "awards.models.DecisionKind",
        "DocumentKindEnum": "awards.models.DocumentKind",
        "NotificationKindEnum": "awards.models.NotificationKind",
        "StepEnum": "awards.models.Step",
    },
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums"],
}
IDEMPOTENCY_KEY_HOURS = 24  # how long a stored response answers a retry

# Demo accounts' password (seed_demo); printed by `make run`.
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "tdkt-demo-2024")
