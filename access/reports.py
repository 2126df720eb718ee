"""Who may see which monthly report and dashboard.

Community staff see the reports of their own communities; street admins see the reports of
their streets and of every community in them, and may recompute a month. Grid workers,
residents and organization contacts see no reports.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from communities.models import Community, Street

from .scope import get_scope


def can_see_reports(user) -> bool:
    scope = get_scope(user)
    return scope.is_staff or scope.is_street_admin


def report_communities_visible_to(user):
    scope = get_scope(user)
    if scope.is_staff or scope.is_street_admin:
        return Community.objects.filter(pk__in=scope.community_ids).select_related("street")
    return Community.objects.none()


def report_streets_visible_to(user):
    scope = get_scope(user)
    if scope.is_street_admin:
        return Street.objects.filter(pk__in=scope.street_ids)
    return Street.objects.none()


def get_report_target_for_user(user, scope_name: str, pk):
    """The community or street whose report the user asks for: 404 if they may not see it,
    403 if they may see no reports at all."""
    if not can_see_reports(user):
        raise PermissionDenied
    queryset = (
        report_communities_visible_to(user)
        if scope_name == "community"
        else report_streets_visible_to(user)
        if scope_name == "street"
        else None
    )
    if queryset is None:
        raise Http404
    try:
        return queryset.get(pk=pk)
    except (Community.DoesNotExist, Street.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_recompute_report(user, target) -> bool:
    """Street admins recompute the months of their streets and their communities."""
    scope = get_scope(user)
    if not scope.is_street_admin:
        return False
    if isinstance(target, Street):
        return target.pk in scope.street_ids
    return target.pk in scope.community_ids


def can_see_staff_dashboard(user) -> bool:
    return get_scope(user).is_staff


def can_see_street_dashboard(user) -> bool:
    return get_scope(user).is_street_admin
