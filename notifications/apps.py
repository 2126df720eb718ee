from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from access.notifications import can_see_sent_messages
        from accounts.navigation import NavEntry, register

        register(
            NavEntry(
                _("Messages sent"),
                "notifications:sent",
                "chat-left-text",
                can_see_sent_messages,
                order=85,
            )
        )
