"""Who runs a street and a community: people's accounts, the work rules, the calendar and
the reminder schedules (the 管理 pages).

- Street admins manage everything of their streets' communities: staff (heads included),
  grid workers, residents' and contacts' accounts, each community's presence rules and
  fixed days; and their streets' own rules: categories and time limits, publication and
  evaluation periods. The holiday calendar is the country's and the reminder schedules
  are the district's: every street admin keeps them (any of them may enter the next
  year's days when the State Council publishes them).
- A community head (staff with is_head) manages the grid workers of their community and
  the accounts of its residents and organizations' contacts, its presence rules and its
  fixed days; they see the community's staff but do not change them.
- Other staff, grid workers, residents and contacts manage no one.
- The superuser keeps everything (and Django admin).

Every rule below runs on the loaded scope (access.scope), without queries, except the
scoping querysets.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from accounts.models import Role, User
from communities.models import Community, Grid, Organization, Street

from .scope import get_scope

# The roles each kind of manager opens accounts for.
STREET_ADMIN_ROLES = (Role.STAFF, Role.GRID_WORKER, Role.RESIDENT, Role.ORG_CONTACT)
HEAD_ROLES = (Role.GRID_WORKER, Role.RESIDENT, Role.ORG_CONTACT)


def _is_superuser(user) -> bool:
    return bool(getattr(user, "is_superuser", False) and getattr(user, "is_active", False))


def is_community_head(user) -> bool:
    scope = get_scope(user)
    return scope.is_staff and scope.is_head


# ---------------------------------------------------------------- people and accounts


def can_manage_accounts(user) -> bool:
    """The 人员与账号 pages: street admins and community heads."""
    scope = get_scope(user)
    return scope.is_street_admin or (scope.is_staff and scope.is_head)


def roles_manageable_by(user) -> tuple[str, ...]:
    scope = get_scope(user)
    if scope.is_street_admin:
        return STREET_ADMIN_ROLES
    if scope.is_staff and scope.is_head:
        return HEAD_ROLES
    return ()


def account_communities_for(user):
    """The communities whose people the user manages (to pick in forms and filters)."""
    if not can_manage_accounts(user):
        return Community.objects.none()
    return Community.objects.filter(
        pk__in=get_scope(user).community_ids, archived_at__isnull=True
    ).order_by("area_code")


def account_grids_for(user, community_ids=None):
    """The grids a manager may give a grid worker."""
    if not can_manage_accounts(user):
        return Grid.objects.none()
    ids = get_scope(user).community_ids
    if community_ids is not None:
        ids = ids & set(community_ids)
    return Grid.objects.filter(community__in=ids, archived_at__isnull=True).order_by("code")


def accounts_in(community_ids):
    """Accounts of people working or living in these communities: staff of them, workers
    of their grids, their residents, contacts of organizations serving them. Subqueries,
    so a person in two of them is one row."""
    return (
        Q(
            pk__in=User.communities.through.objects.filter(community_id__in=community_ids).values(
                "user_id"
            )
        )
        | Q(
            pk__in=User.grids.through.objects.filter(grid__community_id__in=community_ids).values(
                "user_id"
            )
        )
        | Q(resident__community_id__in=community_ids)
        | Q(
            organization__in=Organization.objects.filter(communities__in=community_ids).values("pk")
        )
    )


def accounts_visible_to(user):
    """The accounts on the user's 人员与账号 list: every account of their communities,
    street admins and superusers aside (the superuser keeps those in Django admin)."""
    scope = get_scope(user)
    if not can_manage_accounts(user):
        return User.objects.none()
    accounts = User.objects.exclude(role=Role.STREET_ADMIN).filter(is_superuser=False)
    return accounts.filter(accounts_in(scope.community_ids))


def can_manage_role(user, role: str) -> bool:
    return role in roles_manageable_by(user)


def can_manage_account(user, account, *, community_ids=None) -> bool:
    """Change an account: its role is one the user manages, and every community it works
    in (`community_ids`, loaded by the caller, or the account's own) is the user's. A
    head never changes staff, and nobody changes their own role or scope here."""
    scope = get_scope(user)
    if account.pk == scope.user_id or not can_manage_role(user, account.role):
        return False
    if community_ids is None:
        community_ids = account_community_ids(account)
    return bool(community_ids) and set(community_ids) <= scope.community_ids


def account_community_ids(account) -> set[int]:
    """The communities an account works or lives in (for the rules above). Two queries
    at most; the account page loads them once."""
    if account.role == Role.STAFF:
        return set(account.communities.values_list("pk", flat=True))
    if account.role == Role.GRID_WORKER:
        return set(account.grids.values_list("community_id", flat=True))
    if account.role == Role.RESIDENT and account.resident_id:
        return {account.resident.community_id}
    if account.role == Role.ORG_CONTACT and account.organization_id:
        return set(
            Organization.communities.through.objects.filter(
                organization_id=account.organization_id
            ).values_list("community_id", flat=True)
        )
    return set()


def get_account_for_user(user, pk, *, write=False):
    """An account on the user's list (else 404); with write=True one they may change
    (else 403). The account carries `community_ids` for the page and the services."""
    try:
        account = (
            accounts_visible_to(user)
            .select_related("resident__community", "contact__organization", "organization")
            .get(pk=pk)
        )
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    account.community_ids = account_community_ids(account)
    if write and not can_manage_account(user, account, community_ids=account.community_ids):
        raise PermissionDenied
    return account


def can_give_account_in(user, community_id, role) -> bool:
    """Open an account of a role for a person of a community."""
    return can_manage_role(user, role) and community_id in get_scope(user).community_ids


# ---------------------------------------------------------------- the rules of a street


def streets_managed_by(user):
    """The streets whose own rules (categories, time limits, periods) the user keeps."""
    scope = get_scope(user)
    if not scope.is_street_admin:
        return Street.objects.none()
    return Street.objects.filter(pk__in=scope.street_ids).order_by("code")


def can_manage_street_rules(user, street_id=None) -> bool:
    scope = get_scope(user)
    if street_id is None:
        return scope.is_street_admin
    return scope.is_street_admin and street_id in scope.street_ids


def get_street_for_user(user, pk, *, write=False) -> Street:
    """A street of the admin's (else 404). Only street admins have streets here."""
    try:
        street = streets_managed_by(user).get(pk=pk)
    except (Street.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    return street


def can_see_work_rules(user) -> bool:
    """The 工作规则 pages: street admins (and the community heads, for their community's
    part, which they reach from it)."""
    scope = get_scope(user)
    return scope.is_street_admin or (scope.is_staff and scope.is_head)


# ---------------------------------------------------------------- a community's rules


def can_manage_community_rules(user, community_id) -> bool:
    """Presence rules and fixed days of a community: its street's admins and its head."""
    scope = get_scope(user)
    return scope.is_admin_of_community(community_id) or (
        scope.is_staff_of(community_id) and scope.is_head
    )


def rule_communities_for(user):
    """The communities whose presence rules and fixed days the user keeps."""
    scope = get_scope(user)
    if scope.is_street_admin or (scope.is_staff and scope.is_head):
        ids = scope.community_ids
    else:
        return Community.objects.none()
    return Community.objects.filter(pk__in=ids, archived_at__isnull=True).order_by("area_code")


def get_rule_community_for_user(user, pk) -> Community:
    """A community whose rules the user keeps: others they see are 403, the rest 404."""
    scope = get_scope(user)
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if pk not in scope.community_ids or not scope.works_for_community:
        raise Http404
    if not can_manage_community_rules(user, pk):
        raise PermissionDenied
    try:
        return Community.objects.select_related("street").get(pk=pk, archived_at__isnull=True)
    except Community.DoesNotExist:
        raise Http404 from None


# ---------------------------------------------------------------- the country's and district's


def can_manage_calendar(user) -> bool:
    """The working calendar is the country's: every street admin may enter the days the
    State Council publishes."""
    return get_scope(user).is_street_admin or _is_superuser(user)


def can_manage_schedules(user) -> bool:
    """The reminder schedules run for the whole district: street admins switch and time
    them."""
    return get_scope(user).is_street_admin or _is_superuser(user)


# ---------------------------------------------------------------- SMS consent


def can_record_sms_consent(user, *, community_id, grid_id=None) -> bool:
    """Staff of the person's community, the workers of their grid, and the street's
    admins record what the person said about text messages."""
    scope = get_scope(user)
    return (
        scope.is_staff_of(community_id)
        or scope.is_admin_of_community(community_id)
        or (grid_id is not None and scope.is_worker_of_grid(grid_id))
    )


def can_administer(user) -> bool:
    """The 管理 entry of the bar: street admins and community heads."""
    return can_manage_accounts(user)


def contact_consent_recordable(user, community_ids) -> bool:
    """An organization's contacts: staff and street admins of a community it serves."""
    return any(can_record_sms_consent(user, community_id=c) for c in community_ids)


# ---------------------------------------------------------------- SMS budget


def can_set_sms_budget(user, community_id) -> bool:
    """A community's SMS budget is the street's money: its admins set it."""
    return get_scope(user).is_admin_of_community(community_id)


def sms_budget_communities_for(user):
    """The communities whose SMS budget and spending the user sees: a street admin's, a
    community head's own."""
    return rule_communities_for(user)
