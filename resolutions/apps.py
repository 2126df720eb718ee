from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResolutionsConfig(AppConfig):
    name = "resolutions"
    verbose_name = _("Resolutions")

    def ready(self):
        from accounts.models import Role
        from accounts.navigation import ALL, WORKERS, NavEntry, register, register_home

        register(
            NavEntry(
                _("Resolutions"),
                "resolutions:list",
                "journal-check",
                WORKERS,
                order=40,
                section="/resolutions/",
            ),
            NavEntry(
                _("My action items"),
                "resolutions:my_items",
                "list-check",
                frozenset([Role.ORG_CONTACT, Role.RESIDENT]),
                order=45,
            ),
            NavEntry(_("Outcomes board"), "resolutions:board", "megaphone", ALL, order=90),
        )
        register_home(Role.ORG_CONTACT, "resolutions:my_items")

        from .proposals import register as register_invitee_source

        register_invitee_source()

        from meetings.followups import register_follow_up_source

        from .followups import resolution_follow_ups

        register_follow_up_source(resolution_follow_ups)
