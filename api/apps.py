from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self):
        from accounts.models import Role
        from accounts.navigation import NavEntry, register

        register(
            NavEntry(
                _("12345 import"),
                "api:hotline",
                "telephone-inbound",
                frozenset([Role.STAFF, Role.STREET_ADMIN]),
                order=80,
            )
        )
