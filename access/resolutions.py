"""Who may see and change resolutions, their action items, objections, evaluations and
revisits. Every view of the resolutions app asks here."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from issues.models import Kind
from issues.models import Status as IssueStatus
from resolutions.models import ActionItem, Resolution
from resolutions.workflow import (
    CHECKER,
    ITEM_TRANSITIONS,
    MANAGER,
    RESOLUTION_TRANSITIONS,
    RESPONSIBLE,
)

from .issues import can_resolve_in, issues_visible_to
from .scope import get_scope, get_visible

# What people outside the community's staff never see: work not yet agreed.
UNAGREED = (Resolution.Status.DRAFT, Resolution.Status.AWAITING_REVIEW)


def resolutions_visible_to(user):
    """Resolutions the user may open. Staff of the community see all, drafts included;
    others see agreed resolutions of issues they may see, and those naming them as
    responsible for an item or as paying part of its cost."""
    scope = get_scope(user)
    resolutions = Resolution.objects.filter(archived_at__isnull=True)
    if not scope.is_authenticated:
        return resolutions.none()
    if scope.is_staff:
        return resolutions.filter(community__in=scope.community_ids)
    agreed = resolutions.exclude(status__in=UNAGREED)
    seen = Q(issue__in=issues_visible_to(user).values("pk"))
    if scope.is_resident and scope.resident_id:
        seen |= Q(
            pk__in=ActionItem.objects.filter(
                Q(responsible_resident=scope.resident_id)
                | Q(cost_shares__household=scope.household_id)
            ).values("resolution")
        )
    if scope.is_org_contact and scope.organization_id:
        seen |= Q(
            pk__in=ActionItem.objects.filter(
                Q(responsible_organization=scope.organization_id)
                | Q(cost_shares__organization=scope.organization_id)
            ).values("resolution")
        )
    seen |= Q(pk__in=ActionItem.objects.filter(responsible_user=scope.user_id).values("resolution"))
    if scope.is_resident and is_supervisor_of(user, next(iter(scope.community_ids), None)):
        # The supervision committee (居监会) follows and checks the community's work on
        # site; disputes stay between the parties.
        seen |= Q(community__in=scope.community_ids) & ~Q(issue__kind=Kind.DISPUTE)
    return agreed.filter(seen)


def action_items_visible_to(user):
    """Action items of the resolutions the user may see."""
    return ActionItem.objects.filter(resolution__in=resolutions_visible_to(user).values("pk"))


def my_action_items(user):
    """The items an organization contact or a resident (or any user named personally) is
    responsible for, of agreed resolutions."""
    scope = get_scope(user)
    if not scope.is_authenticated:
        return ActionItem.objects.none()
    mine = Q(responsible_user=scope.user_id)
    if scope.is_org_contact and scope.organization_id:
        mine |= Q(responsible_organization=scope.organization_id)
    if scope.is_resident and scope.resident_id:
        mine |= Q(responsible_resident=scope.resident_id)
        if is_supervisor_of(user, next(iter(scope.community_ids), None)):
            # What waits for a supervisor's on-site check is on their list too.
            mine |= Q(
                community__in=scope.community_ids,
                status=ActionItem.Status.AWAITING_CHECK,
                resolution__issue__kind__in=[k for k in Kind.values if k != Kind.DISPUTE],
            )
    return ActionItem.objects.filter(mine, resolution__archived_at__isnull=True).exclude(
        resolution__status__in=(*UNAGREED, Resolution.Status.WITHDRAWN)
    )


def public_resolutions():
    """What the public outcomes board shows without login: published resolutions only.
    Dispute details are withheld by the templates (see `is_private_outcome`)."""
    return Resolution.objects.filter(status=Resolution.Status.PUBLISHED, archived_at__isnull=True)


def is_private_outcome(resolution) -> bool:
    """A dispute's agreement names the parties: the public sees only that it was settled."""
    return resolution.issue.kind == Kind.DISPUTE


def can_manage_resolution(user, resolution) -> bool:
    """Community staff draft, review, publish and withdraw resolutions."""
    return get_scope(user).is_staff_of(resolution.community_id)


def can_create_resolution(user, issue) -> bool:
    return can_create_resolution_in(user, issue.community_id)


def can_create_resolution_in(user, community_id) -> bool:
    return can_resolve_in(user, community_id)


def can_edit_draft(user, resolution) -> bool:
    return can_manage_resolution(user, resolution) and resolution.status == Resolution.Status.DRAFT


def is_responsible_for(user, item) -> bool:
    scope = get_scope(user)
    if not scope.is_authenticated:
        return False
    if item.responsible_user_id and item.responsible_user_id == scope.user_id:
        return True
    if scope.is_org_contact and item.responsible_organization_id:
        return item.responsible_organization_id == scope.organization_id
    if scope.is_resident and item.responsible_resident_id:
        return item.responsible_resident_id == scope.resident_id
    return False


