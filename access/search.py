"""Who may search. What a search finds is what the lists show: each kind of record is
found among the rows of its own scoping queryset (access.issues.issues_visible_to,
access.meetings.meetings_visible_to …), never by a rule of its own."""

from .scope import get_scope


def can_search(user) -> bool:
    """Everyone signed in searches, among what they may see: staff, grid workers and
    street admins the work of their communities, residents and organization contacts
    their own issues, meetings, agreements and items."""
    return get_scope(user).is_authenticated
