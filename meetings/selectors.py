"""Reads of meetings that feed lists, dashboards, reminders and the issue page."""

from django.db.models import Count, F

from .models import Meeting
from .workflow import MINUTES_DRAFT

# Meetings that took place, whatever became of their minutes.
HELD = (
    Meeting.Status.IN_PROGRESS,
    Meeting.Status.ADJOURNED,
    Meeting.Status.ENDED,
    Meeting.Status.CLOSED,
)


def live_marker(meeting) -> str:
    """What a screen last showed of a meeting: its own version (status, time, place) and
    the live counter that attendance, opinions, outcomes and the floor raise. Open
    consoles, projectors and meeting pages send it back when they poll."""
    return f"{meeting.version}.{meeting.live_revision}"


def meetings_with_open_minutes(*, ended_before):
    """Meetings over (ended or adjourned, workflow.MINUTES_DRAFT) before `ended_before`
    whose minutes are still a draft: the convener is reminded to finalise them. An
    adjourned meeting's minutes are closed like an ended one's."""
    return Meeting.objects.filter(
        status__in=MINUTES_DRAFT, archived_at__isnull=True, ended_at__lte=ended_before
    )


def meetings_upcoming(*, communities, now, limit=5):
    """The communities' planned meetings from `now` on, the soonest first, as dashboard
    rows."""
    return (
        Meeting.objects.filter(
            community__in=communities,
            archived_at__isnull=True,
            status=Meeting.Status.PLANNED,
            starts_at__gte=now,
        )
        .only("community_id", "title", "starts_at", "venue", "form")
        .order_by("starts_at")[:limit]
    )


def meetings_held_by_community(community_ids, *, start, end) -> dict:
    """How many meetings each community held that started from `start` to `end`, in one
    grouped query: {community_id: n} (communities without any are missing)."""
    rows = (
        Meeting.objects.filter(
            community__in=community_ids, starts_at__gte=start, starts_at__lt=end, status__in=HELD
        )
        .values("community")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["community"]: row["n"] for row in rows}


def issue_agenda_items(issue):
    """The agenda items that took the issue to a meeting not cancelled, in the order they
    were discussed, with their meeting. `resolution_pk` says whether a resolution was
    drafted from the item: a reverse one-to-one of the resolutions app, read by name so
    that meetings imports nothing of it."""
    return (
        issue.agenda_items.select_related("meeting")
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .annotate(resolution_pk=F("resolution__pk"))
        .order_by("meeting__starts_at", "pk")
    )
