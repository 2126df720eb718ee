"""Development and the `make run` demo: SQLite and the filesystem broker unless
DATABASE_URL and REDIS_URL say otherwise."""

import os

os.environ.setdefault("SECRET_KEY", "dev-only-not-secret-3b0c1c2f6b5e4b8d9a7f0e1d2c3b4a59")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

from .base import *  # noqa: F403
from .base import VAR_DIR, env

if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    # Emails of the demo are written as files to var/mail/ (an absolute path: the URL form
    # of the file backend drops the leading slash).
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")

# Text messages of the demo are written to var/sms/ (one JSON line each) as well as the
# worker's log; staff read them, with their status, under 发送记录.
SMS_BACKEND = env("SMS_BACKEND", default="notifications.sms.FileSMSBackend")
SMS_FILE_PATH = str(VAR_DIR / "sms")
