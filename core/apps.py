from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Audit and records")

    def ready(self):
        from access.audit import can_read_audit
        from accounts.navigation import NavEntry, register
        from lib import versions, worktime
        from lib.choices import install_quick_choice_labels

        from .calendar import entered_days

        install_quick_choice_labels()
        # Cached pages are valid while their communities' versions stand (lib.pagecache).
        versions.watch(settings.DATA_VERSION_APPS)
        # Working days: the State Council's days a street admin entered, over the built-in
        # official calendar.
        worktime.register_calendar(entered_days)

        register(NavEntry(_("Audit trail"), "audit", "journal-text", can_read_audit, order=90))
