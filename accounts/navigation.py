"""The main navigation, by role. Each entry names a URL and the roles that see it; what a
role may then do on the page is decided by the access package."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Role

ALL = frozenset(Role.values)
WORKERS = frozenset([Role.STAFF, Role.GRID_WORKER, Role.STREET_ADMIN])


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    icon: str
    roles: frozenset
    # URL prefixes that mark the entry as the current section.
    section: str = ""


NAVIGATION = [
    NavEntry(_("Home"), "home", "house", ALL, section="/home"),
]


def items_for(user, path: str) -> list[dict]:
    if not user.is_authenticated:
        return []
    items = []
    for entry in NAVIGATION:
        if user.role not in entry.roles:
            continue
        url = reverse(entry.url_name)
        section = entry.section or url
        items.append(
            {
                "label": entry.label,
                "url": url,
                "icon": entry.icon,
                "active": path == url or (section != "/" and path.startswith(section)),
            }
        )
    return items
