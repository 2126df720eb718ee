"""Production-like settings for the benchmarks: DEBUG off, no HTTPS redirect (loopback),
WhiteNoise serving static files from the finders (no collectstatic needed), quiet logs."""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-" + "k3y" * 20)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ["DEBUG"] = "false"

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False
# Keep database connections open between requests, as a production deployment would.
DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
LOGGING["loggers"] = {"django.request": {"handlers": ["console"], "level": "ERROR"}}

# Static files come from the finders; there is no collected STATIC_ROOT to warn about.
import warnings  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")
