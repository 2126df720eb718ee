"""The meetings app's section of an issue's page: the meetings that took the issue up."""

from access.meetings import (
    can_open_opinion_window,
    opinion_windows_visible_to,
    visible_meeting_ids,
)
from access.scope import get_scope
from issues.models import Kind, Status

from .selectors import issue_agenda_items, with_opinion_results


def issue_meetings(request, issue, *, has_rows):
    """The agenda items that took the issue to a meeting, and the meetings among them the
    viewer may open (linked only then). Two queries at most, none when there are none.
    For those who may ask residents: the issue's online opinion-taking, and whether they
    may open one (never for a dispute)."""
    agenda_items = list(issue_agenda_items(issue)) if has_rows else []
    may_ask = (
        issue.kind != Kind.DISPUTE
        and issue.status not in (Status.CLOSED, Status.REJECTED, Status.MERGED)
        and can_open_opinion_window(request.user, issue.community_id, issue.grid_id)
    )
    windows = []
    if get_scope(request.user).works_for_community:
        windows = with_opinion_results(
            opinion_windows_visible_to(request.user)
            .filter(issue=issue.pk)
            .select_related("compound", "building__compound", "unit__building__compound")
            .order_by("opens_at", "pk"),
            comments=False,
        )
    return {
        "agenda_items": agenda_items,
        "open_meetings": visible_meeting_ids(
            request.user, [item.meeting_id for item in agenda_items]
        ),
        "opinion_windows": windows,
        "may_ask_opinions": may_ask,
    }


def invitations_panel(request):
    """A resident's invitations to meetings still ahead (我的邀请), with their answer: the
    convener's own invitation needs none. One query; None without any (no panel)."""
    from django.db.models import Q
    from django.utils import timezone

    from access.scope import get_scope

    from .models import Meeting, Participant

    scope = get_scope(request.user)
    mine = Q(user=scope.user_id)
    if scope.resident_id:
        mine |= Q(resident=scope.resident_id)
    participants = list(
        Participant.objects.filter(
            mine,
            meeting__status=Meeting.Status.PLANNED,
            meeting__archived_at__isnull=True,
            meeting__ends_at__gte=timezone.now(),
        )
        .select_related("meeting")
        .order_by("meeting__starts_at", "pk")[:10]
    )
    if not participants:
        return None
    return {"participants": participants}
