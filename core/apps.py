from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Audit and records")

    def ready(self):
        from access.audit import can_read_audit
        from accounts.navigation import NavEntry, register
        from lib import worktime
        from lib.choices import install_quick_choice_labels

        from .calendar import entered_days

        install_quick_choice_labels()
        # Working days: the State Council's days a street admin entered, over the built-in
        # official calendar.
        worktime.register_calendar(entered_days)

        register(NavEntry(_("Audit trail"), "audit", "journal-text", can_read_audit, order=90))
