from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Places and people")

    def ready(self):
        from accounts.models import Role
        from accounts.navigation import WORKERS, NavEntry, register, register_home

        register(
            NavEntry(
                _("Communities"),
                "communities:overview",
                "buildings",
                WORKERS,
                order=20,
                section="/communities/c/",
            ),
            NavEntry(
                _("Residents"),
                "communities:resident_list",
                "people",
                WORKERS,
                order=21,
                section="/communities/residents/",
            ),
            NavEntry(
                _("Organizations"),
                "communities:organization_list",
                "diagram-3",
                frozenset([Role.STAFF, Role.GRID_WORKER, Role.STREET_ADMIN]),
                order=22,
                section="/communities/organizations/",
            ),
        )
        register_home(Role.GRID_WORKER, "communities:my_grid")
