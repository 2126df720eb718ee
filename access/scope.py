from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.cache import cache

from accounts.models import Role
from communities.models import Community, Grid, Organization, Resident
from lib import versions


@dataclass(frozen=True)
class Scope:
    """Where a user works. Loaded once per request; role checks on it run no queries."""

    user_id: int | None
    role: str | None
    is_head: bool = False
    street_ids: frozenset[int] = field(default_factory=frozenset)
    community_ids: frozenset[int] = field(default_factory=frozenset)
    grid_ids: frozenset[int] = field(default_factory=frozenset)
    resident_id: int | None = None
    household_id: int | None = None
    organization_id: int | None = None
    # The kind of the contact's organization: a law firm's contact is the community's
    # legal adviser (法律顾问), who reviews agreements.
    organization_kind: str = ""

    @property
    def is_authenticated(self):
        return self.user_id is not None

    @property
    def is_street_admin(self):
        return self.role == Role.STREET_ADMIN

    @property
    def is_staff(self):
        return self.role == Role.STAFF

    @property
    def is_grid_worker(self):
        return self.role == Role.GRID_WORKER

    @property
    def is_resident(self):
        return self.role == Role.RESIDENT

    @property
    def is_org_contact(self):
        return self.role == Role.ORG_CONTACT

    @property
    def is_legal_adviser(self):
        """The contact of a law firm serving communities: their legal adviser."""
        return self.is_org_contact and self.organization_kind == Organization.Kind.LEGAL

    def is_legal_adviser_of(self, community_id):
        return self.is_legal_adviser and community_id in self.community_ids

    @property
    def works_for_community(self):
        """Staff, grid workers and street admins: the people who run the work."""
        return self.role in (Role.STAFF, Role.GRID_WORKER, Role.STREET_ADMIN)

    def is_staff_of(self, community_id):
        return self.is_staff and community_id in self.community_ids

    def is_worker_of_grid(self, grid_id):
        return self.is_grid_worker and grid_id in self.grid_ids

    def is_admin_of_community(self, community_id):
        return self.is_street_admin and community_id in self.community_ids


ANONYMOUS = Scope(user_id=None, role=None)


def get_scope(user) -> Scope:
    """The user's scope, computed with at most two queries and cached on the user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_yishi_scope", None)
    if cached is not None:
        return cached
    scope = _load_scope(user)
    user._yishi_scope = scope
    return scope


def forget_scope(user):
    """Drop the cached scope after the user's assignments change."""
    if hasattr(user, "_yishi_scope"):
        del user._yishi_scope


# A request's user, their scope and their number of unread notifications, kept in the
# cache between requests (access.backends.ScopedModelBackend): the session's user id is
# read with them, in one round trip, instead of three to five queries. The entry is valid
# while the versions it was built under have not moved: the user's own (their row, their
# assignments, their notifications: accounts.apps) and "scopes" (the rows a scope is
# read from: residents, grids, communities, organizations).
USER_ENTRY = "scoped-user:{}"
USER_ENTRY_SECONDS = 3600


def user_versions(user_id):
    return ("scopes", versions.user(user_id))


def load_user(user_id):
    """The active or inactive user of this id with their scope loaded, or None."""
    key = USER_ENTRY.format(user_id)
    current, entries = versions.read(user_versions(user_id), also=[key])
    entry = entries.get(key)
    if entry is not None and entry[0] == current:
        _built, user, scope, unread = entry
    else:
        user = get_user_model()._default_manager.filter(pk=user_id).first()
        if user is None:
            return None
        scope = _load_scope(user) if user.is_active else ANONYMOUS
        unread = user.notifications.filter(read_at__isnull=True).count()
        cache.set(key, (current, user, scope, unread), USER_ENTRY_SECONDS)
    user._yishi_scope = scope
    user.unread_notifications = unread
    return user


