"""Versions of the data, kept in the cache: what a cached page or user was built from.

A version is a name ("community:12", "user:7", "scopes", "all") and the time it last
changed. Whatever is cached from the data records the versions it read first and is
valid while they have not moved (lib.pagecache, access.scope.load_user). Writes move
them:

- every save and delete of a model of the apps given to `watch()` moves the version of
  its community (the row's own `community_id`, else the first chain of foreign keys
  that leads to one, read with one query), or "all" when it has none;
- a write that bypasses the model signals (`QuerySet.update()`, `bulk_create`, raw SQL)
  calls `changed()` itself with what it touched.

A version moves at once and again when the transaction commits: a reader between the
two may cache what it read before the commit, and the second move makes that stale.
A version missing from the cache (flushed, evicted) is set anew when read, so nothing
cached before can match it again."""

import time
from itertools import count

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

PREFIX = "version:"
ALL = "all"
# Versions live until they move again; what depends on them has its own timeout.
_unique = count()


def community(pk) -> str:
    return f"community:{pk}"


def user(pk) -> str:
    return f"user:{pk}"


def _stamp() -> str:
    return f"{time.time_ns()}.{next(_unique)}"


def changed(*names) -> None:
    """Move these versions now and when the current transaction commits."""
    names = {name for name in names if name}
    if not names:
        return

    def move():
        stamp = _stamp()
        cache.set_many({PREFIX + name: stamp for name in names}, timeout=None)

    move()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(move)


def read(names, *, also=()) -> tuple:
    """The current versions of `names`, in their order, in one cache round trip; with
    `also`, a second value: the entries of the cache under those keys found with them."""
    keys = [PREFIX + name for name in names]
    found = cache.get_many([*keys, *also])
    entries = {key: found.pop(key) for key in also if key in found}
    missing = [key for key in keys if key not in found]
    if missing:
        stamp = _stamp()
        for key in missing:
            # Another process may set it first: read what won.
            cache.add(key, stamp, timeout=None)
        found.update(cache.get_many(missing))
    versions = tuple(found.get(key) for key in keys)
    return (versions, entries) if also else versions


# Watching models: which version a row's write moves.

_community_paths = {}


def _path_to_community(model, depth=3):
    """The lookup from a row of `model` to its community's id ("community_id",
    "meeting__community_id", …): the first chain of at most `depth` foreign keys that
    reaches a `community` foreign key; None when there is none."""
    from django.apps import apps

    community_model = apps.get_model("communities", "Community")
    if model is community_model:
        return "pk"
    frontier = [(model, "")]
    for _ in range(depth):
        following = []
        for current, prefix in frontier:
            keys = [f for f in current._meta.concrete_fields if f.many_to_one]
            if any(f.name == "community" and f.related_model is community_model for f in keys):
                return f"{prefix}community_id"
            following += [(f.related_model, f"{prefix}{f.name}__") for f in keys]
        frontier = following
    return None


def _community_of(instance):
    path = _community_paths.get(type(instance))
    if path is None:
        return None
    if path == "pk":
        return instance.pk
    if path == "community_id":
        return instance.community_id
    return (
        type(instance)._default_manager.filter(pk=instance.pk).values_list(path, flat=True).first()
    )


def _saved(sender, instance, **kwargs):
    place = _community_of(instance)
    changed(community(place) if place else ALL)


def _deleting(sender, instance, **kwargs):
    # Read before the row is gone; moved again after it is.
    instance._version_community = _community_of(instance)


def _deleted(sender, instance, **kwargs):
    place = getattr(instance, "_version_community", None)
    changed(community(place) if place else ALL)


def _m2m(sender, instance, action, **kwargs):
    if action.startswith("post_"):
        _saved(sender, instance)


def watch(app_labels) -> None:
    """Move versions on every write of the models of these apps (called once, at start)."""
    from django.apps import apps

    for label in app_labels:
        for model in apps.get_app_config(label).get_models():
            _community_paths[model] = _path_to_community(model)
            uid = f"versions:{model._meta.label}"
            post_save.connect(_saved, sender=model, dispatch_uid=uid)
            pre_delete.connect(_deleting, sender=model, dispatch_uid=uid)
            post_delete.connect(_deleted, sender=model, dispatch_uid=uid)
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(_m2m, sender=field.remote_field.through, dispatch_uid=uid)
