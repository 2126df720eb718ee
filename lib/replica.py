"""Reads of reports, dashboards and exports from a PostgreSQL streaming replica.

With DATABASE_REPLICA_URL set (config/settings/base.py), the database alias "replica"
exists and ReplicaRouter sends a read there only inside `replica_reads()`, which the views
that only read (reports, dashboards, exports) open with the @reads_from_replica decorator.
Everything else, and within those views:

- every write, and every read after a write of the same request, goes to the primary;
- a browser that wrote in the last REPLICA_STICKY_SECONDS reads from the primary too
  (StickToPrimaryMiddleware: a cookie set on its writes), so people see what they just did
  even while the replica lags behind.

Pages read from the replica are not kept in the page cache (lib.pagecache): the replica may
not hold yet what the versions they would be kept under say."""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.utils import timezone

REPLICA = "replica"
COOKIE = "yishi_primary_until"

# Per request (or task): whether reads may go to the replica now, whether this request
# wrote, whether it read from the replica, whether its browser wrote a moment ago.
_replica_ok = ContextVar("replica_ok", default=False)
_wrote = ContextVar("wrote", default=False)
_used = ContextVar("used_replica", default=False)
_pinned = ContextVar("pinned_to_primary", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads():
    """Reads inside go to the replica (when there is one and nothing pins them)."""
    token = _replica_ok.set(True)
    try:
        yield
    finally:
        _replica_ok.reset(token)


def reads_from_replica(view):
    """The view only reads: its reads may be served by the replica."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapped


def used_replica() -> bool:
    """Whether this request has read anything from the replica."""
    return _used.get()


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            _replica_ok.get()
            and not _wrote.get()
            and not _pinned.get()
            and replica_configured()
            and model._meta.app_label not in PRIMARY_ONLY_APPS
        ):
            _used.set(True)
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        _wrote.set(True)
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same database, one of them a copy of the other

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


# Read where they are written, whatever the view: sessions (loaded again after a login).
PRIMARY_ONLY_APPS = {"sessions"}


class StickToPrimaryMiddleware:
    """A browser that writes reads from the primary for REPLICA_STICKY_SECONDS after: long
    enough for the replica to replay what it wrote."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        now = timezone.now().timestamp()
        try:
            pinned = float(request.COOKIES.get(COOKIE, 0)) > now
        except ValueError:
            pinned = False
        tokens = [_pinned.set(pinned), _wrote.set(False), _used.set(False)]
        try:
            response = self.get_response(request)
            if _wrote.get() or request.method not in ("GET", "HEAD", "OPTIONS"):
                seconds = settings.REPLICA_STICKY_SECONDS
                response.set_cookie(
                    COOKIE,
                    str(now + seconds),
                    max_age=seconds,
                    httponly=True,
                    samesite="Lax",
                    secure=request.is_secure(),
                )
            return response
        finally:
            for var, token in zip((_pinned, _wrote, _used), tokens, strict=True):
                var.reset(token)