def _load_scope(user) -> Scope:
    base = {"user_id": user.pk, "role": user.role, "is_head": user.is_head}
    if user.role == Role.STREET_ADMIN:
        streets = frozenset(user.streets.values_list("pk", flat=True))
        communities = frozenset(
            Community.objects.filter(street__in=streets).values_list("pk", flat=True)
        )
        return Scope(**base, street_ids=streets, community_ids=communities)
    if user.role == Role.STAFF:
        rows = list(user.communities.values_list("pk", "street_id"))
        return Scope(
            **base,
            community_ids=frozenset(pk for pk, _ in rows),
            street_ids=frozenset(street for _, street in rows),
        )
    if user.role == Role.GRID_WORKER:
        rows = list(
            Grid.objects.filter(workers=user).values_list(
                "pk", "community_id", "community__street_id"
            )
        )
        return Scope(
            **base,
            grid_ids=frozenset(row[0] for row in rows),
            community_ids=frozenset(row[1] for row in rows),
            street_ids=frozenset(row[2] for row in rows),
        )
    if user.role == Role.RESIDENT and user.resident_id:
        row = (
            Resident.objects.filter(pk=user.resident_id, archived_at__isnull=True)
            .values_list("community_id", "household_id", "community__street_id")
            .first()
        )
        if row is None:
            return Scope(**base)
        community, household, street = row
        return Scope(
            **base,
            resident_id=user.resident_id,
            household_id=household,
            community_ids=frozenset([community]),
            street_ids=frozenset([street]),
        )
    if user.role == Role.ORG_CONTACT and user.organization_id:
        # values_list reuses the join of the filter: each row carries the kind of the
        # user's own organization, so the kind costs no second query.
        rows = list(
            Community.objects.filter(organizations=user.organization_id).values_list(
                "pk", "street_id", "organizations__kind"
            )
        )
        return Scope(
            **base,
            organization_id=user.organization_id,
            organization_kind=rows[0][2] if rows else "",
            community_ids=frozenset(row[0] for row in rows),
            street_ids=frozenset(row[1] for row in rows),
        )
    return Scope(**base)


def get_visible(queryset, visible, **lookup):
    """`queryset.get(**lookup)` among the rows of `visible`, a queryset of the same model.

    The two are ANDed into one query: `pk IN (SELECT pk FROM the same table …)` made
    PostgreSQL plan the table twice (2–4 ms on the issue table, for a 0.1 ms lookup). A
    DISTINCT queryset (joined through a many-valued relation) cannot be ANDed and stays a
    subquery. Raises the model's DoesNotExist like `get()`."""
    if visible.query.distinct or queryset.query.distinct:
        return queryset.filter(pk__in=visible.values("pk")).get(**lookup)
    return (queryset & visible).get(**lookup)


def page_versions(request):
    """What a page cached for this user (lib.pagecache) was built from: the data of every
    community in their scope, data belonging to none ("all"), their own row, assignments
    and notifications, and the rows their scope is read from."""
    if not request.user.is_authenticated:
        return [versions.ALL]
    scope = get_scope(request.user)
    return [
        versions.ALL,
        *user_versions(request.user.pk),
        *(versions.community(pk) for pk in sorted(scope.community_ids)),
    ]


def _user_changed(sender, instance, **kwargs):
    versions.changed(versions.user(instance.pk))


def _assignments_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if not reverse:
        versions.changed(versions.user(instance.pk))
    elif pk_set:
        versions.changed(*(versions.user(pk) for pk in pk_set))
    else:  # a place's whole list of users cleared
        versions.changed("scopes")


def _notification_changed(sender, instance, **kwargs):
    versions.changed(versions.user(instance.recipient_id))


def _scope_rows_changed(sender, **kwargs):
    versions.changed("scopes")


def watch_scopes():
    """Move the versions cached users are checked against (load_user) on every write
    that may change a user or their scope. Connected once, at start (accounts.apps)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from communities.models import Community, Grid, Organization, Resident
    from notifications.models import Notification

    User = get_user_model()
    post_save.connect(_user_changed, sender=User, dispatch_uid="scope-user")
    post_delete.connect(_user_changed, sender=User, dispatch_uid="scope-user")
    for relation in (User.streets, User.communities, User.grids):
        m2m_changed.connect(_assignments_changed, sender=relation.through, dispatch_uid="scope")
    for model in (Resident, Grid, Community, Organization):
        post_save.connect(_scope_rows_changed, sender=model, dispatch_uid="scope-rows")
        post_delete.connect(_scope_rows_changed, sender=model, dispatch_uid="scope-rows")
    m2m_changed.connect(
        _scope_rows_changed, sender=Organization.communities.through, dispatch_uid="scope-rows"
    )

    # The unread count comes with the user: a notification stored, read or removed moves
    # its recipient's version (notifications.services does it for its bulk writes).
    post_save.connect(_notification_changed, sender=Notification, dispatch_uid="scope-unread")
    post_delete.connect(_notification_changed, sender=Notification, dispatch_uid="scope-unread")
