"""Who may see and run meetings.

Staff of the community run its meetings; grid workers run the meetings of their grid and
see the community's open meetings; street admins see the meetings of their communities.
Residents and organization contacts see the meetings they are invited to. Private
mediations are seen only by the community's staff, the workers of the grid and the
parties (participants of the meeting).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from issues.models import Issue, Kind
from meetings.models import AgendaItem, Meeting, OpinionWindow
from meetings.workflow import MANAGER, TRANSITIONS

from .issues import visible_issue_ids
from .scope import get_scope, get_visible


def meetings_visible_to(user):
    scope = get_scope(user)
    meetings = Meeting.objects.filter(archived_at__isnull=True)
    if scope.is_staff:
        return meetings.filter(community__in=scope.community_ids)
    if scope.is_grid_worker:
        return meetings.filter(
            Q(grid__in=scope.grid_ids)
            | Q(community__in=scope.community_ids, is_private=False)
            | Q(participants__user=scope.user_id)
        ).distinct()
    if scope.is_street_admin:
        return meetings.filter(community__in=scope.community_ids, is_private=False)
    if scope.is_resident and scope.resident_id:
        mine = Q(participants__resident=scope.resident_id) | Q(participants__user=scope.user_id)
        return meetings.filter(pk__in=Meeting.objects.filter(mine).values("pk"))
    if scope.is_org_contact:
        mine = Q(participants__user=scope.user_id)
        if getattr(user, "contact_id", None):
            mine |= Q(participants__contact=user.contact_id)
        return meetings.filter(pk__in=Meeting.objects.filter(mine).values("pk"))
    return meetings.none()


def can_manage_meeting(user, meeting) -> bool:
    """Convene, invite, record and write the minutes: staff of the community and the
    workers of the meeting's grid."""
    scope = get_scope(user)
    return scope.is_staff_of(meeting.community_id) or (
        meeting.grid_id is not None and scope.is_worker_of_grid(meeting.grid_id)
    )


def can_meeting_transition(user, meeting, action) -> bool:
    """Every move of a meeting's lifecycle is its managers' (meetings.workflow.MEETING)."""
    transition = TRANSITIONS.get(action)
    return (
        transition is not None and MANAGER in transition.roles and can_manage_meeting(user, meeting)
    )


def can_convene_in(user, community_id, grid_id=None) -> bool:
    scope = get_scope(user)
    return scope.is_staff_of(community_id) or (
        grid_id is not None and scope.is_worker_of_grid(grid_id)
    )


def can_convene(user) -> bool:
    scope = get_scope(user)
    return scope.is_staff or scope.is_grid_worker


def can_list_meetings(user) -> bool:
    """The list of meetings is the work of those who run them: staff, grid workers and
    street admins. The others find theirs on the calendar."""
    return get_scope(user).works_for_community


def can_see_calendar(user) -> bool:
    """Everyone signed in has a calendar: the meetings they run or are invited to."""
    return get_scope(user).is_authenticated


def participant_for(user, meeting, *, among=None):
    """The user's own invitation to the meeting, or None: one naming them as a user, as a
    resident or as an organization's contact. `among`: the meeting's participants already
    read (in their usual order), searched instead of the database."""
    scope = get_scope(user)
    mine = {
        field: value
        for field, value in (
            ("user", scope.user_id),
            ("resident", scope.resident_id),
            ("contact", getattr(user, "contact_id", None)),
        )
        if value
    }
    if not mine:
        return None
    if among is not None:
        return next(
            (p for p in among if any(getattr(p, f"{f}_id") == v for f, v in mine.items())),
            None,
        )
    query = Q()
    for field, value in mine.items():
        query |= Q(**{field: value})
    return meeting.participants.filter(query).first()


def can_answer_invitation(user, participant) -> bool:
    """The invitee answers their own invitation; the meeting's managers record an answer
    given on the phone or in person."""
    scope = get_scope(user)
    own = (
        (participant.user_id and participant.user_id == scope.user_id)
        or (participant.resident_id and participant.resident_id == scope.resident_id)
        or (participant.contact_id and participant.contact_id == getattr(user, "contact_id", None))
    )
    return bool(own) or can_manage_meeting(user, participant.meeting)


def can_sign_in_self(user, meeting) -> bool:
    """Signing in with the meeting's QR code: only someone invited to it, as a user, a
    resident or an organization's contact."""
    return participant_for(user, meeting) is not None


def can_run_console(user, meeting) -> bool:
    """The meeting console (会议控制台) is for those who run the meeting, while it is
    planned or in progress."""
    return meeting.status in (Meeting.Status.PLANNED, Meeting.Status.IN_PROGRESS) and (
        can_manage_meeting(user, meeting)
    )


def can_request_correction(user, meeting) -> bool:
    """Anyone who may manage the meeting or attended it."""
    return can_manage_meeting(user, meeting) or participant_for(user, meeting) is not None


