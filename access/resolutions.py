"""Who may see and change resolutions, their action items, objections, evaluations and
revisits. Every view of the resolutions app asks here."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from issues.models import Kind
from issues.models import Status as IssueStatus
from resolutions.models import ActionItem, Confirmation, CostShare, Objection, Resolution
from resolutions.workflow import (
    CHECKER,
    DRAFTER,
    IN_FORCE,
    ITEM_TRANSITIONS,
    LEGAL_ADVISER,
    MANAGER,
    RESOLUTION_TRANSITIONS,
    RESPONSIBLE,
)

# The revisit rule reads only the issue: it lives with the issues' rules, and is asked
# here too by the resolutions app that records revisits.
from .issues import (
    can_record_revisit,  # noqa: F401
    can_resolve_in,
    issues_visible_to,
)
from .scope import get_scope, get_visible

# What people outside the community's staff never see: work not yet agreed.
UNAGREED = (Resolution.Status.DRAFT, Resolution.Status.AWAITING_REVIEW)


def resolutions_visible_to(user):
    """Resolutions the user may open. Staff of the community see all, drafts included;
    others see agreed resolutions of issues they may see, and those naming them as
    responsible for an item or as paying part of its cost. The legal adviser also sees
    the resolutions of his communities that were sent to him for legal review."""
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
    if scope.is_legal_adviser:
        # Once sent for review the agreement is his to read, before and after adoption.
        return resolutions.filter((~Q(status__in=UNAGREED) & seen) | _for_legal_review(scope))
    return agreed.filter(seen)


def resolutions_listed_on_issue(user, issue):
    """The issue's resolutions its page lists to the user, and the ids of those the user
    may open (a list and a set; at most two queries, none for the ids when nothing is
    listed). Those who work for the community see every one not withdrawn, drafts too,
    but open only those resolutions_visible_to lets them; anyone else sees what was
    published, on the public board."""
    resolutions = Resolution.objects.filter(issue=issue.pk).order_by("pk")
    if not get_scope(user).works_for_community:
        return list(resolutions.filter(status=Resolution.Status.PUBLISHED)), set()
    listed = list(resolutions.exclude(status=Resolution.Status.WITHDRAWN))
    return listed, visible_resolution_ids(user, [r.pk for r in listed])


def _for_legal_review(scope):
    return Q(community__in=scope.community_ids, legal_review_required=True) & ~Q(
        status=Resolution.Status.DRAFT
    )


def resolutions_awaiting_my_review(user):
    """待我审查: what waits for the legal adviser's review in the communities his firm
    serves, oldest first."""
    scope = get_scope(user)
    if not scope.is_legal_adviser:
        return Resolution.objects.none()
    return Resolution.objects.filter(
        community__in=scope.community_ids,
        legal_review_required=True,
        status=Resolution.Status.AWAITING_REVIEW,
        archived_at__isnull=True,
    ).order_by("updated_at", "pk")


def legal_advisers_of(community_id):
    """The accounts of the lawyers whose firms serve the community: they are told when an
    agreement is sent to them for review."""
    from accounts.models import Role, User
    from communities.models import Organization

    return User.objects.filter(
        is_active=True,
        role=Role.ORG_CONTACT,
        organization__kind=Organization.Kind.LEGAL,
        organization__communities=community_id,
        organization__archived_at__isnull=True,
    )


def can_review_legally(user, resolution) -> bool:
    """The legal adviser of the resolution's community writes its legal review; staff
    send it to him and read what he wrote."""
    return resolution.legal_review_required and get_scope(user).is_legal_adviser_of(
        resolution.community_id
    )


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
            mine |= _awaiting_check_in(scope.community_ids)
    return _of_agreed_resolutions(ActionItem.objects.filter(mine))


def _awaiting_check_in(community_ids):
    # Disputes stay between their parties: the committee neither sees nor checks them.
    return Q(
        community__in=community_ids,
        status=ActionItem.Status.AWAITING_CHECK,
        resolution__issue__kind__in=[k for k in Kind.values if k != Kind.DISPUTE],
    )


def _of_agreed_resolutions(items):
    return items.filter(resolution__archived_at__isnull=True).exclude(
        resolution__status__in=(*UNAGREED, Resolution.Status.WITHDRAWN)
    )


def items_to_check(user):
    """The action items waiting for this supervision-committee member's on-site check
    (待我核查): work reported done in their community. None for anyone else, who has no
    such list."""
    scope = get_scope(user)
    community_id = next(iter(scope.community_ids), None) if scope.is_authenticated else None
    if not is_supervisor_of(user, community_id):
        return None
    return _of_agreed_resolutions(
        ActionItem.objects.filter(_awaiting_check_in(scope.community_ids))
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
    if item.resolution.status not in IN_FORCE:
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
    actors = transition.roles
    return (MANAGER in actors and can_manage_resolution(user, resolution)) or (
        LEGAL_ADVISER in actors and can_review_legally(user, resolution)
    )


def may_act_on_item(user, item, action) -> bool:
    """Whether the user is among those who make this move at all, whatever the item's
    state: views answer 403 to the others, and a clear message to the right people when
    the state does not allow it now."""
    transition = ITEM_TRANSITIONS.get(action)
    if transition is None:
        return False
    actors = transition.roles
    return (
        (MANAGER in actors and can_manage_resolution(user, item.resolution))
        or (RESPONSIBLE in actors and can_report_progress(user, item))
        or (CHECKER in actors and can_check_item(user, item))
    )


def can_item_transition(user, item, action) -> bool:
    transition = ITEM_TRANSITIONS.get(action)
    if transition is None or item.status not in transition.sources:
        return False
    if DRAFTER in transition.roles:
        # Whether the resolution is still a draft is the lifecycle's guard to say.
        return can_manage_resolution(user, item.resolution)
    if item.resolution.status not in IN_FORCE:
        return False
    actors = transition.roles
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


def _paying_household(user):
    """The household of a resident user, or None."""
    scope = get_scope(user)
    if not (scope.is_authenticated and scope.is_resident and scope.household_id):
        return None
    return scope.household_id


def can_confirm_share(user, resolution) -> bool:
    """A resident of a household that pays part of an agreed item's cost confirms the
    agreement for the household (签字确认), once the resolution is adopted or published."""
    household = _paying_household(user)
    if household is None or resolution.status not in IN_FORCE:
        return False
    return (
        CostShare.objects.filter(item__resolution=resolution.pk, household=household)
        .exclude(item__status=ActionItem.Status.CANCELLED)
        .exists()
    )


def shares_to_confirm(user):
    """The agreed resolutions whose cost the user's household shares and that nobody of
    the household has confirmed yet; None for users without a household."""
    household = _paying_household(user)
    if household is None:
        return None
    return Resolution.objects.filter(
        status__in=IN_FORCE,
        archived_at__isnull=True,
        pk__in=CostShare.objects.filter(household=household)
        .exclude(item__status=ActionItem.Status.CANCELLED)
        .values("item__resolution"),
    ).exclude(
        pk__in=Confirmation.objects.filter(resident__household=household).values("resolution")
    )


def can_answer_objection(user, objection) -> bool:
    return can_manage_resolution(user, objection.resolution)


def objections_visible_to(user):
    """The objections to the resolutions the user may open."""
    return Objection.objects.filter(resolution__in=resolutions_visible_to(user).values("pk"))


def get_objection_for_user(user, pk, *, write=False) -> Objection:
    """The objection with its resolution and resident, if the user may open the
    resolution (else 404); with write=True only if they may answer it (else 403)."""
    try:
        objection = objections_visible_to(user).select_related("resolution", "resident").get(pk=pk)
    except (Objection.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_answer_objection(user, objection):
        raise PermissionDenied
    return objection


def can_evaluate(user, issue) -> bool:
    """Residents evaluate an issue awaiting evaluation: the reporter and the parties, and
    for a public matter any resident of the community."""
    scope = get_scope(user)
    if not (scope.is_resident and scope.resident_id):
        return False
    return _may_evaluate(scope.resident_id, scope.community_ids, issue)


def resident_may_evaluate(resident, issue) -> bool:
    """`can_evaluate` for a resident reached without an account (the personal link of an
    evaluation request)."""
    return _may_evaluate(resident.pk, {resident.community_id}, issue)


def _may_evaluate(resident_id, community_ids, issue) -> bool:
    if issue.status != IssueStatus.AWAITING_EVALUATION:
        return False
    if issue.reporter_resident_id == resident_id:
        return True
    if issue.kind == Kind.DISPUTE:
        return issue.parties.filter(resident=resident_id).exists()
    return issue.community_id in community_ids


def resident_may_answer_revisit(resident, issue) -> bool:
    """The reporter (or a party) of a closed issue answers the revisit (事后回访) from the
    personal link of the revisit SMS."""
    if issue.status != IssueStatus.CLOSED:
        return False
    return issue.reporter_resident_id == resident.pk or (
        issue.parties.filter(resident=resident.pk).exists()
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


def _open_to(user):
    return Q(pk__in=action_items_visible_to(user).values("pk")) | Q(
        pk__in=my_action_items(user).values("pk")
    )


def action_items_open_to(user):
    """The action items the user may open: those of the resolutions they may see, and
    those they are responsible for (get_action_item_for_user answers 404 for the rest)."""
    return ActionItem.objects.filter(_open_to(user))


def get_action_item_for_user(user, pk, *, write=False, queryset=None) -> ActionItem:
    """The item if the user may see it (else 404): through its resolution, or as the party
    responsible. With write=True only if they may report progress on it (else 403)."""
    items = queryset if queryset is not None else ActionItem.objects.all()
    try:
        item = items.select_related("resolution__issue").filter(_open_to(user)).get(pk=pk)
    except (ActionItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not (can_report_progress(user, item) or can_check_item(user, item)):
        raise PermissionDenied
    return item


def can_see_my_action_items(user) -> bool:
    """Organization contacts and residents follow the action items they are responsible
    for (我的任务)."""
    scope = get_scope(user)
    return scope.is_org_contact or scope.is_resident


def can_see_outcomes_board(user) -> bool:
    """The outcomes board is public: everyone may read what was published."""
    return True


def can_list_resolutions(user) -> bool:
    """The list of resolutions is the work of those who run the community: staff, grid
    workers and street admins. Residents and organizations follow their own action
    items (and the public board)."""
    return get_scope(user).works_for_community


def visible_resolution_ids(user, resolution_ids) -> set[int]:
    """Those of `resolution_ids` the user may open, in one query (none when there are none):
    drafts stay with the community's staff, so a page links them only for those who may."""
    resolution_ids = {pk for pk in resolution_ids if pk}
    if not resolution_ids:
        return set()
    return set(
        resolutions_visible_to(user).filter(pk__in=resolution_ids).values_list("pk", flat=True)
    )
