"""Shared test set-up. Tests need real PostgreSQL and Redis: a missing service stops the
run at once with a message saying what to start, never a silent skip."""

import shutil

import pytest


def pytest_sessionstart(session):
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        pytest.exit("Tests run on PostgreSQL: set DATABASE_URL to a postgres:// URL.", returncode=3)
    import psycopg2

    try:
        psycopg2.connect(
            host=database["HOST"] or "127.0.0.1",
            port=database["PORT"] or 5432,
            user=database["USER"],
            password=database["PASSWORD"],
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except psycopg2.OperationalError as error:
        pytest.exit(
            f"PostgreSQL is not reachable ({error.args[0].strip()}). Start it (see .ci/run).",
            returncode=3,
        )
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except (redis.RedisError, ValueError) as error:
        pytest.exit(f"Redis is not reachable at {settings.REDIS_URL}: {error}", returncode=3)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the product's language: a request activates its visitor's
    language for the thread (lib.middleware) and nothing resets it between tests."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads of each test go to a directory of their own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture
def world(db):
    from tests.world import build_small_world

    return build_small_world()


@pytest.fixture(autouse=True)
def _fresh_throttles(monkeypatch):
    """Rate limits counted in the cache start from nothing in each test: the cache outlives
    tests (and its keys are shared by every test of a run)."""
    import uuid

    from reach import throttle

    monkeypatch.setattr(throttle, "PREFIX", f"reach:throttle:{uuid.uuid4().hex}:")


@pytest.fixture
def sms_outbox():
    """The phone: every SMS the locmem backend "sent", emptied before the test."""
    from notifications.sms import LocmemSMSBackend

    LocmemSMSBackend.outbox.clear()
    return LocmemSMSBackend.outbox


@pytest.fixture(autouse=True)
def _user_loaded_at_login(monkeypatch):
    """A logged-in test client's user is in the cache from the login on, as after a first
    page in production (access.scope.load_user): the queries a test counts are the
    page's own, whichever request of the client comes first."""
    from django.test.client import ClientMixin

    from access.scope import load_user

    login = ClientMixin._login

    def _login(self, user, backend=None):
        login(self, user, backend)
        load_user(user.pk)

    monkeypatch.setattr(ClientMixin, "_login", _login)


@pytest.fixture(autouse=True)
def _fresh_calendar(monkeypatch):
    """The working calendar's days entered by hand are cached: each test reads its own."""
    import uuid

    from core import calendar

    monkeypatch.setattr(calendar, "CACHE_KEY", f"worktime:entered-days:{uuid.uuid4().hex}")
    calendar._memo = None
    yield
    calendar._memo = None
