from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from access.reports import (
            can_see_reports,
            can_see_staff_dashboard,
            can_see_street_dashboard,
        )
        from accounts.models import Role
        from accounts.navigation import NavEntry, register, register_home

        register(
            NavEntry(
                _("Today's work"),
                "reports:dashboard",
                "speedometer2",
                can_see_staff_dashboard,
                order=5,
            ),
            NavEntry(
                _("All communities"),
                "reports:street_dashboard",
                "grid-3x3-gap",
                can_see_street_dashboard,
                order=5,
            ),
            NavEntry(
                _("Monthly reports"),
                "reports:monthly",
                "bar-chart-line",
                can_see_reports,
                order=80,
            ),
        )
        register_home(Role.STAFF, "reports:dashboard")
        register_home(Role.STREET_ADMIN, "reports:street_dashboard")
