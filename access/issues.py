"""Who may see and change issues, patrols and visits."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from issues.models import Issue, IssueParty, Kind, Status, Summons
from issues.workflow import HEAD, TRANSITIONS

from .scope import get_scope, get_visible


def issues_visible_to(user):
    """Issues the user may open. Disputes are private: only the community's staff, the
    workers of the issue's grid and the parties to it see them."""
    scope = get_scope(user)
    issues = Issue.objects.filter(archived_at__isnull=True)
    if scope.is_staff:
        return issues.filter(community__in=scope.community_ids)
    if scope.is_grid_worker:
        return issues.filter(
            Q(grid__in=scope.grid_ids)
            | Q(community__in=scope.community_ids) & ~Q(kind=Kind.DISPUTE)
        )
    if scope.is_street_admin:
        return issues.filter(community__in=scope.community_ids).exclude(kind=Kind.DISPUTE)
    # The ids of a resident's or an organization's issues come from a UNION of indexed
    # lookups: one OR across joined tables would scan every issue.
    if scope.is_resident and scope.resident_id:
        resident = scope.resident_id
        mine = _ids(Issue.objects.filter(reporter_resident=resident), "pk").union(
            _ids(IssueParty.objects.filter(resident=resident), "issue")
        )
        return issues.filter(pk__in=mine)
    if scope.is_org_contact and scope.organization_id:
        org = scope.organization_id
        involved = _ids(Issue.objects.filter(reporter_organization=org), "pk").union(
            _ids(IssueParty.objects.filter(organization=org), "issue"),
            _ids(Summons.objects.filter(organization=org), "issue"),
            _ids(Issue.objects.filter(resolutions__items__responsible_organization=org), "pk"),
        )
        return issues.filter(pk__in=involved)
    return issues.none()


def issues_public():
    """Issues anyone may follow without signing in (Open311's public service requests):
    public affairs (公共事务) only — never a dispute, nor a special-group need, which is
    about one person — and never an archived one. Their reporters are not named."""
    return Issue.objects.filter(archived_at__isnull=True, kind=Kind.PUBLIC)


def issues_readable_by(user):
    """What Open311 lists to a caller: the public issues, and with a key (or a signed-in
    session) also everything its user may open."""
    if user is None or not get_scope(user).is_authenticated:
        return issues_public()
    return issues_visible_to(user) | issues_public()


def _ids(queryset, field):
    return queryset.order_by().values(field)


def can_edit_issue(user, issue) -> bool:
    """Staff of the community and the workers of the issue's grid edit an issue."""
    scope = get_scope(user)
    return scope.is_staff_of(issue.community_id) or (
        issue.grid_id is not None and scope.is_worker_of_grid(issue.grid_id)
    )


def can_resolve_in(user, community_id) -> bool:
    """Community staff put what a meeting decided on an issue into a resolution."""
    return get_scope(user).is_staff_of(community_id)


def can_answer_hotline(user, issue) -> bool:
    """Those who work the issue answer its 12345 callers: staff of the community and the
    workers of its grid."""
    return can_edit_issue(user, issue)


def can_draft_resolution_for_issue(user, issue) -> bool:
    """An escalated issue (吹哨报到, 干部领办, 村镇联办) is settled by what the departments
    that reported in agreed, not by a meeting: community staff put that into a resolution
    from the issue itself."""
    return issue.status == Status.ESCALATED and can_resolve_in(user, issue.community_id)


def assignees_for(issue):
    """Who may be given the issue: active staff of its community and the workers of its
    grid. A UNION of two indexed lookups: an OR across both link tables made PostgreSQL
    read and sort every user."""
    from accounts.models import Role, User

    # Unordered parts: SQLite refuses ORDER BY (the users' default) inside a UNION.
    ids = _ids(User.objects.filter(role=Role.STAFF, communities=issue.community_id), "pk")
    if issue.grid_id:
        ids = ids.union(_ids(User.objects.filter(role=Role.GRID_WORKER, grids=issue.grid_id), "pk"))
    # The system administrator's account is never given work, whatever its role says.
    return User.objects.filter(is_active=True, is_superuser=False, pk__in=ids)


def can_transition(user, issue, action) -> bool:
    transition = TRANSITIONS.get(action)
    if transition is None:
        return False
    scope = get_scope(user)
    for role in transition.roles:
        if role == HEAD and scope.is_head and scope.is_staff_of(issue.community_id):
            return True
        if role == "staff" and scope.is_staff_of(issue.community_id):
            return True
        if role == "grid_worker" and issue.grid_id and scope.is_worker_of_grid(issue.grid_id):
            return True
        if role == "street_admin" and scope.is_admin_of_community(issue.community_id):
            return True
    return False


