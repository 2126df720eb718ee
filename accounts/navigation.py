"""The main navigation and each role's landing page.

Apps register their entries from their AppConfig.ready(), so accounts needs to know none of
them. What a role may then do on a page is decided by the access package.
"""

from dataclasses import dataclass

from django.urls import reverse

from .models import Role

ALL = frozenset(Role.values)
WORKERS = frozenset([Role.STAFF, Role.GRID_WORKER, Role.STREET_ADMIN])


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    icon: str
    roles: frozenset
    # Position in the bar, smallest first.
    order: int = 100
    # URL prefix that marks the entry as the current section (default: its own URL).
    section: str = ""


# The brand in the navbar links home; every role's home is its landing page below.
NAVIGATION: list[NavEntry] = []

# role -> URL name of the page the role lands on after login.
ROLE_HOME: dict[str, str] = {}


def register(*entries: NavEntry) -> None:
    for entry in entries:
        if all(e.url_name != entry.url_name for e in NAVIGATION):
            NAVIGATION.append(entry)
    NAVIGATION.sort(key=lambda e: e.order)


def register_home(role: str, url_name: str) -> None:
    ROLE_HOME[role] = url_name


def home_url_name(user) -> str:
    return ROLE_HOME.get(getattr(user, "role", None), "home")


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
