"""Settings shared by every environment; each value that differs between machines comes
from the environment (django-environ), as in cookiecutter-django."""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

SECRET_KEY = env("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Applications, lowest layer first: the domain apps depend one way,
# communities <- issues <- meetings <- resolutions; reports and the API read from all.
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_celery_beat",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "csp",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
]
PROJECT_APPS = [
    "communities",
    "accounts",
    "core",
    "reach",
    "notifications",
    "issues",
    "meetings",
    "resolutions",
    "reports",
    "administration",
    "search",
    "api",
    "demo",
]
INSTALLED_APPS += PROJECT_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lib.replica.StickToPrimaryMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lib.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# Database: PostgreSQL in production and tests; an embedded SQLite file for `make run`.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections, checked before reuse so a PostgreSQL restart heals itself.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Outside a transaction Django declares server-side cursors WITH HOLD, which PostgreSQL
    # materializes whole anyway; each select of a form paid three round trips for nothing.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
else:
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
# A PostgreSQL streaming replica (hot standby), read by reports, dashboards and exports
# (lib.replica): the primary's connection settings, no test database of its own.
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **env.db("DATABASE_REPLICA_URL"),
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
        "CONN_HEALTH_CHECKS": True,
        "DISABLE_SERVER_SIDE_CURSORS": True,
        "ATOMIC_REQUESTS": False,
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["lib.replica.ReplicaRouter"]
# A browser that wrote reads from the primary for this long after (lib.replica).
REPLICA_STICKY_SECONDS = env.int("REPLICA_STICKY_SECONDS", default=15)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, whose request user comes with their scope from the cache.
    "access.backends.ScopedModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions end after a working day, or sooner when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 10)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
# Read from the cache (Redis), written to the database too: a restarted Redis logs no one
# out (benchmarks/README.md: one query less on every page).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Login throttling: five failures lock the username from that address for an hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Language and time: Chinese first, English on request.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Our catalogues come first. Django merges an installed app's catalogue under those of
# the apps listed before it, so django.contrib.admin's "Filter" (过滤器) and
# django_celery_beat's "Name" (任务名) and "Minutes" (分钟) would win over ours; catalogues
# in LOCALE_PATHS win over every app's.
LOCALE_PATHS = [BASE_DIR / "locale", *(BASE_DIR / app / "locale" for app in PROJECT_APPS)]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Attachments (sign-in sheets, agreement scans …) are never served as media: a view reads
# them after asking access/ whether the user sees the record they belong to.
ATTACHMENTS_ROOT = Path(env("ATTACHMENTS_ROOT", default=str(VAR_DIR / "attachments")))
ATTACHMENTS_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(ATTACHMENTS_ROOT), "base_url": None},
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "attachments": ATTACHMENTS_STORAGE,
}

# Uploads: photos and documents, checked by content (lib.uploads); requests stay small.
UPLOAD_MAX_IMAGE_BYTES = env.int("UPLOAD_MAX_IMAGE_BYTES", default=8 * 1024 * 1024)
UPLOAD_MAX_IMAGE_PIXELS = env.int("UPLOAD_MAX_IMAGE_PIXELS", default=40_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# Redis is the broker and cache when REDIS_URL is set; otherwise `make run` uses kombu's
# filesystem transport and a cache in files, so no server is needed. The cache is shared by
# the web server and the Celery worker: what the worker writes moves the versions the
# server's cached pages and users are checked against (lib.versions).
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "yishi",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
else:
    BROKER_DIR = VAR_DIR / "broker"
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
    }

CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must not hang a request when Redis is down: the sweeps catch up later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# Email: console in development, SMTP through EMAIL_URL in production.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="议事 Yishi <noreply@yishi.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Absolute links in emails, notifications and QR codes. Without SITE_URL they point at the
# port the demo is served on (bin/run-demo exports PORT to the server and the worker alike).
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}").rstrip("/")

# The address personal short links (/s/…) are built on: SITE_URL, or a short domain of
# its own that keeps every SMS within one 70-character segment.
SHORT_LINK_URL = env("SHORT_LINK_URL", default=SITE_URL).rstrip("/")

# SMS goes through a pluggable backend (see notifications/sms.py).
SMS_BACKEND = env("SMS_BACKEND", default="notifications.sms.LoggingSMSBackend")
# No SMS from 21:00 to 08:00 Beijing time (hours, start and end): what is due then waits
# for the morning digest, an invitation's SMS for 08:00 (notifications.routing).
SMS_QUIET_HOURS = (21, 8)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Content-Security-Policy: scripts only from our own static files, never inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Yishi API",
    "DESCRIPTION": "Issues, meetings, resolutions and places of community deliberation.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {
        "IssueKindEnum": "issues.models.Kind",
        "IssueStatusEnum": "issues.models.Status",
        "MeetingStatusEnum": "meetings.models.Meeting.Status",
        "ResolutionStatusEnum": "resolutions.models.Resolution.Status",
        "ActionItemStatusEnum": "resolutions.models.ActionItem.Status",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # WeasyPrint and fontTools report every step of a PDF at INFO.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}

# The apps whose every write moves the version of its community (lib.versions): the
# pages cached per user (lib.pagecache) are valid while those versions stand.
DATA_VERSION_APPS = [
    "communities",
    "issues",
    "meetings",
    "resolutions",
    "core",
    "reach",
    "notifications",
]
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)

# A one-time link to set a password (accounts.services.account_password_link) works for
# three days, once.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

# Domain settings (defaults; the admin can tune the ones kept in the database).
YISHI = {
    # Days overdue after which an action item is escalated to the community head.
    "ESCALATE_AFTER_DAYS_OVERDUE": env.int("YISHI_ESCALATE_AFTER_DAYS", default=3),
    # Days after closure when a revisit (事后回访) is due.
    "REVISIT_AFTER_DAYS": env.int("YISHI_REVISIT_AFTER_DAYS", default=30),
    # Days residents have to evaluate a result before the issue may close without it.
    "EVALUATION_PERIOD_DAYS": env.int("YISHI_EVALUATION_PERIOD_DAYS", default=7),
    # Default publication period (公示) of a resolution, in days.
    "PUBLICATION_DAYS": env.int("YISHI_PUBLICATION_DAYS", default=7),
    # Open issues of the same category within this many metres of a new one are offered
    # as possible duplicates at intake, beside those whose text looks alike.
    "DUPLICATE_RADIUS_METRES": env.int("YISHI_DUPLICATE_RADIUS_METRES", default=150),
}

# Maps (lib.maps): the tile source. MAP_TILE_URL is a Leaflet template such as
# https://{s}.tile.example.org/{z}/{x}/{y}.png, drawn in MAP_TILE_DATUM (wgs84, or gcj02 for
# the commercial Chinese providers); TIANDITU_KEY alone configures 天地图. With neither, maps
# draw the product's own compounds, buildings and markers on a plain background.
MAP_TILE_URL = env("MAP_TILE_URL", default="")
MAP_TILE_SUBDOMAINS = env("MAP_TILE_SUBDOMAINS", default="abc")
MAP_TILE_DATUM = env("MAP_TILE_DATUM", default="wgs84")
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", default="")
TIANDITU_KEY = env("TIANDITU_KEY", default="")
# Where a map with nothing on it yet opens ("lat,lng", WGS-84): the city the site serves.
MAP_CENTRE = env("MAP_CENTRE", default="")
MAP_ZOOM = env.int("MAP_ZOOM", default=13)
if MAP_TILE_DATUM not in ("wgs84", "gcj02"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("MAP_TILE_DATUM is wgs84 or gcj02.")
