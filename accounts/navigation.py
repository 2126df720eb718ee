"""The main navigation and each role's landing page.

Apps register their entries from their AppConfig.ready(), so accounts needs to know none of
them. Whether a user sees an entry, and what they may then do on its page, is decided by
the access package: each entry names the rule it asks.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavEntry:
    """An entry of the main navigation. `allowed(user)` is a rule of the access package
    (run on the user's loaded scope, without queries)."""

    label: str
    url_name: str
    icon: str
    allowed: object
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


@dataclass(frozen=True)
class MenuEntry:
    """An entry of the user menu (under the user's name): pages about the user's own
    account. `allowed(user)` is a rule of the access package."""

    label: str
    url_name: str
    icon: str
    allowed: object
    order: int = 100


USER_MENU: list[MenuEntry] = []


def register_user_menu(*entries: MenuEntry) -> None:
    for entry in entries:
        if all(e.url_name != entry.url_name for e in USER_MENU):
            USER_MENU.append(entry)
    USER_MENU.sort(key=lambda e: e.order)


def user_menu_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    return [
        {"label": e.label, "url": reverse(e.url_name), "icon": e.icon}
        for e in USER_MENU
        if e.allowed(user)
    ]


def register_home(role: str, url_name: str) -> None:
    ROLE_HOME[role] = url_name


def home_url_name(user) -> str:
    return ROLE_HOME.get(getattr(user, "role", None), "home")


# Menus of the bar: entries whose URL name starts with a prefix share a dropdown, so the
# bar stays one line for staff, who see the most entries. A menu with a single entry for
# a role shows as a plain link.
MENUS = [
    ("communities:", _("Communities"), "buildings"),
    ("issues:", _("Issues"), "inbox"),
    ("api:hotline", _("Issues"), "inbox"),
    ("meetings:", _("Meetings"), "people"),
    ("resolutions:", _("Resolutions"), "clipboard-check"),
    ("reports:monthly", _("Reports"), "bar-chart"),
    ("notifications:sent", _("Reports"), "bar-chart"),
    ("audit", _("Reports"), "bar-chart"),
]


def _menu_for(url_name):
    for prefix, label, icon in MENUS:
        if url_name.startswith(prefix):
            return str(label), icon
    return None, None


def flat_items_for(user, path: str) -> list[dict]:
    if not user.is_authenticated:
        return []
    items = []
    for entry in NAVIGATION:
        if not entry.allowed(user):
            continue
        url = reverse(entry.url_name)
        section = entry.section or url
        items.append(
            {
                "label": entry.label,
                "url": url,
                "icon": entry.icon,
                "url_name": entry.url_name,
                "active": path == url or (section != "/" and path.startswith(section)),
            }
        )
    return items


def items_for(user, path: str, flat=None) -> list[dict]:
    """The bar: links, and menus ({"label", "icon", "children", "active"}) in the order
    of their first entry; from `flat`, the flat_items_for() already made, if given."""
    bar, menus = [], {}
    for item in flat_items_for(user, path) if flat is None else flat:
        label, icon = _menu_for(item["url_name"])
        if label is None:
            bar.append(item)
            continue
        if label not in menus:
            menus[label] = {"label": label, "icon": icon, "children": [], "active": False}
            bar.append(menus[label])
        menus[label]["children"].append(item)
        menus[label]["active"] |= item["active"]
    return [
        menu["children"][0] if "children" in menu and len(menu["children"]) == 1 else menu
        for menu in bar
    ]
