"""Panels other apps add to the grid page, without communities importing them.

An app that knows more about a grid (its open issues, its patrols …) registers a panel
from its AppConfig.ready():

    from communities.panels import GridPanel, register_grid_panel

    def open_issues(request, grid):
        issues = issues_visible_to(request.user).filter(grid=grid, ...)[:10]
        return {"issues": issues}

    register_grid_panel(GridPanel(
        key="open_issues",
        title=_("Open issues"),
        template="issues/includes/grid_open_issues.html",
        context=open_issues,
        order=10,
    ))

The grid page renders each panel under its title, including the panel's template with one
variable, `panel`: the dict the callable returned plus `grid` and `request` (so the
template above reads `{% for issue in panel.issues %}`). A callable returning None hides
the panel. Each callable must run a constant number of queries and respect access (it gets
the request, so `request.user`).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class GridPanel:
    key: str
    title: str
    template: str
    context: Callable
    order: int = 100


GRID_PANELS: dict[str, GridPanel] = {}


def register_grid_panel(panel: GridPanel) -> None:
    """Add (or replace, by key) a panel of the grid page."""
    GRID_PANELS[panel.key] = panel


def unregister_grid_panel(key: str) -> None:
    GRID_PANELS.pop(key, None)


def grid_panels(request, grid) -> list[dict]:
    """The panels to show on a grid page: [{"title", "template", "context"}], in order."""
    shown = []
    for panel in sorted(GRID_PANELS.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(request, grid)
        if context is None:
            continue
        shown.append(
            {
                "key": panel.key,
                "title": panel.title,
                "template": panel.template,
                "context": {**context, "grid": grid, "request": request},
            }
        )
    return shown
