"""Who may use the API's writes and the 12345 hotline import."""

from django.http import Http404

from communities.models import Community

from .scope import get_scope


def communities_for_reporting(user):
    """Communities in which the user may log an issue through the API: staff and grid
    workers in their own communities, residents in theirs, street admins in their streets."""
    scope = get_scope(user)
    if not scope.is_authenticated or scope.is_org_contact:
        return Community.objects.none()
    return Community.objects.filter(pk__in=scope.community_ids, archived_at__isnull=True)


def can_report_in(user, community) -> bool:
    scope = get_scope(user)
    return (
        community is not None and not scope.is_org_contact and community.pk in scope.community_ids
    )


def can_use_api(user) -> bool:
    """Whose user menu offers the API token and documentation: the people who connect other
    systems to their work — community staff, grid workers, street admins, and the
    organizations that report progress on their action items from their own systems.
    Residents use the pages; the token page still opens for any signed-in user, since
    Open311 clients send their users there (open311.discovery's key_service)."""
    scope = get_scope(user)
    return scope.works_for_community or scope.is_org_contact


def can_import_hotline(user) -> bool:
    """Community staff and street admins import the 12345 platform's daily export."""
    scope = get_scope(user)
    return scope.is_staff or scope.is_street_admin


def hotline_tickets_visible_to(user):
    """Tickets imported in the user's streets (staff and street admins only)."""
    from api.models import HotlineTicket

    scope = get_scope(user)
    if not (scope.is_staff or scope.is_street_admin):
        return HotlineTicket.objects.none()
    return HotlineTicket.objects.filter(street__in=scope.street_ids)


def get_hotline_ticket_for_user(user, pk):
    from api.models import HotlineTicket

    try:
        return hotline_tickets_visible_to(user).get(pk=pk)
    except (HotlineTicket.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
