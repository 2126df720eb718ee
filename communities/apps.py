from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Places and people")

    def ready(self):
        from access.communities import can_see_communities
        from accounts.models import Role
        from accounts.navigation import NavEntry, register, register_home

        register(
            NavEntry(
                _("Communities"),
                "communities:overview",
                "buildings",
                can_see_communities,
                order=20,
                section="/communities/c/",
            ),
            NavEntry(
                _("Residents"),
                "communities:resident_list",
                "people",
                can_see_communities,
                order=21,
                section="/communities/residents/",
            ),
            NavEntry(
                _("Organizations"),
                "communities:organization_list",
                "diagram-3",
                can_see_communities,
                order=22,
                section="/communities/organizations/",
            ),
        )
        register_home(Role.GRID_WORKER, "communities:my_grid")