def is_supervisor_of(user, community_id) -> bool:
    """A resident on the supervision committee (居监会) of the community."""
    scope = get_scope(user)
    if not (scope.is_resident and scope.resident_id and community_id in scope.community_ids):
        return False
    resident = getattr(user, "resident", None)
    return bool(resident and resident.is_supervisor)


def can_check_item(user, item) -> bool:
    """The on-site check: community staff or a supervision-committee member."""
    return get_scope(user).is_staff_of(item.community_id) or is_supervisor_of(
        user, item.community_id
    )


def can_report_progress(user, item) -> bool:
    """The responsible party, the community's staff and the workers of the issue's grid."""
    if item.resolution.status not in (Resolution.Status.ADOPTED, Resolution.Status.PUBLISHED):
        return False
    scope = get_scope(user)
    grid_id = item.resolution.issue.grid_id
    return (
        is_responsible_for(user, item)
        or scope.is_staff_of(item.community_id)
        or (grid_id is not None and scope.is_worker_of_grid(grid_id))
    )


def can_resolution_transition(user, resolution, action) -> bool:
    transition = RESOLUTION_TRANSITIONS.get(action)
    if transition is None or resolution.status not in transition.sources:
        return False
    return MANAGER in transition.actors and can_manage_resolution(user, resolution)


def may_act_on_item(user, item, action) -> bool:
    """Whether the user is among those who make this move at all, whatever the item's
    state: views answer 403 to the others, and a clear message to the right people when
    the state does not allow it now."""
    transition = ITEM_TRANSITIONS.get(action)
    if transition is None:
        return False
    actors = transition.actors
    return (
        (MANAGER in actors and can_manage_resolution(user, item.resolution))
        or (RESPONSIBLE in actors and can_report_progress(user, item))
        or (CHECKER in actors and can_check_item(user, item))
    )


def can_item_transition(user, item, action) -> bool:
    transition = ITEM_TRANSITIONS.get(action)
    if transition is None or item.status not in transition.sources:
        return False
    if item.resolution.status not in (Resolution.Status.ADOPTED, Resolution.Status.PUBLISHED):
        return False
    actors = transition.actors
    return (
        (MANAGER in actors and can_manage_resolution(user, item.resolution))
        or (RESPONSIBLE in actors and can_report_progress(user, item))
        or (CHECKER in actors and can_check_item(user, item))
    )


def can_object(user, resolution) -> bool:
    """A logged-in resident of the community, while the resolution is published and the
    publication period has not ended."""
    scope = get_scope(user)
    if not (scope.is_resident and scope.resident_id):
        return False
    if resolution.community_id not in scope.community_ids:
        return False
    if resolution.status != Resolution.Status.PUBLISHED:
        return False
    today = timezone.localdate()
    return resolution.publication_ends is None or today <= resolution.publication_ends


def can_answer_objection(user, objection) -> bool:
    return can_manage_resolution(user, objection.resolution)


def can_evaluate(user, issue) -> bool:
    """Residents evaluate an issue awaiting evaluation: the reporter and the parties, and
    for a public matter any resident of the community."""
    scope = get_scope(user)
    if not (scope.is_resident and scope.resident_id):
        return False
    if issue.status != IssueStatus.AWAITING_EVALUATION:
        return False
    if issue.reporter_resident_id == scope.resident_id:
        return True
    if issue.kind == Kind.DISPUTE:
        return issue.parties.filter(resident=scope.resident_id).exists()
    return issue.community_id in scope.community_ids


def can_record_revisit(user, issue) -> bool:
    """Staff of the community and the workers of the issue's grid revisit closed issues."""
    scope = get_scope(user)
    if issue.status != IssueStatus.CLOSED:
        return False
    return scope.is_staff_of(issue.community_id) or (
        issue.grid_id is not None and scope.is_worker_of_grid(issue.grid_id)
    )


def get_resolution_for_user(user, pk, *, write=False, queryset=None) -> Resolution:
    """The resolution if the user may see it (else 404); with write=True only if they may
    manage it (else 403)."""
    resolutions = queryset if queryset is not None else Resolution.objects.all()
    try:
        resolution = get_visible(resolutions, resolutions_visible_to(user), pk=pk)
    except (Resolution.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_manage_resolution(user, resolution):
        raise PermissionDenied
    return resolution


def get_public_resolution(pk, *, queryset=None) -> Resolution:
    resolutions = queryset if queryset is not None else Resolution.objects.all()
    try:
        return get_visible(resolutions, public_resolutions(), pk=pk)
    except (Resolution.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_action_item_for_user(user, pk, *, write=False, queryset=None) -> ActionItem:
    """The item if the user may see it (else 404): through its resolution, or as the party
    responsible. With write=True only if they may report progress on it (else 403)."""
    items = queryset if queryset is not None else ActionItem.objects.all()
    visible = Q(pk__in=action_items_visible_to(user).values("pk")) | Q(
        pk__in=my_action_items(user).values("pk")
    )
    try:
        item = items.select_related("resolution__issue").filter(visible).get(pk=pk)
    except (ActionItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not (can_report_progress(user, item) or can_check_item(user, item)):
        raise PermissionDenied
    return item
