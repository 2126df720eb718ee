"""Reads of resolutions that several pages share."""

from django.db.models import Avg, Count, IntegerField, Q
from django.db.models.functions import Cast, Coalesce, Round

from .models import ActionItem


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


def item_history(item) -> list:
    """The action item's history from the one timeline, oldest first: each move (started,
    progress, reported done, checked, cancelled) with who made it, and the progress
    report it wrote, photos included. Reports older than the timeline's link to them are
    shown on their own. Three queries, however long the history."""
    from core import audit
    from core.models import AuditEntry
    from lib.related import user_name_of

    rows = list(
        audit.timeline_of(item)
        .exclude(action__in=["create", "update"])
        .annotate(actor_name=user_name_of(AuditEntry, "actor"))
    )
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
