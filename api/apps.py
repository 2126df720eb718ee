from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self):
        from access.api import can_import_hotline, can_use_api
        from accounts.navigation import MenuEntry, NavEntry, register, register_user_menu

        register(
            NavEntry(
                _("12345 import"),
                "api:hotline",
                "telephone-inbound",
                can_import_hotline,
                order=80,
            )
        )
        register_user_menu(
            MenuEntry(_("API token"), "api:token", "key", can_use_api, order=10),
            MenuEntry(_("API documentation"), "api:docs", "book", can_use_api, order=11),
        )
