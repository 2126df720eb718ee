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


# ---------------------------------------------------------------- online opinion-taking


def with_opinion_results(windows, *, comments=True):
    """Set on each window `counts` ({"for", "against", "other"}), `total` and, with
    `comments`, `comments` (the opinions that say something, oldest first, each with its
    resident): two queries however many windows."""
    from django.utils import timezone

    from .models import OnlineOpinion

    windows = list(windows)
    by_pk = {window.pk: window for window in windows}
    now = timezone.now()
    for window in windows:
        window.closed = window.has_closed_at(now)
        window.counts = dict.fromkeys(OnlineOpinion.Stance.values, 0)
        window.total = 0
        window.comments = []
    if not windows:
        return windows
    rows = (
        OnlineOpinion.objects.filter(window__in=by_pk)
        .values("window", "stance")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        window = by_pk[row["window"]]
        window.counts[row["stance"]] = row["n"]
        window.total += row["n"]
    if comments:
        for opinion in (
            OnlineOpinion.objects.filter(window__in=by_pk)
            .exclude(comment="")
            .only("window_id", "stance", "comment", "created_at")
            .order_by("created_at", "pk")
        ):
            by_pk[opinion.window_id].comments.append(opinion)
    for window in windows:
        window.stances = [
            (value, label, window.counts[value]) for value, label in OnlineOpinion.Stance.choices
        ]
    return windows


def opinion_windows_of_items(items) -> dict:
    """The opinion windows asked about each agenda item: on the item itself, or on its
    issue before it came to this meeting. {item pk: [window, ...]} with their results, in
    three queries (none without items)."""
    from django.db.models import Q

    from .models import OpinionWindow

    items = list(items)
    result = {item.pk: [] for item in items}
    if not items:
        return result
    issue_ids = {item.issue_id for item in items if item.issue_id}
    windows = with_opinion_results(
        OpinionWindow.objects.filter(
            Q(agenda_item__in=[item.pk for item in items])
            | Q(agenda_item__isnull=True, issue__in=issue_ids)
        )
        .select_related("compound", "building__compound", "unit__building__compound", "community")
        .order_by("opens_at", "pk")
    )
    for item in items:
        result[item.pk] = [
            w
            for w in windows
            if w.agenda_item_id == item.pk
            or (w.agenda_item_id is None and item.issue_id and w.issue_id == item.issue_id)
        ]
    return result


def invitation_deliveries(meeting) -> dict:
    """How each participant's invitation went out beyond the app: {participant pk:
    (channel, status, last error)} of its latest email or SMS, in one query."""
    from django.contrib.contenttypes.models import ContentType

    from notifications.models import Delivery

    from .services import INVITATION_KIND

    rows = (
        Delivery.objects.filter(
            notification__kind=INVITATION_KIND,
            notification__content_type=ContentType.objects.get_for_model(meeting),
            notification__object_id=meeting.pk,
        )
        .order_by("created_at", "pk")
        .values_list("notification__step", "channel", "status", "last_error")
    )
    result = {}
    for step, channel, status, error in rows:
        head = step.split("-")[0]
        if head.startswith("p") and head[1:].isdigit():
            result[int(head[1:])] = (channel, status, error)
    return result
