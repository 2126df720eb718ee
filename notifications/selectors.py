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