def get_meeting_for_user(user, pk, *, write=False, queryset=None) -> Meeting:
    """The meeting if the user may see it (else 404); with write=True, only if they may
    also run it (else 403). `queryset` says what to read with it (by default its community,
    grid, compound and convener)."""
    if queryset is None:
        queryset = Meeting.objects.select_related("community", "grid", "compound", "convener")
    try:
        meeting = get_visible(queryset, meetings_visible_to(user), pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_manage_meeting(user, meeting):
        raise PermissionDenied
    return meeting


def agenda_items_visible_to(user):
    """The agenda items of the meetings the user may open."""
    return AgendaItem.objects.filter(meeting__in=meetings_visible_to(user).values("pk"))


def get_agenda_item_for_user(user, pk, *, meeting_pk=None, write=False, queryset=None):
    """The agenda item if the user may see its meeting (else 404), and of the meeting
    `meeting_pk` when given (an item typed under another meeting's address is 404); with
    write=True, only if they may also run the meeting (else 403). By default the item is
    read with its meeting and what the meeting page shows of it (community, grid,
    compound, convener), in one query."""
    if queryset is None:
        queryset = AgendaItem.objects.select_related(
            "meeting__community", "meeting__grid", "meeting__compound", "meeting__convener"
        )
    lookup = {"pk": pk} if meeting_pk is None else {"pk": pk, "meeting": meeting_pk}
    try:
        item = get_visible(queryset, agenda_items_visible_to(user), **lookup)
    except (AgendaItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_manage_meeting(user, item.meeting):
        raise PermissionDenied
    return item


def visible_meeting_ids(user, meeting_ids) -> set[int]:
    """Those of `meeting_ids` the user may open, in one query (none when there are none):
    pages of issues and resolutions link the meetings that took them up only then."""
    meeting_ids = {pk for pk in meeting_ids if pk}
    if not meeting_ids:
        return set()
    return set(meetings_visible_to(user).filter(pk__in=meeting_ids).values_list("pk", flat=True))


@dataclass(frozen=True)
class AgendaItemAccess:
    """What a viewer of a meeting may see of one agenda item: `open_issue` whether the
    item links to its issue, `withheld` whether its title, opinions and outcome are
    replaced by 不公开事项 (a dispute, 白茶, whose issue the viewer may not open)."""

    open_issue: bool
    withheld: bool


def agenda_item_access(user, items) -> dict[int, AgendaItemAccess]:
    """`AgendaItemAccess` of each of a meeting's agenda items, by item pk, in at most two
    queries (the issues among them the user may open, the disputes among the others):
    a council held in the open may take up a neighbours' dispute that only the
    community's staff, the grid's workers and the parties may read."""
    issue_ids = {item.issue_id for item in items if item.issue_id}
    visible = visible_issue_ids(user, issue_ids)
    hidden = issue_ids - visible
    private = set()
    if hidden:
        private = set(
            Issue.objects.filter(pk__in=hidden, kind=Kind.DISPUTE).values_list("pk", flat=True)
        )
    return {
        item.pk: AgendaItemAccess(
            open_issue=item.issue_id in visible, withheld=item.issue_id in private
        )
        for item in items
    }


# ---------------------------------------------------------------- online opinion-taking


def can_open_opinion_window(user, community_id, grid_id=None) -> bool:
    """Asking a building for its opinion (线上征求意见): staff of the community, and the
    workers of the grid the issue or meeting belongs to."""
    scope = get_scope(user)
    return scope.is_staff_of(community_id) or (
        grid_id is not None and scope.is_worker_of_grid(grid_id)
    )


def _window_grid_id(window):
    if window.agenda_item_id:
        return window.agenda_item.meeting.grid_id
    return window.issue.grid_id if window.issue_id else None


def can_manage_opinion_window(user, window) -> bool:
    """Close it, ask the area by SMS, enter opinions given on paper."""
    return can_open_opinion_window(user, window.community_id, _window_grid_id(window))


def can_list_opinion_windows(user) -> bool:
    return get_scope(user).works_for_community


def opinion_windows_visible_to(user):
    """Staff, grid workers and street admins see the windows of their communities (the
    opinions are the residents' answers to the community, not the public's until the
    window closes)."""
    scope = get_scope(user)
    if not scope.works_for_community:
        return OpinionWindow.objects.none()
    return OpinionWindow.objects.filter(community__in=scope.community_ids)


def get_opinion_window_for_user(user, pk, *, write=False) -> OpinionWindow:
    queryset = OpinionWindow.objects.select_related(
        "community",
        "issue",
        "agenda_item__meeting",
        "compound",
        "building__compound",
        "unit__building__compound",
        "created_by",
    )
    try:
        window = get_visible(queryset, opinion_windows_visible_to(user), pk=pk)
    except (OpinionWindow.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_manage_opinion_window(user, window):
        raise PermissionDenied
    return window


def public_opinion_windows(*, now):
    """Windows whose results anyone may read: closed, and about a public matter (never a
    dispute, never an item of a private mediation)."""
    return (
        OpinionWindow.objects.filter(Q(closed_at__isnull=False) | Q(closes_at__lte=now))
        .exclude(issue__kind=Kind.DISPUTE)
        .exclude(agenda_item__meeting__is_private=True)
        .exclude(agenda_item__meeting__archived_at__isnull=False)
        .exclude(issue__archived_at__isnull=False)
    )


def is_public_opinion_window(window, *, now) -> bool:
    return public_opinion_windows(now=now).filter(pk=window.pk).exists()
