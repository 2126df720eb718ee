from dataclasses import dataclass, field

from accounts.models import Role
from communities.models import Community, Grid, Organization, Resident


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
