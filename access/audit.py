"""Who may read the audit trail: street admins for their streets' communities and their
streets' own rules, the head of a community for their own, superusers for everything."""

from django.db.models import Q

from core.models import AuditEntry

from .scope import get_scope


def can_read_audit(user) -> bool:
    scope = get_scope(user)
    return bool(
        getattr(user, "is_superuser", False)
        or scope.is_street_admin
        or (scope.is_staff and scope.is_head)
    )


def audit_entries_visible_to(user):
    entries = AuditEntry.objects.all()
    if getattr(user, "is_superuser", False):
        return entries
    if not can_read_audit(user):
        return entries.none()
    scope = get_scope(user)
    if scope.is_street_admin:
        # Their streets' own rules (categories, time limits, periods) belong to no
        # community.
        return entries.filter(Q(community__in=scope.community_ids) | Q(street__in=scope.street_ids))
    return entries.filter(community__in=scope.community_ids)
