from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IssuesConfig(AppConfig):
    name = "issues"
    verbose_name = _("Issues")

    def ready(self):
        from access.issues import (
            can_list_issues,
            can_patrol,
            can_see_own_issues,
            can_visit_households,
        )
        from accounts.models import Role
        from accounts.navigation import NavEntry, register, register_home

        register(
            NavEntry(_("Issues"), "issues:list", "inbox", can_list_issues, order=20),
            NavEntry(_("Map of issues"), "issues:map", "map", can_list_issues, order=21),
            NavEntry(_("Patrols"), "issues:patrol_list", "signpost-split", can_patrol, order=22),
            NavEntry(
                _("Household visits"),
                "issues:visit_list",
                "house-heart",
                can_visit_households,
                order=24,
            ),
            NavEntry(
                _("My issues"), "issues:mine", "chat-square-text", can_see_own_issues, order=20
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
