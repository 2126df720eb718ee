"""Lists other apps add to a role's home page, without the home page's app importing them.

A resident's home is "My issues" (issues app); what waits for a supervision-committee
member's on-site check lives in the resolutions app. An app that knows such work
registers a panel from its AppConfig.ready():

    from accounts.home_panels import HomePanel, register_home_panel

    register_home_panel(HomePanel(
        key="items_to_check",
        roles=frozenset([Role.RESIDENT]),
        template="resolutions/_home_checks.html",
        context=items_to_check,
        order=10,
    ))

The home page includes each panel's template with one variable, `panel`: the dict the
callable returned. A callable returning None hides the panel (the user has no such work
at all). Each callable gets the request, respects access and runs a constant number of
queries.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HomePanel:
    key: str
    roles: frozenset
    template: str
    context: Callable
    order: int = 100


HOME_PANELS: dict[str, HomePanel] = {}


def register_home_panel(panel: HomePanel) -> None:
    """Add (or replace, by key) a panel of the home page of its roles."""
    HOME_PANELS[panel.key] = panel


def home_panels(request) -> list[dict]:
    """The panels of the user's home page: [{"key", "template", "context"}], in order."""
    role = getattr(request.user, "role", None)
    shown = []
    for panel in sorted(HOME_PANELS.values(), key=lambda p: (p.order, p.key)):
        if role not in panel.roles:
            continue
        context = panel.context(request)
        if context is None:
            continue
        shown.append({"key": panel.key, "template": panel.template, "context": context})
    return shown
