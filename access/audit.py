"""Who may read the audit trail: street admins for their streets' communities, the head of
a community for their own, superusers for everything."""

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
    return entries.filter(community__in=get_scope(user).community_ids)
