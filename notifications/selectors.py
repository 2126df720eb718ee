"""Reads of deliveries for the lists of messages sent (staff now, street admins later)."""

from access.notifications import deliveries_visible_to

from .models import Delivery


def sent_deliveries(user):
    """The email and SMS deliveries the user may see, newest first, each with what its
    row shows (recipient, person, community): one query per page."""
    return (
        deliveries_visible_to(user)
        .select_related(
            "notification__recipient",
            "notification__resident",
            "notification__contact__organization",
            "notification__community",
        )
        .order_by("-created_at", "-pk")
    )


def failed_deliveries(user):
    """The deliveries that failed for good (retries exhausted or a permanent error), for
    a list with a retry button."""
    return sent_deliveries(user).filter(status=Delivery.Status.FAILED)


def sms_used_by_kind(community_id, now=None) -> list[tuple[str, int]]:
    """A community's SMS of this month by kind of message, most first: one query."""
    from django.db.models import Count
    from django.utils.translation import gettext

    from .kinds import DIGEST_KIND, Category
    from .routing import month_start

    rows = (
        Delivery.objects.filter(
            channel="sms",
            created_at__gte=month_start(now),
            notification__community=community_id,
        )
        .exclude(status=Delivery.Status.FAILED)
        .values("notification__category", "notification__kind")
        .annotate(n=Count("pk"))
    )
    totals = {}
    for row in rows:
        category = row["notification__category"]
        label = str(Category(category).label) if category in Category.values else gettext("Other")
        if row["notification__kind"] == DIGEST_KIND:
            label = gettext("Daily digest") + " · " + label
        totals[label] = totals.get(label, 0) + row["n"]
    return sorted(totals.items(), key=lambda pair: -pair[1])
