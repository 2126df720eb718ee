from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReachConfig(AppConfig):
    name = "reach"
    verbose_name = _("Reaching residents")

    def ready(self):
        from . import checks  # noqa: F401