def get_issue_for_user(user, pk, *, write=False, queryset=None) -> Issue:
    """The issue, if the user may see it (else 404); with write=True, only if they may also
    change it (else 403)."""
    issues = queryset if queryset is not None else Issue.objects.all()
    try:
        issue = get_visible(issues, issues_visible_to(user), pk=pk)
    except (Issue.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_edit_issue(user, issue):
        raise PermissionDenied
    return issue


def can_record_revisit(user, issue) -> bool:
    """A revisit after closure (事后回访): staff of the community and the workers of the
    issue's grid, on a closed issue. Asked here, with the issue, so the issue page can offer
    the revisit form without reaching into the resolutions app that records it."""
    if issue.status != Status.CLOSED:
        return False
    return can_edit_issue(user, issue)


def can_list_issues(user) -> bool:
    """The work queue and the issue list are the work of those who run the community:
    staff, grid workers and street admins."""
    return get_scope(user).works_for_community


def can_see_own_issues(user) -> bool:
    """A resident follows the issues they reported or are a party to (我的诉求)."""
    return get_scope(user).is_resident


def can_assign_issue(user, issue) -> bool:
    """Those who work the issue give it to someone: staff of the community and the
    workers of its grid."""
    return can_edit_issue(user, issue)


def can_summon(user, issue) -> bool:
    """Departments are summoned (吹哨报到) by those who may escalate the issue: staff of
    the community and the admins of its street."""
    return can_transition(user, issue, "escalate")


def can_record_summons_report(user, issue) -> bool:
    """What a summoned department did is recorded by those who work the issue: staff of
    the community and the workers of its grid."""
    return can_edit_issue(user, issue)


def summonses_visible_to(user):
    """The summonses of the issues the user may open."""
    return Summons.objects.filter(issue__in=issues_visible_to(user).values("pk"))


def get_summons_for_user(user, pk, *, write=False) -> Summons:
    """The summons with its issue, if the user may open the issue (else 404); with
    write=True, only if they may also record the department's report (else 403)."""
    try:
        summons = summonses_visible_to(user).select_related("issue").get(pk=pk)
    except (Summons.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_record_summons_report(user, summons.issue):
        raise PermissionDenied
    return summons


def can_create_issue(user) -> bool:
    """Staff and grid workers log issues from every channel; residents report online."""
    scope = get_scope(user)
    return scope.is_staff or scope.is_grid_worker


def can_report_online(user) -> bool:
    scope = get_scope(user)
    return scope.is_resident and scope.resident_id is not None


def can_comment_issue(user, issue) -> bool:
    return can_edit_issue(user, issue) or get_scope(user).is_admin_of_community(issue.community_id)


def can_merge_issue(user, issue) -> bool:
    return can_transition(user, issue, "merge")


def can_patrol(user) -> bool:
    """Grid workers walk patrols (巡查); staff and street admins read them."""
    return get_scope(user).is_grid_worker


def can_patrol_grid(user, grid) -> bool:
    """A grid worker patrols their own grids only."""
    return get_scope(user).is_worker_of_grid(grid.pk)


def grids_for_patrol(user):
    """The grids the user patrols (grid workers: their own grids)."""
    from communities.models import Grid

    scope = get_scope(user)
    if scope.is_grid_worker:
        return Grid.objects.filter(pk__in=scope.grid_ids, archived_at__isnull=True)
    return Grid.objects.none()


def patrols_visible_to(user):
    """Grid workers see their grids' patrols; staff and street admins their communities'."""
    from issues.models import Patrol

    scope = get_scope(user)
    patrols = Patrol.objects.all()
    if scope.is_grid_worker:
        return patrols.filter(grid__in=scope.grid_ids)
    if scope.is_staff or scope.is_street_admin:
        return patrols.filter(grid__community__in=scope.community_ids)
    return patrols.none()


def can_edit_patrol(user, patrol) -> bool:
    """Only the worker who walks the patrol records it."""
    scope = get_scope(user)
    return scope.is_worker_of_grid(patrol.grid_id) and patrol.worker_id == scope.user_id


def running_patrol_of(user, issue):
    """The patrol the user is walking now whose finding became this issue, or None: after
    turning a finding into an issue the grid worker goes straight back to the patrol. One
    query, and only for an issue that came from a patrol and a grid worker who may walk it."""
    from issues.models import Channel, Patrol

    scope = get_scope(user)
    if not scope.is_grid_worker or issue.channel != Channel.GRID_PATROL:
        return None
    return Patrol.objects.filter(
        findings__issue=issue,
        ended_at__isnull=True,
        worker_id=scope.user_id,
        grid__in=scope.grid_ids,
    ).first()


def get_patrol_for_user(user, pk, *, write=False):
    from issues.models import Patrol

    try:
        patrol = patrols_visible_to(user).select_related("grid__community", "worker").get(pk=pk)
    except (Patrol.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_edit_patrol(user, patrol):
        raise PermissionDenied
    return patrol


def visit_grids_for(user):
    """The grids whose household visits the user sees: a worker's own, a staff member's
    community grids."""
    from communities.models import Grid

    scope = get_scope(user)
    grids = Grid.objects.filter(archived_at__isnull=True)
    if scope.is_grid_worker:
        return grids.filter(pk__in=scope.grid_ids)
    if scope.is_staff or scope.is_street_admin:
        return grids.filter(community__in=scope.community_ids)
    return grids.none()


def get_grid_for_map(user, pk):
    """The grid whose map the user may open: any grid whose page they may open (those who
    run the work of its community); else 404. What the map draws is scoped apart: the
    patrols by patrols_visible_to (a grid's own workers), the issues by issues_visible_to
    (a dispute only for those who may see it)."""
    from communities.models import Grid

    from .communities import grids_visible_to

    try:
        return grids_visible_to(user).select_related("community").get(pk=pk)
    except (Grid.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_see_grid_visits(user, grid) -> bool:
    """The grid's household visits: its workers, and the staff and street admins of its
    community (what visit_grids_for lists), without a query once the scope is loaded."""
    scope = get_scope(user)
    if scope.is_grid_worker:
        return scope.is_worker_of_grid(grid.pk)
    return (scope.is_staff or scope.is_street_admin) and grid.community_id in scope.community_ids


def can_record_visits_in(user, grid) -> bool:
    """Whether the user records visits to the households of a grid they look at: its
    workers and the community's staff (street admins oversee, they do not visit)."""
    scope = get_scope(user)
    return scope.is_staff_of(grid.community_id) or scope.is_worker_of_grid(grid.pk)


def can_visit_households(user) -> bool:
    """Grid workers and staff visit households (入户走访); street admins oversee."""
    scope = get_scope(user)
    return scope.is_grid_worker or scope.is_staff


def households_visitable_by(user):
    """The households the user may visit (what `can_record_visit` allows): staff those of
    their communities, grid workers those with a resident in their grids."""
    from communities.models import Household, Resident

    scope = get_scope(user)
    households = Household.objects.filter(archived_at__isnull=True)
    if scope.is_staff:
        return households.filter(community__in=scope.community_ids)
    if scope.is_grid_worker:
        # A subquery, not a join through residents: one row per household.
        lived_in = Resident.objects.filter(grid__in=scope.grid_ids, archived_at__isnull=True)
        return households.filter(pk__in=lived_in.values("household"))
    return households.none()


def get_household_to_visit(user, pk):
    """The household with its unit, compound and community, if the user may visit it;
    else 404: a household out of the user's reach is not there for them."""
    from communities.models import Household

    try:
        return (
            households_visitable_by(user).select_related("unit", "compound", "community").get(pk=pk)
        )
    except (Household.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_record_visit(user, household) -> bool:
    """Grid workers visit the households of their grids; staff those of their community."""
    from communities.models import Resident

    scope = get_scope(user)
    if scope.is_staff_of(household.community_id):
        return True
    if scope.is_grid_worker:
        return Resident.objects.filter(
            household=household, grid__in=scope.grid_ids, archived_at__isnull=True
        ).exists()
    return False


def visible_issue_ids(user, issue_ids) -> set[int]:
    """Those of `issue_ids` the user may open, in one query (none when there are none):
    a page links another issue (merged duplicates, an agenda item's issue) only then."""
    issue_ids = {pk for pk in issue_ids if pk}
    if not issue_ids:
        return set()
    return set(issues_visible_to(user).filter(pk__in=issue_ids).values_list("pk", flat=True))


# Rows of an issue's timeline that only those who work on it read: working notes (photos
# added, departments summoned) and what residents told staff at evaluations and revisits.
WORKING_TIMELINE_ACTIONS = ("note", "summon", "evaluate", "revisit")


def timeline_visible_to(rows, *, works_on_it: bool):
    """The rows of an issue's timeline its reader may read: all of them for those who
    work on the issue, the rest without the working notes."""
    return rows if works_on_it else rows.exclude(action__in=WORKING_TIMELINE_ACTIONS)


def can_classify_issue(user, issue) -> bool:
    """Those who work an issue set its category and urgency while it is open."""
    return issue.is_open and can_edit_issue(user, issue)


def can_act_in_bulk(user) -> bool:
    """Selecting many issues of the work queue to accept, assign, classify, merge or send
    to deliberation in one go: staff and grid workers, each issue checked again by the
    rule of its own move."""
    scope = get_scope(user)
    return scope.is_staff or scope.is_grid_worker


def bulk_assignees_for(user):
    """Whom a bulk action may offer to give issues to: the active staff of the user's
    communities and the workers of their grids (each issue still checks assignees_for)."""
    from accounts.models import Role, User

    scope = get_scope(user)
    ids = _ids(User.objects.filter(role=Role.STAFF, communities__in=scope.community_ids), "pk")
    ids = ids.union(
        _ids(
            User.objects.filter(role=Role.GRID_WORKER, grids__community__in=scope.community_ids),
            "pk",
        )
    )
    return User.objects.filter(is_active=True, is_superuser=False, pk__in=ids).order_by("name")


def categories_offered_to(user):
    """The categories a user picks for issues: the district's shared ones and those of
    the streets the user works in (a street's own categories stay in its communities)."""
    from django.db.models import Q

    from issues.models import Category

    scope = get_scope(user)
    return Category.objects.filter(
        Q(street__isnull=True) | Q(street__in=scope.street_ids), is_active=True
    ).order_by("order", "name")
