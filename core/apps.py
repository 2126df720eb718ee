from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Audit and records")

    def ready(self):
        from access.audit import can_read_audit
        from accounts.navigation import NavEntry, register
        from lib import versions
        from lib.choices import install_quick_choice_labels

        install_quick_choice_labels()
        # Cached pages are valid while their communities' versions stand (lib.pagecache).
        versions.watch(settings.DATA_VERSION_APPS)

        register(NavEntry(_("Audit trail"), "audit", "journal-text", can_read_audit, order=90))
