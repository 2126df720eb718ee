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
