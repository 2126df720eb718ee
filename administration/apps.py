from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AdministrationConfig(AppConfig):
    """The pages where a street and a community are run (管理): people and accounts, the
    work rules, the calendar and the reminder schedules. The records and the services
    that write them belong to their own apps; the rules of who may, to access."""

    name = "administration"
    verbose_name = _("Administration")

    def ready(self):
        from access.administration import can_administer
        from accounts.navigation import NavEntry, register

        register(
            NavEntry(
                pgettext_lazy("section", "Administration"),
                "administration:home",
                "sliders",
                can_administer,
                order=88,
            )
        )
