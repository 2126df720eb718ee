from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IssuesConfig(AppConfig):
    name = "issues"
    verbose_name = _("Issues")

    def ready(self):
        from accounts.models import Role
        from accounts.navigation import NavEntry, register, register_home

        register(
            NavEntry(
                _("Issues"),
                "issues:list",
                "inbox",
                frozenset([Role.STAFF, Role.GRID_WORKER, Role.STREET_ADMIN]),
                order=20,
            ),
            NavEntry(
                _("Patrols"),
                "issues:patrol_list",
                "signpost-split",
                frozenset([Role.GRID_WORKER]),
                order=22,
            ),
            NavEntry(
                _("Household visits"),
                "issues:visit_list",
                "house-heart",
                frozenset([Role.GRID_WORKER, Role.STAFF]),
                order=24,
            ),
            NavEntry(
                _("My issues"),
                "issues:mine",
                "chat-square-text",
                frozenset([Role.RESIDENT]),
                order=20,
            ),
        )
        register_home(Role.RESIDENT, "issues:mine")

        # The grid page is the grid worker's home: their work comes first.
        from communities.panels import GridPanel, register_grid_panel

        from . import panels

        for panel in (
            GridPanel("patrol", _("Patrol"), "issues/panels/patrol.html", panels.patrol, 10),
            GridPanel(
                "work_queue",
                _("Work queue"),
                "issues/panels/work_queue.html",
                panels.work_queue,
                20,
            ),
            GridPanel(
                "visits", _("Household visits"), "issues/panels/visits.html", panels.visits, 30
            ),
        ):
            register_grid_panel(panel)
