"""Who may see and revoke personal links (/s/…).

A link opens its page for whoever holds it, without a login: the token is the key, and
what the page lets its holder do is the purpose's (reach.purposes). Staff of the community
a link belongs to see its links and revoke them; street admins see them."""

from reach.models import ShortLink

from .scope import get_scope


def links_visible_to(user):
    scope = get_scope(user)
    if scope.is_staff or scope.is_street_admin:
        return ShortLink.objects.filter(community__in=scope.community_ids)
    return ShortLink.objects.none()


def can_see_links(user, community_id) -> bool:
    scope = get_scope(user)
    return scope.is_staff_of(community_id) or scope.is_admin_of_community(community_id)


def can_revoke_link(user, link) -> bool:
    return get_scope(user).is_staff_of(link.community_id)
