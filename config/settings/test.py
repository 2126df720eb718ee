"""Tests run against real PostgreSQL and Redis. There is no fallback: a missing service
fails the run (see tests/conftest.py)."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret-5d7e9f1a3c5b7d9e1f3a5c7e9b1d3f5a")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/yishi")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")
os.environ.setdefault("MEDIA_ROOT", "/tmp/yishi-test-media")
os.environ.setdefault("ATTACHMENTS_ROOT", "/tmp/yishi-test-attachments")

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run in-process unless a test starts a real worker (marker celery_worker).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
SMS_BACKEND = "notifications.sms.LocmemSMSBackend"
# Tests run at any hour of the day: the quiet hours' own tests switch them on and say when
# it is (notifications/tests/test_digests.py).
SMS_QUIET_HOURS = None

# Each run (and each xdist worker) keys its cache apart: records of different test databases
# share primary keys and frozen timestamps, and must not read each other's cached pages.
CACHES["default"]["KEY_PREFIX"] = f"yishi-test-{os.getpid()}-{os.urandom(4).hex()}"  # noqa: F405
