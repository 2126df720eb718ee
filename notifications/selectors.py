"""Reads of deliveries for the lists of messages sent (staff now, street admins later)."""

from django.db.models import Count
from django.utils.translation import gettext

from access.notifications import deliveries_visible_to

from .kinds import DIGEST_KIND, Category
from .models import Delivery, SmsBudget
from .routing import sms_this_month, sms_used


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
    rows = (
        sms_this_month(now)
        .filter(notification__community=community_id)
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


def sms_budget_rows(communities, now=None) -> list[dict]:
    """Each community with its monthly limit (None: no limit), the SMS it sent this month,
    the share spent and whether it is spent: two queries whatever their number."""
    ids = [c.pk for c in communities]
    limits = dict(
        SmsBudget.objects.filter(community__in=ids).values_list("community", "monthly_limit")
    )
    used = sms_used(ids, now)
    rows = []
    for community in communities:
        limit, sent = limits.get(community.pk), used.get(community.pk, 0)
        spent = limit is not None and sent >= limit
        rows.append(
            {
                "community": community,
                "limit": limit,
                "used": sent,
                "percent": (100 if spent else round(sent * 100 / limit))
                if limit is not None
                else None,
                "spent": spent,
            }
        )
    return rows
