"""Who may see and retry the messages sent out (email and SMS deliveries).

Staff of a community see what went out in its name and send a failed message again;
street admins do the same for the communities of their streets. Messages are scoped by
the community they belong to (Notification.community)."""

from notifications.models import Delivery

from .scope import get_scope


def can_see_sent_messages(user) -> bool:
    scope = get_scope(user)
    return scope.is_staff or scope.is_street_admin


def deliveries_visible_to(user):
    """The email and SMS deliveries of the communities the user looks after."""
    scope = get_scope(user)
    if not (scope.is_staff or scope.is_street_admin):
        return Delivery.objects.none()
    return Delivery.objects.filter(notification__community__in=scope.community_ids)


def can_retry_delivery(user, delivery) -> bool:
    scope = get_scope(user)
    community_id = delivery.notification.community_id
    return community_id is not None and (
        scope.is_staff_of(community_id) or scope.is_admin_of_community(community_id)
    )


def sent_communities_for(user):
    """The communities whose messages the user reads, to choose one on 发送记录."""
    from communities.models import Community

    scope = get_scope(user)
    if not (scope.is_staff or scope.is_street_admin):
        return []
    return list(
        Community.objects.filter(pk__in=scope.community_ids, archived_at__isnull=True)
        .only("pk", "name")
        .order_by("area_code")
    )
