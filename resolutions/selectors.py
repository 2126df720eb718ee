"""Reads of resolutions and action items that span relations or feed lists, reports,
reminders and the API: each rule is written here once."""

from collections import defaultdict

from django.db.models import Avg, Count, IntegerField, Prefetch, Q
from django.db.models.functions import Cast, Coalesce, Round
from django.utils import timezone

from lib.related import name_of, user_name_of

from .models import ITEM_OPEN_STATUSES, ActionItem, ProgressPhoto, ProgressUpdate


def overdue_q(today, prefix: str = "") -> Q:
    """The overdue rule of action items (逾期): work still to do whose deadline passed
    before `today`, a local date. `prefix` reaches the items from another model. The
    staff and street dashboards, the API's `overdue` filter and the daily overdue reminder
    all select with it; the (community, status, deadline) index serves it."""
    return Q(**{f"{prefix}status__in": ITEM_OPEN_STATUSES, f"{prefix}deadline__lt": today})


def due_between_q(first, last) -> Q:
    """Work still to do due from `first` to `last` (local dates, both included): the
    dashboards' "due this week"."""
    return Q(status__in=ITEM_OPEN_STATUSES, deadline__gte=first, deadline__lte=last)


def action_items_overdue(items=None, *, today=None):
    """The overdue ones of `items` (every action item by default), as of `today` (the
    local date by default)."""
    items = ActionItem.objects.all() if items is None else items
    return items.filter(overdue_q(today or timezone.localdate()))


def action_item_counts(*, communities, today, week_end) -> dict:
    """The open action items of the communities due by `week_end` and overdue, in one
    query reading only open items: {"due_week": n, "overdue": n}."""
    return ActionItem.objects.filter(
        status__in=ITEM_OPEN_STATUSES, community__in=communities
    ).aggregate(
        due_week=Count("pk", filter=due_between_q(today, week_end)),
        overdue=Count("pk", filter=overdue_q(today)),
    )


def action_item_counts_by_community(community_ids, *, today, week_end) -> dict:
    """The same figures per community, in one grouped query: {community_id: {"due_week",
    "overdue"}} (communities without open items are missing)."""
    rows = (
        ActionItem.objects.filter(status__in=ITEM_OPEN_STATUSES, community__in=community_ids)
        .values("community")
        .annotate(
            overdue=Count("pk", filter=overdue_q(today)),
            due_week=Count("pk", filter=due_between_q(today, week_end)),
        )
        .order_by()
    )
    return {row["community"]: row for row in rows}


# What a dashboard row of an action item shows: the measure, its deadline and progress, who
# is responsible and the resolution's title. The names come as subqueries (lib.related),
# which PostgreSQL plans in a tenth of the time it took to plan the four joins.
ITEM_ROW_FIELDS = ("measure", "deadline", "percent", "status", "community_id")
ITEM_ROW_NAMES = {
    "resolution_title": name_of(ActionItem, "resolution", "title"),
    "responsible_name": Coalesce(
        name_of(ActionItem, "responsible_organization"),
        user_name_of(ActionItem, "responsible_user"),
        name_of(ActionItem, "responsible_resident"),
    ),
}

# Built once: a queryset's expressions cost as much to build as the query takes to run.
_ITEM_ROWS = ActionItem.objects.only(*ITEM_ROW_FIELDS).annotate(**ITEM_ROW_NAMES)


def action_item_rows_overdue(*, communities, today):
    """The communities' overdue items as dashboard rows, the longest overdue first."""
    return _ITEM_ROWS.filter(overdue_q(today), community__in=communities).order_by("deadline", "pk")


def action_item_rows_due(*, communities, today, last):
    """The communities' open items due from today to `last` as dashboard rows, the
    soonest first."""
    return _ITEM_ROWS.filter(due_between_q(today, last), community__in=communities).order_by(
        "deadline", "pk"
    )


def item_figures(prefix: str = "") -> dict:
    """How a resolution's action items are counted wherever they are shown (the staff
    list, the resolution's page, the public board and its pages, the API), so the same
    resolution shows the same figures everywhere: cancelled items are left out; how many
    there are, how many were confirmed done on site, and the progress, the mean of their
    percentages rounded by the database. `prefix` reaches the items from another model
    ("items__" from a resolution)."""
    live = ~Q(**{f"{prefix}status": ActionItem.Status.CANCELLED})
    return {
        "item_count": Count(f"{prefix}pk", filter=live),
        "done_count": Count(f"{prefix}pk", filter=Q(**{f"{prefix}status": ActionItem.Status.DONE})),
        "progress": Coalesce(Cast(Round(Avg(f"{prefix}percent", filter=live)), IntegerField()), 0),
    }


def with_item_figures(resolutions):
    """The resolutions shown (a page, or one) with their item figures: one grouped query
    over their action items."""
    resolutions = list(resolutions)
    rows = (
        ActionItem.objects.filter(resolution__in=resolutions)
        .order_by()
        .values("resolution")
        .annotate(**item_figures())
    )
    figures = {row["resolution"]: row for row in rows}
    for resolution in resolutions:
        row = figures.get(resolution.pk, {})
        resolution.item_count = row.get("item_count", 0)
        resolution.done_count = row.get("done_count", 0)
        resolution.progress = row.get("progress", 0)
    return resolutions


def with_progress_notes(items) -> list:
    """The action items with what residents read behind their progress bars, as
    `item.progress_notes`: each progress report and on-site check result, oldest first,
    with its photos. Who wrote a note is left out: the outcome's page is public. Two
    queries (the notes, then their photos) however many items and notes; none without
    items. The caller decides which items may be shown (a private dispute's are not)."""
    items = list(items)
    if not items:
        return items
    notes = defaultdict(list)
    updates = (
        ProgressUpdate.objects.filter(item__in=[item.pk for item in items])
        .only("item_id", "kind", "text", "percent", "created_at")
        .prefetch_related(
            Prefetch("photos", ProgressPhoto.objects.only("update_id", "image").order_by("pk"))
        )
        .order_by("created_at", "pk")
    )
    for update in updates:
        notes[update.item_id].append(update)
    for item in items:
        item.progress_notes = notes[item.pk]
    return items


def item_history(item) -> list:
    """The action item's history from the one timeline, oldest first: each move (started,
    progress, reported done, checked, cancelled) with who made it, and the progress
    report it wrote, photos included. Reports older than the timeline's link to them are
    shown on their own. Three queries, however long the history."""
    from core import audit
    from core.models import AuditEntry

    rows = list(audit.history_of(item).exclude(action__in=["create", "update"]))
    updates = {
        update.pk: update
        for update in item.updates.select_related("author").prefetch_related("photos")
    }
    for row in rows:
        row.update = updates.pop((row.data or {}).get("update"), None)
    for update in updates.values():
        rows.append(
            AuditEntry(
                action=AuditEntry.Action.PROGRESS,
                created_at=update.created_at,
                note=update.text,
            )
        )
        rows[-1].actor_name = str(update.author) if update.author_id else ""
        rows[-1].update = update
    return sorted(rows, key=lambda row: row.created_at)
