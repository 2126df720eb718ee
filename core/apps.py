from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Audit and records")

    def ready(self):
        from accounts.models import Role
        from accounts.navigation import NavEntry, register
        from lib.choices import install_quick_choice_labels

        install_quick_choice_labels()

        register(
            NavEntry(
                _("Audit trail"), "audit", "journal-text", frozenset([Role.STREET_ADMIN]), order=90
            )
        )
