from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from accounts.models import Role
        from accounts.navigation import NavEntry, register, register_home

        register(
            NavEntry(
                _("Today's work"),
                "reports:dashboard",
                "speedometer2",
                frozenset([Role.STAFF]),
                order=5,
            ),
            NavEntry(
                _("All communities"),
                "reports:street_dashboard",
                "grid-3x3-gap",
                frozenset([Role.STREET_ADMIN]),
                order=5,
            ),
            NavEntry(
                _("Monthly reports"),
                "reports:monthly",
                "bar-chart-line",
                frozenset([Role.STAFF, Role.STREET_ADMIN]),
                order=80,
            ),
        )
        register_home(Role.STAFF, "reports:dashboard")
        register_home(Role.STREET_ADMIN, "reports:street_dashboard")
